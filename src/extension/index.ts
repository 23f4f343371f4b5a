/**
 * `mcp-tasks/extension`: the 2026-07-28 tasks extension `io.modelcontextprotocol/tasks` (SEP-2663)
 * on the v2 SDK (`@modelcontextprotocol/server`), over the same task runtime as the 2025-11-25 binding.
 */
export { TasksExtension, type ExtensionToolHandler, type TasksExtensionOptions, type TasksFetchOptions, type TasksHttpHandler } from './tasksExtension.js';
export { MAX_LISTEN_TASK_IDS } from './taskSubscriptions.js';
export { TasksServer } from './tasksServer.js';
export type { ExtensionToolContext } from './toolCalls.js';
export { MissingTasksExtensionError, NoInputWithoutTaskError } from './errors.js';
export { declaresTasks, defaultExtensionScope, type ExtensionScopeResolver, type RequestIdentity } from './requestInfo.js';
export { MISSING_CLIENT_CAPABILITY, TASKS_EXTENSION_ID, type DetailedTask, type WireTask } from './wire.js';
