/**
 * `ServerTaskContext`: the context of a task run by the 2025-11-25 server binding (Python's
 * `ServerTaskContext`): everything of the runtime's `TaskContext` — requests to the client are
 * queued with related-task `_meta` for `tasks/result` (R30, R31) — plus asking the client to run
 * an elicitation or a sampling request as a client-side task.
 */
import type { CreateMessageResult, CreateMessageResultWithTools, ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import type { TaskHandle } from '../requestor/taskHandle.js';
import { TaskContext, type TaskContextInit } from '../runtime/taskContext.js';
import type { ToolContext } from '../runtime/toolContext.js';
import type { ToolHandler as TaskToolHandler } from '../runtime/toolRegistry.js';
import {
  createMessageAsTask,
  elicitAsTask,
  type ClientTaskRequestOptions,
  type CreateMessageAsTaskParams,
  type ElicitAsTaskParams,
  type TaskRequestingServer,
} from './clientTaskRequests.js';
import type { ServerRequestExtra } from './scope.js';

/** What a tool handler of this binding receives (a `ToolContext` with the SDK's `extra`). */
export interface ServerToolContext extends ToolContext<ServerRequestExtra> {
  /** The task this call runs as, when it was called with `task`. */
  readonly task: ServerTaskContext | undefined;
}

/** A tool's handler on this binding: the same code runs as a task or directly, `ctx` tells which. */
export type ToolHandler<Args = Record<string, unknown>> = TaskToolHandler<Args, ServerToolContext>;

/**
 * Options of {@link ServerTaskContext.elicitAsTask} / {@link ServerTaskContext.createMessageAsTask}:
 * those of `elicitAsTask`, without `relatedTaskId` and `send` (set by the context).
 */
export interface ClientTaskOptions extends Omit<ClientTaskRequestOptions, 'relatedTaskId' | 'send' | 'requireTask'> {
  /**
   * Fail with `CapabilityMissingError` (-32600) when the client did not declare
   * `tasks.requests.elicitation.create` / `tasks.requests.sampling.createMessage`. Default true;
   * with false the request goes plainly and the handle has `returnedImmediately: true`.
   */
  requireTask?: boolean;
}

/** Everything a {@link ServerTaskContext} is made of: the runtime's, plus the server that follows client-side tasks. */
export interface ServerTaskContextInit extends TaskContextInit<ServerRequestExtra> {
  /** The server that sends `tasks/get`, `tasks/result`, `tasks/cancel` to the client for its client-side tasks. */
  requestor: TaskRequestingServer;
}

/** The context of one running task of a 2025-11-25 server; also the tool's `ctx`. */
export class ServerTaskContext extends TaskContext<ServerRequestExtra> implements ServerToolContext {
  readonly #requestor: TaskRequestingServer;

  constructor(init: ServerTaskContextInit) {
    super(init);
    this.#requestor = init.requestor;
  }

  /**
   * Asks the client to run an elicitation **as a client-side task** (Python's `elicit_as_task`)
   * and returns the handle of that task. The creating `elicitation/create` (with `params.task` and
   * related-task `_meta`, R30) travels through this task's side channel like `elicit`: queued,
   * delivered by `tasks/result`, this task `input_required` until the client answers with its
   * `CreateTaskResult`. The handle then follows the client's task with `tasks/get` / `tasks/result`
   * sent by this task's server to the client (pass `ctx.signal` to `handle.result({ signal })` to
   * stop waiting when this task is cancelled). Needs the client's `elicitation` capability and, unless
   * `requireTask: false`, `tasks.requests.elicitation.create` (else `CapabilityMissingError`, -32600).
   */
  async elicitAsTask(params: ElicitAsTaskParams, options: ClientTaskOptions = {}): Promise<TaskHandle<ElicitResult>> {
    this.signal.throwIfAborted();
    return elicitAsTask(this.#requestor, params, this.#clientTaskOptions(options));
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
    return createMessageAsTask(this.#requestor, params, this.#clientTaskOptions(options));
  }

  /** The requestor options: related to this task, and the creating request sent through its side channel. */
  #clientTaskOptions(options: ClientTaskOptions): ClientTaskRequestOptions {
    return {
      ...options,
      requireTask: options.requireTask ?? true,
      relatedTaskId: this.taskId,
      send: (request) => this.requestInput(request.method, { ...request.params }),
    };
  }
}
