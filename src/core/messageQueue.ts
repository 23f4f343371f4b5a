/**
 * The `TaskMessageQueue` contract: a bounded per-task FIFO of JSON-serializable messages that a
 * running task sends to its requestor (side-channel requests such as `elicitation/create`, and
 * notifications). `tasks/result` drains it (R29–R31).
 *
 * A queued request carries no live resolver: its `message.id` is a string request id chosen by
 * the runtime, and the answer travels back through a {@link TaskResponseChannel}. So a Redis queue
 * can hold it, and another process can deliver it.
 *
 * The message shapes are the SDK's `QueuedRequest` / `QueuedNotification`; this queue is never
 * handed to the SDK (its side channel is in-process only).
 */
import type { QueuedNotification, QueuedRequest } from '@modelcontextprotocol/sdk/experimental/tasks/interfaces.js';
import type { JsonRpcErrorData } from './errors.js';

/** What a task queues for its requestor. */
export type TaskQueuedMessage = QueuedRequest | QueuedNotification;

/** Options every queue implementation accepts. */
export interface TaskMessageQueueOptions {
  /** Most messages queued per task; `enqueue` beyond it throws {@link QueueFullError}. Default 100. */
  maxMessagesPerTask?: number;
}

export const DEFAULT_MAX_MESSAGES_PER_TASK = 100;

export interface TaskMessageQueue {
  /** The per-task bound. */
  readonly maxMessagesPerTask: number;

  /**
   * Appends a message to the task's queue and wakes its waiters. The bound check and the append
   * are one atomic step; a full queue throws {@link QueueFullError} and stores nothing.
   */
  enqueue(taskId: string, message: TaskQueuedMessage): Promise<void>;

  /** Removes and returns the oldest message, or `undefined` when the queue is empty. */
  dequeue(taskId: string): Promise<TaskQueuedMessage | undefined>;

  /** Removes and returns every message, oldest first (used when a task ends or is cancelled). */
  dequeueAll(taskId: string): Promise<TaskQueuedMessage[]>;

  /** How many messages are queued for the task. */
  size(taskId: string): Promise<number>;

  /**
   * Resolves as soon as the task's queue holds at least one message (at once if it already does).
   * Cannot lose a wake-up. Rejects with the signal's reason when `signal` aborts.
   */
  waitForMessage(taskId: string, signal?: AbortSignal): Promise<void>;

  /** Releases timers and connections; waiters are rejected. Idempotent. */
  close(): Promise<void>;
}

/** How a side-channel request was answered by the requestor. */
export type SettledResponse =
  | { readonly result: Record<string, unknown> }
  | { readonly error: JsonRpcErrorData };

/**
 * Carries the requestor's answer to a queued side-channel request back to the task waiting for it,
 * which may run in another process (Python's response-router role, made serializable).
 */
export interface TaskResponseChannel {
  /**
   * Resolves with the answer published for `requestId`. An answer published before the wait began
   * is still delivered (kept for a bounded time). Rejects with the signal's reason on abort.
   */
  waitForResponse(requestId: string, signal?: AbortSignal): Promise<SettledResponse>;

  /** Delivers the answer to whoever waits for `requestId`, in this process or another. */
  publishResponse(requestId: string, response: SettledResponse): Promise<void>;

  /** Releases timers and connections; waiters are rejected. Idempotent. */
  close(): Promise<void>;
}
