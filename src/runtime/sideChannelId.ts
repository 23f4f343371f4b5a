/**
 * The ids this library gives the requests a task sends to its requestor (`task-<taskId>-<uuid>`):
 * unique across processes, so the answer can be routed to the task from any server instance.
 */
import { randomUUID } from 'node:crypto';

const PREFIX = 'task-';

/** A fresh side-channel request id for a request of task `taskId`. */
export function sideChannelRequestId(taskId: string): string {
  return `${PREFIX}${taskId}-${randomUUID()}`;
}

/** Whether `id` is a side-channel request id made by {@link sideChannelRequestId}. */
export function isSideChannelRequestId(id: unknown): id is string {
  return typeof id === 'string' && id.startsWith(PREFIX);
}
