/**
 * `mcp-tasks/server`: 2025-11-25 tasks on SDK 1.32.x servers — the runtime (`TaskSupport`),
 * `enableTasks` for a low-level `Server`, `TaskServer`, `McpServer` support, and the task context.
 */
export * from '../runtime/index.js';
export { ServerTaskContext } from './serverTaskContext.js';
export type { ClientTaskOptions, ServerTaskContextInit } from './serverTaskContext.js';
export type { ServerToolContext, ToolHandler } from './serverTaskContext.js';
export { ServerTaskBinding } from './serverTaskBinding.js';
export type { RunTaskOptions, TaskWork } from './serverTaskBinding.js';
export type { RegisterToolOptions, ToolInputRequest } from '../runtime/toolRegistry.js';
export type { ArgumentsValidator } from '../runtime/jsonSchemaArguments.js';
export { enableTasks, serverTasksOf, runTask } from './enableTasks.js';
export { TaskServer } from './taskServer.js';
export type { TaskServerExperimental } from './taskServer.js';
export { negotiate } from './negotiation.js';
export type { CallMode, TaskSupportMode } from './negotiation.js';
export { ToolNegotiationError, UnknownToolError, InvalidToolArgumentsError } from './errors.js';
export { defaultScopeResolver } from './scope.js';
export type { ScopeResolver, ServerRequestExtra } from './scope.js';
export { DEFAULT_SIDE_CHANNEL_TIMEOUT } from './options.js';
export type { EnableTasksOptions, SideChannelMode } from './options.js';
export { McpServerTaskBinding, enableMcpTasks, mcpServerTasksOf, registerTaskTool } from './mcpServer.js';
export type { EnableMcpTasksOptions, TaskOption, TaskToolConfig, TaskToolHandler } from './mcpServer.js';
export { elicitAsTask, createMessageAsTask } from './clientTaskRequests.js';
export type { ClientTaskRequestOptions, ElicitAsTaskParams, CreateMessageAsTaskParams, TaskRequestingServer } from './clientTaskRequests.js';
export { ignoreTaskAugmentation, routeTaskResponses } from '../transport/filters.js';
export type { ResponseRouter } from '../transport/filters.js';
