/**
 * `ServerTaskContext`: the context of one running task (Python's `ServerTaskContext`). Status and
 * progress follow the task for its whole life (R61, R62); side-channel requests are queued with
 * related-task `_meta` (R30), move the task to `input_required` (R29) and back to `working` once
 * answered (R32, F2); the answer comes back through the response channel.
 */
import { randomUUID } from 'node:crypto';
import {
  ElicitResultSchema,
  RELATED_TASK_META_KEY,
  ResultSchema,
  type ClientCapabilities,
  type CreateMessageResult,
  type CreateMessageResultWithTools,
  type ElicitResult,
  type ProgressToken,
  type Task,
} from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import { fromJsonRpcError } from '../core/errors.js';
import type { TaskMessageQueue, TaskResponseChannel } from '../core/messageQueue.js';
import type { TaskScope, TaskStore, TaskUpdate } from '../core/taskStore.js';
import {
  createMessageAsTask,
  elicitAsTask,
  type ClientTaskRequestOptions,
  type CreateMessageAsTaskParams,
  type ElicitAsTaskParams,
  type TaskRequestingServer,
} from '../client/serverRequestors.js';
import type { TaskHandle } from '../client/taskHandle.js';
import type { TaskEvent } from './audit.js';
import type { ServerRequestExtra } from './scope.js';
import {
  assertClientCapability,
  createMessageResultSchema,
  type CreateMessageParams,
  type ElicitRequestedSchema,
  type ToolContext,
} from './toolContext.js';

/** What a task context needs from the server that runs it. */
export interface TaskContextHost {
  readonly store: TaskStore;
  readonly queue: TaskMessageQueue;
  readonly responseChannel: TaskResponseChannel;
  /** Sends `notifications/progress` (never rejects). */
  sendProgress(params: { progressToken: ProgressToken; progress: number; total?: number; message?: string }): Promise<void>;
  /** The capabilities the client declared. */
  clientCapabilities(): ClientCapabilities | undefined;
  /** Hands an audit event to the runtime's hooks (never throws). */
  reportTaskEvent(event: TaskEvent): void;
  /** The server that follows up on client-side tasks (`tasks/get`, `tasks/result`, `tasks/cancel` to the client). */
  requestor(): TaskRequestingServer;
}

/**
 * Options of {@link ServerTaskContext.elicitAsTask} / {@link ServerTaskContext.createMessageAsTask}:
 * the client module's, without `relatedTaskId` and `send` (set by the context).
 */
export interface ClientTaskOptions extends Omit<ClientTaskRequestOptions, 'relatedTaskId' | 'send' | 'requireTask'> {
  /**
   * Fail with `CapabilityMissingError` (-32600) when the client did not declare
   * `tasks.requests.elicitation.create` / `tasks.requests.sampling.createMessage`. Default true;
   * with false the request goes plainly and the handle has `returnedImmediately: true`.
   */
  requireTask?: boolean;
}

/** Everything a {@link ServerTaskContext} is made of. */
export interface ServerTaskContextInit {
  task: Task;
  scope: TaskScope;
  signal: AbortSignal;
  extra: ServerRequestExtra;
  host: TaskContextHost;
}

/** The context of one running task; also the {@link ToolContext} of a tool that runs as a task. */
export class ServerTaskContext implements ToolContext {
  /** The task as it was created. */
  readonly initialTask: Task;
  readonly taskId: string;
  readonly scope: TaskScope;
  readonly signal: AbortSignal;
  readonly extra: ServerRequestExtra;
  readonly #host: TaskContextHost;
  readonly #progressToken: ProgressToken | undefined;
  #pendingInputs = 0;
  #ended = false;

  constructor(init: ServerTaskContextInit) {
    this.initialTask = init.task;
    this.taskId = init.task.taskId;
    this.scope = init.scope;
    this.signal = init.signal;
    this.extra = init.extra;
    this.#host = init.host;
    this.#progressToken = init.extra._meta?.progressToken;
  }

  /** This context itself (so that `ctx.task` is set when a tool runs as a task). */
  get task(): ServerTaskContext {
    return this;
  }

  /** True once the task was cancelled (or expired, or the server shut down). */
  get isCancelled(): boolean {
    return this.signal.aborted;
  }

  /** True once the work has ended: no progress is sent any more (R62). */
  get ended(): boolean {
    return this.#ended;
  }

  /** Marks the work as ended (called by the runner before it stores the outcome). */
  end(): void {
    this.#ended = true;
  }

  /** Sets the task's `statusMessage` (the creating session is notified of the change). */
  async updateStatus(message: string): Promise<void> {
    await this.#update({ statusMessage: message });
  }

