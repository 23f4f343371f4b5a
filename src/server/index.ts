/** Server layer: the task runtime for SDK servers (TaskSupport, enableTasks, runTask, tool negotiation). */
export { TaskSupport, TaskAbortedError, TaskSupportClosedError, DEFAULT_SHUTDOWN_GRACE } from './taskSupport.js';
export type { TaskSupportOptions, InMemoryTaskSupportOptions, RedisTaskSupportOptions } from './taskSupport.js';
export { TaskResultHandler } from './resultHandler.js';
export type { SideChannelDelivery, HandleResultOptions, TaskResultHandlerBackends } from './resultHandler.js';
export { ServerTaskContext } from './taskContext.js';
export type { TaskContextHost, ServerTaskContextInit, ClientTaskOptions } from './taskContext.js';
export { DirectToolContext, assertClientCapability } from './toolContext.js';
export type { ToolContext, CreateMessageParams, ElicitRequestedSchema } from './toolContext.js';
export { ServerTasks, enableTasks, serverTasksOf, runTask } from './serverTasks.js';
export type { ToolHandler, ArgumentsValidator, RegisterToolOptions, RunTaskOptions, TaskWork } from './serverTasks.js';
export { TaskServer } from './taskServer.js';
export type { TaskServerExperimental } from './taskServer.js';
export { negotiate } from './negotiation.js';
export type { CallMode, TaskSupportMode } from './negotiation.js';
export { ToolNegotiationError, UnknownToolError, InvalidToolArgumentsError, InvalidRequestParamsError } from './errors.js';
export { defaultScopeResolver } from './scope.js';
export type { ScopeResolver, ServerRequestExtra } from './scope.js';
export { DEFAULT_SIDE_CHANNEL_TIMEOUT } from './options.js';
export type { EnableTasksOptions, SideChannelMode } from './options.js';
export { registerConformanceFixtures, conformanceFixtureTools, FIXTURE_TOOL_NAMES, FixtureProtocolError } from './fixtures.js';
export { McpServerTasks, enableMcpTasks, mcpServerTasksOf, registerTaskTool, taskSupportOf } from './mcpServer.js';
export type { EnableMcpTasksOptions, TaskOption, TaskToolConfig, TaskToolHandler } from './mcpServer.js';
export { ignoreTaskAugmentation, stripToolCallTask, routeTaskResponses, SIDE_CHANNEL_ID_PREFIX } from './transportFilter.js';
export type { ResponseRouter } from './transportFilter.js';
export { emitTaskEvent } from './audit.js';
export type {
  TaskEvent,
  TaskEventBase,
  TaskEventListener,
  TaskCreatedEvent,
  TaskStatusEvent,
  TaskFinishedEvent,
  TaskCancelledEvent,
  TaskResultRetrievedEvent,
  UnknownTaskEvent,
} from './audit.js';
