/** The protocol-neutral task runtime: what every wire binding builds on. */
export { TaskSupport, DEFAULT_SHUTDOWN_GRACE } from './taskSupport.js';
export type { TaskSupportOptions, InMemoryTaskSupportOptions, RedisTaskSupportOptions } from './taskSupport.js';
export { TaskAbortedError, TaskSupportClosedError } from './errors.js';
export type { TaskAbortReason } from './errors.js';
export { TaskContext } from './taskContext.js';
export type { TaskContextHost, TaskContextInit, ProgressParams } from './taskContext.js';
export type { ToolContext, ToolTaskContext, CreateMessageParams, ElicitRequestedSchema } from './toolContext.js';
export type { StartTaskSpec } from './taskRunner.js';
export type { SideChannel, SideChannelDelivery, DeliverOptions } from './sideChannel.js';
export type { InputRequest } from './inputRequests.js';
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