  /**
   * Sends `notifications/progress` with the original request's progress token, valid for the
   * task's whole life (R61) and never after it ended or was cancelled (R62); a `message` also
   * becomes the task's status message. Nothing is sent without a progress token.
   */
  async reportProgress(progress: number, total?: number, message?: string): Promise<void> {
    if (this.#ended || this.signal.aborted) return;
    if (this.#progressToken !== undefined) {
      await this.#host.sendProgress({
        progressToken: this.#progressToken,
        progress,
        ...(total === undefined ? {} : { total }),
        ...(message === undefined ? {} : { message }),
      });
    }
    if (message !== undefined) await this.updateStatus(message);
  }

  /** Form elicitation, queued for `tasks/result`. */
  async elicit(message: string, requestedSchema: ElicitRequestedSchema): Promise<ElicitResult> {
    assertClientCapability(this.#host.clientCapabilities(), 'elicitation/create');
    return this.#sideChannel('elicitation/create', { message, requestedSchema }, ElicitResultSchema);
  }

  /** URL elicitation, queued for `tasks/result`. */
  async elicitUrl(message: string, url: string, elicitationId: string): Promise<ElicitResult> {
    assertClientCapability(this.#host.clientCapabilities(), 'elicitation/create#url');
    return this.#sideChannel('elicitation/create', { mode: 'url', message, url, elicitationId }, ElicitResultSchema);
  }

  /** Sampling, queued for `tasks/result`. */
  async createMessage(params: CreateMessageParams): Promise<CreateMessageResult | CreateMessageResultWithTools> {
    assertClientCapability(this.#host.clientCapabilities(), params.tools ? 'sampling/createMessage#tools' : 'sampling/createMessage');
    return this.#sideChannel('sampling/createMessage', { ...params }, createMessageResultSchema(params));
  }

  /**
   * Asks the client to run an elicitation **as a client-side task** (Python's `elicit_as_task`)
   * and returns the handle of that task. The creating `elicitation/create` (with `params.task` and
   * related-task `_meta`, R30) travels through this task's side channel like {@link elicit}: queued,
   * delivered by `tasks/result`, this task `input_required` until the client answers with its
   * `CreateTaskResult`. The handle then follows the client's task with `tasks/get` / `tasks/result`
   * sent by this task's server to the client (pass `ctx.signal` to `handle.result({ signal })` to
   * stop waiting when this task is cancelled). Needs the client's `elicitation` capability and, unless
   * `requireTask: false`, `tasks.requests.elicitation.create` (else `CapabilityMissingError`, -32600).
   */
  async elicitAsTask(params: ElicitAsTaskParams, options: ClientTaskOptions = {}): Promise<TaskHandle<ElicitResult>> {
    this.signal.throwIfAborted();
    return elicitAsTask(this.#host.requestor(), params, this.#clientTaskOptions(options));
  }

  /**
   * Asks the client to run a sampling request **as a client-side task** (Python's
   * `create_message_as_task`); otherwise as {@link elicitAsTask}. Needs the client's `sampling`
   * capability and, unless `requireTask: false`, `tasks.requests.sampling.createMessage`.
   */
  async createMessageAsTask(
    params: CreateMessageAsTaskParams,
    options: ClientTaskOptions = {},
  ): Promise<TaskHandle<CreateMessageResult | CreateMessageResultWithTools>> {
    this.signal.throwIfAborted();
    return createMessageAsTask(this.#host.requestor(), params, this.#clientTaskOptions(options));
  }

  /** The client module's options: related to this task, and the creating request sent through its side channel. */
  #clientTaskOptions(options: ClientTaskOptions): ClientTaskRequestOptions {
    return {
      ...options,
      requireTask: options.requireTask ?? true,
      relatedTaskId: this.taskId,
      send: (request) => this.#sideChannel(request.method, { ...request.params }, ResultSchema),
    };
  }

  async #update(update: TaskUpdate): Promise<void> {
    await this.#host.store.updateTask(this.taskId, update, this.scope);
    if (update.status !== undefined) {
      this.#host.reportTaskEvent({ type: 'status', taskId: this.taskId, scope: this.scope, time: new Date().toISOString(), status: update.status });
    }
  }

  /**
   * Queues a request for the requestor and waits for its answer: the waiter is registered before
   * the request is queued, the task is `input_required` while any request is unanswered, and goes
   * back to `working` when the last one is answered.
   */
  async #sideChannel<S extends z.ZodType>(method: string, params: Record<string, unknown>, schema: S): Promise<z.output<S>> {
    this.signal.throwIfAborted();
    const id = `task-${this.taskId}-${randomUUID()}`;
    const waiting = new AbortController();
    const stop = (): void => waiting.abort(this.signal.reason);
    this.signal.addEventListener('abort', stop, { once: true });
    const answer = this.#host.responseChannel.waitForResponse(id, waiting.signal);
    answer.catch(() => undefined);
    this.#pendingInputs += 1;
    try {
      if (this.#pendingInputs === 1) await this.#update({ status: 'input_required' });
      const meta = (params['_meta'] as Record<string, unknown> | undefined) ?? {};
      await this.#host.queue.enqueue(this.taskId, {
        type: 'request',
        message: {
          jsonrpc: '2.0',
          id,
          method,
          params: { ...params, _meta: { ...meta, [RELATED_TASK_META_KEY]: { taskId: this.taskId } } },
        },
        timestamp: Date.now(),
      });
      const settled = await answer;
      if ('error' in settled) throw fromJsonRpcError(settled.error);
      return schema.parse(settled.result);
    } finally {
      this.signal.removeEventListener('abort', stop);
      waiting.abort();
      this.#pendingInputs -= 1;
      if (this.#pendingInputs === 0 && !this.signal.aborted) {
        await this.#update({ status: 'working' }).catch(() => undefined);
      }
    }
  }
}
