/** The task handle's public shapes and defaults (the requestor side of a task, either direction). */
import type { CreateTaskResult, Task, TaskStatus } from '@modelcontextprotocol/sdk/types.js';

/** Options of {@link TaskHandle.wait}. */
export interface WaitOptions {
  /**
   * Resolve once the task is in this status (or one of these). Default: any terminal status.
   * A terminal status always resolves the wait, whether requested or not.
   */
  state?: TaskStatus | readonly TaskStatus[];
  /** The caller's own timeout in ms; rejects with {@link TaskWaitTimeoutError}. Default: none. */
  timeout?: number;
  /** Stops waiting (rejects with the signal's reason); the task goes on. */
  signal?: AbortSignal;
}

/** Options of {@link TaskHandle.result}. */
export interface ResultOptions {
  /** The caller's own timeout in ms; rejects with {@link TaskWaitTimeoutError}. Default: none. */
  timeout?: number;
  /** Stops waiting (rejects with the signal's reason); the task goes on. */
  signal?: AbortSignal;
}

/** Options of a single request made by a handle (`status()`, `cancel()`). */
export interface HandleRequestOptions {
  /** Timeout in ms of this one request. Default: the handle's `requestTimeout`. */
  timeout?: number;
  signal?: AbortSignal;
}

/** What every handle offers, whether a task was created or the receiver answered at once. */
export interface TaskHandleBase<R> {
  /** True when the receiver answered with a plain result instead of creating a task. */
  readonly returnedImmediately: boolean;
  /** The task id; `undefined` when {@link returnedImmediately}. */
  readonly taskId: string | undefined;
  /** The latest known state of the task (no request is made). */
  readonly task: Task;
  /** Asks the receiver for the task's current state (`tasks/get`). */
  status(options?: HandleRequestOptions): Promise<Task>;
  /** Waits until the task is in `options.state` or terminal, and returns its state. */
  wait(options?: WaitOptions): Promise<Task>;
  /**
   * The underlying request's result: for a tool, the `CallToolResult` of a `completed` task, and of
   * a `failed` task whose result is an `isError` result. Otherwise throws the very JSON-RPC error the
   * receiver returned from `tasks/result` (an SDK `McpError` with its code and data), never a
   * generic "task failed" (typescript-sdk #1922).
   */
  result(options?: ResultOptions): Promise<R>;
  /**
   * Cancels the task with `tasks/cancel` (R75) and returns the cancelled task. Fails with
   * `CapabilityMissingError` before sending when the receiver did not declare `tasks.cancel`.
   */
  cancel(options?: HandleRequestOptions): Promise<Task>;
  /**
   * Calls `listener` on every change of status or status message until the task is terminal.
   * Watching keeps the handle polling. Returns the function that stops it.
   */
  onStatusChange(listener: (task: Task) => void): () => void;
  /** Yields the current state, then every change, and ends after the terminal state. */
  [Symbol.asyncIterator](): AsyncIterator<Task>;
}

/** A handle on a task the receiver created. */
export interface CreatedTaskHandle<R> extends TaskHandleBase<R> {
  readonly returnedImmediately: false;
  readonly taskId: string;
  /** The receiver's `CreateTaskResult` (its `_meta` may hold a model-immediate-response, R18). */
  readonly createResult: CreateTaskResult;
}

/** A handle on a request the receiver answered directly (graceful degradation, R20). */
export interface ImmediateTaskHandle<R> extends TaskHandleBase<R> {
  readonly returnedImmediately: true;
  readonly taskId: undefined;
}

/** A task handle: narrow on `returnedImmediately` to get a `string` task id. */
export type TaskHandle<R> = CreatedTaskHandle<R> | ImmediateTaskHandle<R>;

/** Tuning shared by every handle. */
export interface TaskHandleOptions {
  /** Poll interval in ms when the receiver gives none. Default 1,000. Never below 5 ms. */
  defaultPollInterval?: number;
  /** Timeout in ms of each `tasks/get` / `tasks/cancel` request. Default 60,000. */
  requestTimeout?: number;
  /** Whether to subscribe to `notifications/tasks/status` for early wake-ups. Default true. */
  statusNotifications?: boolean;
}

/** Poll interval (ms) used when the receiver suggests none. */
export const DEFAULT_CLIENT_POLL_INTERVAL = 1_000;
/** Timeout (ms) of each `tasks/get` / `tasks/cancel` request made by a handle. */
export const DEFAULT_REQUEST_TIMEOUT = 60_000;
/** Floor of the poll interval, so a receiver suggesting 0 cannot make a handle flood it. */
export const MIN_POLL_INTERVAL = 5;
