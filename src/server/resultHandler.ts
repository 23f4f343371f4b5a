/**
 * `TaskResultHandler`: serves `tasks/result` (R48–R51). It blocks until the task is terminal,
 * woken by store and queue events (no polling). While it waits it delivers the task's queued
 * side-channel requests to the requestor and publishes each answer on the response channel, where
 * the task waits for it (Python's response-router role, made serializable). Then it returns what
 * the underlying request returned: the same result with related-task `_meta`, or the same
 * JSON-RPC error.
 */
import {
  ErrorCode,
  McpError,
  RELATED_TASK_META_KEY,
  type JSONRPCRequest,
  type Notification,
  type Request,
  type Result,
} from '@modelcontextprotocol/sdk/types.js';
import { TaskCancelledError, TaskNotFoundError, TaskOutcomeError, fromJsonRpcError, toJsonRpcError } from '../core/errors.js';
import type { JsonRpcErrorData } from '../core/errors.js';
import type { SettledResponse, TaskMessageQueue, TaskQueuedMessage, TaskResponseChannel } from '../core/messageQueue.js';
import { isTerminal } from '../core/status.js';
import type { TaskScope, TaskStore } from '../core/taskStore.js';

/** How the handler reaches the requestor that called `tasks/result`. */
export interface SideChannelDelivery {
  /** Sends a request and resolves with the requestor's result (rejects with its error or a timeout). */
  sendRequest(request: Request, timeout: number): Promise<Result>;
  /** Sends a notification. */
  sendNotification(notification: Notification): Promise<void>;
  /**
   * Side-channel mode `'routed'`: sends the queued request as it is, with this library's id; the
   * answer comes back through {@link TaskResultHandler.routeResponse} (see `routeTaskResponses`).
   * When present it is used instead of `sendRequest`.
   */
  forward?(message: JSONRPCRequest): Promise<void>;
}

/** What the handler needs from the runtime. */
export interface TaskResultHandlerBackends {
  readonly store: TaskStore;
  readonly queue: TaskMessageQueue;
  readonly responseChannel: TaskResponseChannel;
}

/** Options of one {@link TaskResultHandler.handle} call. */
export interface HandleResultOptions {
  /** The requestor's owner scope. */
  scope: TaskScope;
  /** Where queued side-channel messages go. */
  delivery: SideChannelDelivery;
  /** How long a delivered request may wait for its answer before the task sees an error. */
  sideChannelTimeout: number;
  /** Aborted when the `tasks/result` request is cancelled (the task itself is not cancelled, G15). */
  signal?: AbortSignal;
}

/** Serves `tasks/result`; one instance per {@link TaskSupport}. */
export class TaskResultHandler {
  readonly #backends: TaskResultHandlerBackends;
  /** Answer deadlines of requests forwarded in `'routed'` mode by this process. */
  readonly #deadlines = new Map<string, NodeJS.Timeout>();

  constructor(backends: TaskResultHandlerBackends) {
    this.#backends = backends;
  }

  /**
   * Blocks until the task is terminal, delivering its queued side-channel messages meanwhile, then
   * returns its result (with related-task `_meta`) or throws its JSON-RPC error. A cancelled task
   * throws {@link TaskCancelledError} (-32602, G3); a task that disappears (expired, deleted) or
   * belongs to another scope throws {@link TaskNotFoundError}. Rejects with the signal's reason when
   * `signal` aborts; the task is unaffected.
   */
  async handle(taskId: string, options: HandleResultOptions): Promise<Result> {
    const { store, queue } = this.#backends;
    const { scope, signal } = options;
    for (;;) {
      signal?.throwIfAborted();
      const state = await store.getTaskState(taskId, scope);
      if (state === null) throw new TaskNotFoundError(taskId);
      if (isTerminal(state.task.status)) return this.#outcome(taskId, scope, state.task.status, state.task.statusMessage);
      await this.#deliverQueued(taskId, options);
      const waiting = new AbortController();
      const stop = (): void => waiting.abort(signal?.reason);
      signal?.addEventListener('abort', stop, { once: true });
      try {
        await Promise.race([
          store.waitForUpdate(taskId, state.version, waiting.signal),
          queue.waitForMessage(taskId, waiting.signal),
        ]);
      } finally {
        signal?.removeEventListener('abort', stop);
        waiting.abort();
      }
    }
  }

  /**
   * Takes the requestor's answer to a side-channel request that was forwarded with this library's
   * id (mode `'routed'`) and publishes it to the task waiting for it, in this process or another
   * (Python's `routeResponse` / `routeError`). Never throws.
   */
  routeResponse(requestId: string, response: SettledResponse): void {
    const deadline = this.#deadlines.get(requestId);
    if (deadline) {
      clearTimeout(deadline);
      this.#deadlines.delete(requestId);
    }
    this.#backends.responseChannel.publishResponse(requestId, response).catch(() => undefined);
  }

