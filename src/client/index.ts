/**
 * `mcp-tasks/client`: 2025-11-25 tasks on SDK 1.32.x clients — task handles (`callToolAsTask`,
 * `TaskClient`), listing, and client-hosted elicitation / sampling tasks.
 */
export { TaskWaitTimeoutError } from '../requestor/errors.js';
export {
  createTaskHandle,
  immediateTaskHandle,
  DEFAULT_CLIENT_POLL_INTERVAL,
  DEFAULT_REQUEST_TIMEOUT,
  MIN_POLL_INTERVAL,
} from '../requestor/taskHandle.js';
export type {
  TaskHandle,
  TaskHandleBase,
  CreatedTaskHandle,
  ImmediateTaskHandle,
  TaskHandleOptions,
  WaitOptions,
  ResultOptions,
  HandleRequestOptions,
} from '../requestor/taskHandle.js';
export { requestAsTask } from '../requestor/requestAsTask.js';
export type { RequestAsTaskOptions, SendRequest } from '../requestor/requestAsTask.js';
export type { RequestPeer, NotifiablePeer } from '../requestor/peer.js';
export { observeTaskStatus } from '../requestor/statusNotifications.js';
export { listTasks, listAllTasks } from '../requestor/listTasks.js';
export type { ListTasksOptions } from '../requestor/listTasks.js';
export { callToolAsTask, toolTaskSupport, serverSupportsToolTasks } from './callToolAsTask.js';
export type { CallToolAsTaskOptions, ToolTask, ToolTaskSupport } from './callToolAsTask.js';
export { enableClientTasks, clientTasksCapability } from './clientTasks.js';
export type {
  ClientTaskHost,
  ClientTasksOptions,
  ClientTaskHandlerContext,
  ClientRequestExtra,
  ElicitationHandler,
  SamplingHandler,
} from './clientTasks.js';
export { TaskClient } from './taskClient.js';
export type { TaskClientExperimental } from './taskClient.js';
