/**
 * `TaskContext`: the context of one running task, the same whichever wire revision created it
 * (Python's `ServerTaskContext`; the 2025-11-25 server binding extends it). Status and progress
 * follow the task for its whole life (R61, R62); requests to the client move the task to
 * `input_required` and back (R29, R32) and travel the way the binding says.
 */
import type {
  ClientCapabilities,
  CreateMessageResult,
  CreateMessageResultWithTools,
  ElicitResult,
  ProgressToken,
  Task,
  TaskStatus,
} from '@modelcontextprotocol/sdk/types.js';
import type { TaskResponseChannel } from '../core/messageQueue.js';
import type { TaskScope, TaskStore, TaskUpdate } from '../core/taskStore.js';
import type { TaskEvent } from './audit.js';
import { assertClientCapability } from './capabilities.js';
import { InputRequests, type InputRequest } from './inputRequests.js';
import type { CreateMessageParams, ElicitRequestedSchema, ToolTaskContext } from './toolContext.js';

/** Progress as the 2025-11-25 `notifications/progress` carries it. */
export interface ProgressParams {
  progressToken: ProgressToken;
  progress: number;
  total?: number;
  message?: string;
}

/** What a task context needs from the binding that runs it. */
export interface TaskContextHost {
  readonly store: TaskStore;
  readonly responseChannel: TaskResponseChannel;
  /**
   * Delivers a request of task `taskId` to its requestor the way this revision does (it is pending
   * in the store already, under `request.id`).
   */
  postInputRequest(taskId: string, request: InputRequest): Promise<void>;
  /** Checks the requestor's answer to `method` (the binding's wire schemas); throws when it is malformed. */
  parseAnswer(method: string, params: Record<string, unknown>, result: Record<string, unknown>): Record<string, unknown>;
  /** Sends progress where the revision carries it for tasks; absent: progress only moves the status message. */
  sendProgress?(params: ProgressParams): Promise<void>;
  /** The capabilities the client declared (`undefined` when unknown). */
  clientCapabilities(): ClientCapabilities | undefined;
  /** Hands an audit event to the runtime's hooks (never throws). */
  reportTaskEvent(event: TaskEvent): void;
}

/** Everything a {@link TaskContext} is made of. */
export interface TaskContextInit<Extra> {
  task: Task;
  scope: TaskScope;
  signal: AbortSignal;
  extra: Extra;
  /** The creating request's progress token, if it had one. */
  progressToken?: ProgressToken | undefined;
  /** The answers to the tool's `inputs`, asked before the task was created. Default `{}`. */
  inputs?: Readonly<Record<string, ElicitResult>> | undefined;
  host: TaskContextHost;
}

/** The context of one running task; also the {@link ToolContext} of a tool that runs as a task. */
export class TaskContext<Extra = unknown> implements ToolTaskContext<Extra> {
  /** The task as it was created. */
  readonly initialTask: Task;
  readonly taskId: string;
  readonly scope: TaskScope;
  readonly signal: AbortSignal;
  readonly extra: Extra;
  readonly inputs: Readonly<Record<string, ElicitResult>>;
  readonly #host: TaskContextHost;
  readonly #progressToken: ProgressToken | undefined;
  /** Made by the first request to the requestor (most tasks make none). */
  #inputs: InputRequests | undefined;
  #ended = false;

  constructor(init: TaskContextInit<Extra>) {
    this.initialTask = init.task;
    this.taskId = init.task.taskId;
    this.scope = init.scope;
    this.signal = init.signal;
    this.extra = init.extra;
    this.inputs = init.inputs ?? {};
    this.#host = init.host;
    this.#progressToken = init.progressToken;
  }

  /** This context itself (so that `ctx.task` is set when a tool runs as a task). */
  get task(): this {
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

  /** Marks the work as ended (the runner does it before it stores the outcome). */
  end(): void {
    this.#ended = true;
  }

  /** Sets the task's `statusMessage` (the creating session is notified of the change). */
  async updateStatus(message: string): Promise<void> {
    await this.#update({ statusMessage: message });
  }

  /**
   * Reports progress with the original request's progress token, valid for the task's whole life
   * (R61) and never after it ended or was cancelled (R62), where the revision carries progress for
   * tasks; a `message` also becomes the task's status message.
   */
  async reportProgress(progress: number, total?: number, message?: string): Promise<void> {
    if (this.#ended || this.signal.aborted) return;
    const send = this.#host.sendProgress;
    if (send !== undefined && this.#progressToken !== undefined) {
      await send.call(this.#host, {
        progressToken: this.#progressToken,
        progress,
        ...(total === undefined ? {} : { total }),
        ...(message === undefined ? {} : { message }),
      });
    }
    if (message !== undefined) await this.updateStatus(message);
  }

  /** Form elicitation. */
  async elicit(message: string, requestedSchema: ElicitRequestedSchema): Promise<ElicitResult> {
    assertClientCapability(this.#host.clientCapabilities(), 'elicitation/create');
    return this.#ask('elicitation/create', { message, requestedSchema }) as Promise<ElicitResult>;
  }

  /** URL elicitation. */
  async elicitUrl(message: string, url: string, elicitationId: string): Promise<ElicitResult> {
    assertClientCapability(this.#host.clientCapabilities(), 'elicitation/create#url');
    return this.#ask('elicitation/create', { mode: 'url', message, url, elicitationId }) as Promise<ElicitResult>;
  }

  /** Sampling. */
  async createMessage(params: CreateMessageParams): Promise<CreateMessageResult | CreateMessageResultWithTools> {
    assertClientCapability(this.#host.clientCapabilities(), params.tools ? 'sampling/createMessage#tools' : 'sampling/createMessage');
    return this.#ask('sampling/createMessage', { ...params }) as Promise<CreateMessageResult | CreateMessageResultWithTools>;
  }

  /** Sends a request to the requestor through this task's input channel and resolves with its unchecked result. */
  protected requestInput(method: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    const host = this.#host;
    this.#inputs ??= new InputRequests({
      taskId: this.taskId,
      scope: this.scope,
      signal: this.signal,
      store: host.store,
      responseChannel: host.responseChannel,
      post: (request) => host.postInputRequest(this.taskId, request),
      statusChanged: (status) => this.#reportStatus(status),
    });
    return this.#inputs.request(method, params);
  }

  async #ask(method: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    return this.#host.parseAnswer(method, params, await this.requestInput(method, params));
  }

  async #update(update: TaskUpdate): Promise<void> {
    await this.#host.store.updateTask(this.taskId, update, this.scope);
    if (update.status !== undefined) this.#reportStatus(update.status);
  }

  #reportStatus(status: TaskStatus): void {
    this.#host.reportTaskEvent({ type: 'status', taskId: this.taskId, scope: this.scope, time: new Date().toISOString(), status });
  }
}