  /** The stored outcome of a terminal task, as `tasks/result` returns it. */
  async #outcome(taskId: string, scope: TaskScope, status: string, statusMessage: string | undefined): Promise<Result> {
    const outcome = await this.#backends.store.getTaskOutcome(taskId, scope);
    if (outcome === null) {
      if (status === 'cancelled') throw new TaskCancelledError(taskId);
      throw new TaskOutcomeError(
        ErrorCode.InternalError,
        `Task ${taskId} ${status === 'failed' ? 'failed' : 'ended'} without a stored result${statusMessage ? `: ${statusMessage}` : ''}`,
        { taskId, status },
      );
    }
    if (outcome.kind === 'error') throw fromJsonRpcError(outcome.error);
    const result = outcome.result;
    return { ...result, _meta: { ...result._meta, [RELATED_TASK_META_KEY]: { taskId } } };
  }

  /** Delivers every queued message; each request's answer is published when it arrives. */
  async #deliverQueued(taskId: string, options: HandleResultOptions): Promise<void> {
    for (;;) {
      if (options.signal?.aborted) return;
      const message = await this.#backends.queue.dequeue(taskId);
      if (message === undefined) return;
      this.#deliver(taskId, message, options);
    }
  }

  /** Sends one message; never rejects (a failed delivery is reported to the waiting task). */
  #deliver(taskId: string, queued: TaskQueuedMessage, options: HandleResultOptions): void {
    const { responseChannel } = this.#backends;
    if (queued.type === 'notification') {
      const { method, params } = queued.message;
      options.delivery.sendNotification(params === undefined ? { method } : { method, params }).catch(() => undefined);
      return;
    }
    const { id, method, params } = queued.message;
    const requestId = String(id);
    const timeout = options.sideChannelTimeout;
    if (options.delivery.forward) {
      this.#forward(queued.message, options.delivery.forward, timeout);
      return;
    }
    const request: Request = params === undefined ? { method } : { method, params };
    options.delivery
      .sendRequest(request, timeout)
      .then(
        (result) => responseChannel.publishResponse(requestId, { result: result as Record<string, unknown> }),
        async (error: unknown) => {
          // The tasks/result request was cancelled before its request went out: keep it for the next one.
          if (options.signal?.aborted && toJsonRpcError(error).code === ErrorCode.ConnectionClosed) {
            try {
              await this.#backends.queue.enqueue(taskId, queued);
              return;
            } catch {
              // the queue is full or closed: tell the task
            }
          }
          await responseChannel.publishResponse(requestId, { error: deliveryError(method, error, timeout) });
        },
      )
      .catch(() => undefined);
  }

  /** Mode `'routed'`: sends the request with our id; the answer arrives through `routeResponse`. */
  #forward(message: JSONRPCRequest, forward: (message: JSONRPCRequest) => Promise<void>, timeout: number): void {
    const requestId = String(message.id);
    const timer = setTimeout(() => {
      this.#deadlines.delete(requestId);
      this.#backends.responseChannel
        .publishResponse(requestId, { error: deliveryError(message.method, new McpError(ErrorCode.RequestTimeout, 'Request timed out'), timeout) })
        .catch(() => undefined);
    }, timeout);
    timer.unref();
    this.#deadlines.set(requestId, timer);
    forward(message).catch((error: unknown) => this.routeResponse(requestId, { error: deliveryError(message.method, error, timeout) }));
  }

  /** Stops the answer deadlines of this process (the waiting tasks are aborted by their own runtime). */
  close(): void {
    for (const timer of this.#deadlines.values()) clearTimeout(timer);
    this.#deadlines.clear();
  }
}

/** The error the task sees when its side-channel request failed or was never answered. */
function deliveryError(method: string, error: unknown, timeout: number): JsonRpcErrorData {
  const data = toJsonRpcError(error);
  if (data.code === ErrorCode.RequestTimeout) {
    return {
      code: ErrorCode.RequestTimeout,
      message:
        `${method} was not answered within ${timeout} ms: the requestor did not receive it or did not answer ` +
        `(in JSON-response mode use sideChannel 'standalone-stream' and keep a GET stream open)`,
      data: { method, timeout },
    };
  }
  if (data.code === ErrorCode.ConnectionClosed) {
    return { code: data.code, message: `${method} could not be delivered: ${data.message}`, data: { method } };
  }
  return data;
}
