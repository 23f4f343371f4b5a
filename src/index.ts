/**
 * mcp-tasks: MCP tasks (2025-11-25, SEP-1686) on @modelcontextprotocol/sdk 1.32.x — what server and
 * client authors use. Store contracts: `mcp-tasks/core`; Redis: `mcp-tasks/redis`; the contract
 * kit and store-writer helpers: `mcp-tasks/testing`; the conformance suite: `mcp-tasks/conformance`.
 */
export {
  TaskError,
  TaskNotFoundError,
  TaskTerminalError,
  TaskCancelledError,
  TaskLimitError,
  TaskOutcomeError,
  CapabilityMissingError,
  toJsonRpcError,
} from './core/errors.js';
export { isTerminal } from './core/status.js';
export type { TaskStore, TaskMessageQueue, TaskResponseChannel, TaskLeases, TaskScope, TaskOutcome } from './core/index.js';
export { InMemoryTaskStore, InMemoryTaskMessageQueue, InMemoryTaskResponseChannel } from './stores/memory/index.js';
export { TaskSupport, TaskAbortedError, TaskSupportClosedError } from './runtime/index.js';
export type { ToolContext, TaskContext, TaskEvent, TaskEventListener, TaskSupportOptions, InMemoryTaskSupportOptions } from './runtime/index.js';
export {
  ServerTaskContext,
  enableTasks,
  runTask,
  TaskServer,
  enableMcpTasks,
  registerTaskTool,
  elicitAsTask,
  createMessageAsTask,
  ignoreTaskAugmentation,
  routeTaskResponses,
  defaultScopeResolver,
  ToolNegotiationError,
  UnknownToolError,
  InvalidToolArgumentsError,
} from './server/index.js';
export type {
  ServerTaskBinding,
  McpServerTaskBinding,
  ServerToolContext,
  ToolHandler,
  EnableTasksOptions,
  EnableMcpTasksOptions,
  SideChannelMode,
  ScopeResolver,
} from './server/index.js';
export { TaskClient, callToolAsTask, listTasks, listAllTasks, enableClientTasks, TaskWaitTimeoutError } from './client/index.js';
export type { ToolTask, TaskHandle, CallToolAsTaskOptions, ClientTaskHost, ClientTasksOptions } from './client/index.js';
