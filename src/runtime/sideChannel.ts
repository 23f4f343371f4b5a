/**
 * `SideChannel`: delivers what a task queued for its requestor (side-channel requests such as
 * elicitation and sampling, and notifications) to wherever the requestor listens, and routes the
 * requestor's answers back to the task through the response channel, in this process or another
 * (the protocol-neutral half of Python's `TaskResultHandler`: the response router, made serializable).
 */
import { ErrorCode, McpError, type JSONRPCRequest, type Notification, type Request, type Result } from '@modelcontextprotocol/sdk/types.js';
import { toJsonRpcError, type JsonRpcErrorData } from '../core/errors.js';
import type { SettledResponse, TaskMessageQueue, TaskQueuedMessage, TaskResponseChannel } from '../core/messageQueue.js';

/** How queued messages reach the requestor. */
export interface SideChannelDelivery {
  /** Sends a request and resolves with the requestor's result (rejects with its error or a timeout). */
  sendRequest(request: Request, timeout: number): Promise<Result>;
  /** Sends a notification. */
  sendNotification(notification: Notification): Promise<void>;
  /**
   * Sends the queued request as it is, with this library's id; the answer comes back through
   * {@link SideChannel.routeResponse}. When present it is used instead of `sendRequest`.
   */
  forward?(message: JSONRPCRequest): Promise<void>;
}

/** Options of one {@link SideChannel.deliverQueued} call. */
export interface DeliverOptions {
  /** How long a delivered request may wait for its answer before the task sees an error (ms). */
  timeout: number;
  /** Stops delivering; a request whose sending failed because of it goes back to the queue. */
  signal?: AbortSignal | undefined;
}

/** What the side channel needs from the backends. */
export interface SideChannelBackends {
  readonly queue: TaskMessageQueue;
  readonly responseChannel: TaskResponseChannel;
}

/** Delivers queued messages and routes answers; one per `TaskSupport`. */
export class SideChannel {
  readonly #backends: SideChannelBackends;
  /** Answer deadlines of the requests this process forwarded. */
  readonly #deadlines = new Map<string, NodeJS.Timeout>();
  /** Per task: how many deliverers (open `tasks/result` requests) this process runs, and who waits for none. */
  readonly #deliverers = new Map<string, { count: number; idle: Set<() => void> }>();

  constructor(backends: SideChannelBackends) {
    this.#backends = backends;
  }

  /** Delivers every message queued for the task now; each request's answer is published when it arrives. */
  async deliverQueued(taskId: string, delivery: SideChannelDelivery, options: DeliverOptions): Promise<void> {
    for (;;) {
      if (options.signal?.aborted) return;
      const message = await this.#backends.queue.dequeue(taskId);
      if (message === undefined) return;
      this.#deliver(taskId, message, delivery, options);
    }
  }

  /**
   * Marks a deliverer of the task's messages (an open `tasks/result`) as present in this process
   * until the returned function is called.
   */
  beginDelivery(taskId: string): () => void {
    let entry = this.#deliverers.get(taskId);
    if (entry === undefined) {
      entry = { count: 0, idle: new Set() };
      this.#deliverers.set(taskId, entry);
    }
    const current = entry;
    current.count += 1;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      current.count -= 1;
      if (current.count > 0) return;
      this.#deliverers.delete(taskId);
      for (const wake of current.idle) wake();
    };
  }

  /** Whether a deliverer of the task's messages is present in this process. */
  isDelivering(taskId: string): boolean {
    return this.#deliverers.has(taskId);
  }

  /** Resolves once no deliverer of the task's messages is present in this process (at once if none), or when `signal` aborts. */
  whenIdle(taskId: string, signal: AbortSignal): Promise<void> {
    const entry = this.#deliverers.get(taskId);
    if (entry === undefined || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        entry.idle.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      entry.idle.add(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  /**
   * Takes the requestor's answer to a side-channel request that went out with this library's id
   * and publishes it to the task waiting for it, wherever it runs (Python's `routeResponse` /
   * `routeError`). Never throws.
   */
  routeResponse(requestId: string, response: SettledResponse): void {
    const deadline = this.#deadlines.get(requestId);
    if (deadline) {
      clearTimeout(deadline);
      this.#deadlines.delete(requestId);
    }
    this.#backends.responseChannel.publishResponse(requestId, response).catch(() => undefined);
  }

  /** Stops the answer deadlines of this process (the waiting tasks are aborted by their own runtime). */
  close(): void {
    for (const timer of this.#deadlines.values()) clearTimeout(timer);
    this.#deadlines.clear();
  }

  /** Sends one message; never rejects (a failed delivery is reported to the waiting task). */
  #deliver(taskId: string, queued: TaskQueuedMessage, delivery: SideChannelDelivery, options: DeliverOptions): void {
    const { responseChannel } = this.#backends;
    if (queued.type === 'notification') {
      const { method, params } = queued.message;
      delivery.sendNotification(params === undefined ? { method } : { method, params }).catch(() => undefined);
      return;
    }
    const { id, method, params } = queued.message;
    const requestId = String(id);
    const { timeout, signal } = options;
    if (delivery.forward) {
      this.#forward(queued.message, delivery.forward, timeout);
      return;
    }
    const request: Request = params === undefined ? { method } : { method, params };
    delivery
      .sendRequest(request, timeout)
      .then(
        (result) => responseChannel.publishResponse(requestId, { result: result as Record<string, unknown> }),
        async (error: unknown) => {
          // The delivery was stopped before its request went out: keep it for the next one.
          if (signal?.aborted && toJsonRpcError(error).code === ErrorCode.ConnectionClosed) {
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

  /** Sends the request with our id; the answer arrives through `routeResponse`, or the deadline fails it. */
  #forward(message: JSONRPCRequest, forward: (message: JSONRPCRequest) => Promise<void>, timeout: number): void {
    const requestId = String(message.id);
    const timer = setTimeout(() => {
      this.#deadlines.delete(requestId);
      const error = deliveryError(message.method, new McpError(ErrorCode.RequestTimeout, 'Request timed out'), timeout);
      this.#backends.responseChannel.publishResponse(requestId, { error }).catch(() => undefined);
    }, timeout);
    timer.unref();
    this.#deadlines.set(requestId, timer);
    forward(message).catch((error: unknown) => this.routeResponse(requestId, { error: deliveryError(message.method, error, timeout) }));
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
