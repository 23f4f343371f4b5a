/**
 * `mcp-tasks/testing`: the reusable contract test kit and the helpers for writing a store. Each
 * `describe…Contract` function registers a node:test suite that checks an implementation (ours or
 * yours) against the contracts in `mcp-tasks/core`. See docs/testing.md.
 */
export { describeTaskStoreContract, type TaskStoreFactory } from './store/index.js';
export { describeTaskMessageQueueContract, type TaskMessageQueueFactory } from './queue.js';
export { describeTaskResponseChannelContract, type TaskResponseChannelFactory } from './channel.js';
export { resolveContractOptions, type ContractOptions, type ResolvedContractOptions } from './options.js';
export * from '../core/storeInput.js';
export { encodeCursor, decodeCursor } from '../core/cursor.js';
export { generateTaskId } from '../core/ids.js';
