/** `mcp-tasks/core`: the task model and the contracts a store implements, the typed errors, the TTL policy. */
export * from './errors.js';
export { isTerminal, type TerminalStatus } from './status.js';
export * from './ttl.js';
export * from './taskStore.js';
export * from './messageQueue.js';
export * from './leases.js';
