/**
 * `TaskClient`: an SDK `Client` with a task-aware `experimental` surface.
 *
 * Why a subclass (and not only functions): hosting tasks on a client needs two things that are done
 * on the client's own connection, with a transport wrapper (public `Transport` API only) —
 * - a request carrying `params.task` for a method this client did not declare must be answered
 *   normally (R5, R20); the SDK instead rejects it or insists on a `CreateTaskResult`. `TaskClient`
 *   drops such `params.task` before the SDK sees the request;
 * - every answer to a request related to a task carries the related-task `_meta` (R33): it is
 *   added to the response on its way out.
 * Task handles get `notifications/tasks/status` from the same wrapper, so a handler the user sets
 * for them with `setNotificationHandler` is the SDK's as usual. Calling tools as tasks needs none of
 * this: {@link callToolAsTask} works on any `Client`, and `client.experimental.callToolAsTask` is
 * the same function.
 */
import { Client, type ClientOptions } from '@modelcontextprotocol/sdk/client/index.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  TaskStatusNotificationSchema,
  type ClientCapabilities,
  type Implementation,
  type JSONRPCMessage,
  type JSONRPCRequest,
  type ListTasksResult,
  type RequestId,
  type Task,
  type TaskStatusNotification,
} from '@modelcontextprotocol/sdk/types.js';
import { addRelatedTaskMeta, relatedTaskId } from '../receiver/relatedTask.js';
import { listAllTasks, listTasks, type ListTasksOptions } from '../requestor/listTasks.js';
import { INSTALL_STATUS_HANDLER } from '../requestor/statusNotifications.js';
import { TransportProxy } from '../transport/transportProxy.js';
import { callToolAsTask, type CallToolAsTaskOptions, type ToolTask } from './callToolAsTask.js';
import { enableClientTasks, type ClientTaskHost, type ClientTasksOptions } from './clientTasks.js';

/** `TaskClient.experimental`: the SDK's `tasks` plus this library's task surface. */
export interface TaskClientExperimental {
  /** The SDK's own experimental task API (`callToolStream`, `getTask`, …). */
  readonly tasks: Client['experimental']['tasks'];
  /** Calls a tool as a task where allowed; see {@link callToolAsTask}. */
  callToolAsTask(name: string, args?: Record<string, unknown>, options?: CallToolAsTaskOptions): Promise<ToolTask>;
  /** One page of the server's tasks (cursor passed back untouched, R67). */
  listTasks(cursor?: string, options?: ListTasksOptions): Promise<ListTasksResult>;
  /** Every task the server lists, following the cursors (an async generator: `for await`). */
  listAllTasks(options?: ListTasksOptions): AsyncGenerator<Task>;
  /** Hosts task-augmented elicitation / sampling; call before `connect()`. See {@link enableClientTasks}. */
  enableTasks(options: ClientTasksOptions): ClientTaskHost;
}

type TaskRequests = NonNullable<NonNullable<ClientCapabilities['tasks']>['requests']>;

const TASK_METHODS: ReadonlyArray<readonly [string, (requests: TaskRequests) => unknown]> = [
  ['elicitation/create', (r) => r.elicitation?.create],
  ['sampling/createMessage', (r) => r.sampling?.createMessage],
];

/** An SDK `Client` whose `experimental` surface adds task handles and client-hosted tasks. */
export class TaskClient extends Client {
  #taskRequests: TaskRequests = {};
  #experimental: TaskClientExperimental | undefined;
  #statusHandler: ((notification: TaskStatusNotification) => void | Promise<void>) | undefined;
  /** Requests being answered that name a related task, by id: their answers get the `_meta` (R33). */
  readonly #related = new Map<RequestId, string>();

  constructor(clientInfo: Implementation, options?: ClientOptions) {
    super(clientInfo, options);
    this.#taskRequests = { ...(options?.capabilities?.tasks?.requests ?? {}) };
  }

  override get experimental(): TaskClientExperimental {
    if (this.#experimental === undefined) {
      this.#experimental = {
        tasks: super.experimental.tasks,
        callToolAsTask: (name, args, options) => callToolAsTask(this, name, args, options),
        listTasks: (cursor, options) => listTasks(this, cursor, options),
        listAllTasks: (options) => listAllTasks(this, options),
        enableTasks: (options) => enableClientTasks(this, options),
      };
    }
    return this.#experimental;
  }

  override registerCapabilities(capabilities: ClientCapabilities): void {
    super.registerCapabilities(capabilities);
    const requests = capabilities.tasks?.requests;
    if (requests) this.#taskRequests = { ...this.#taskRequests, ...requests };
  }

  /** Where the task handles get `notifications/tasks/status` (beside any handler set with `setNotificationHandler`). */
  [INSTALL_STATUS_HANDLER](handler: (notification: TaskStatusNotification) => void | Promise<void>): void {
    this.#statusHandler = handler;
  }

  /** Same as `Client.connect`, through the wrapper that keeps R20 and R33 (see the class). */
  override async connect(transport: Transport, options?: RequestOptions): Promise<void> {
    const proxy = new TransportProxy(transport, {
      inbound: (message) => this.#inbound(message),
      send: (message, sendOptions, send) => send(this.#outbound(message), sendOptions),
    });
    await super.connect(proxy, options);
  }

  #inbound(message: JSONRPCMessage): JSONRPCMessage {
    if (!('method' in message)) return message;
    if (!('id' in message)) {
      if (message.method === 'notifications/tasks/status') this.#dispatchStatus(message);
      const cancelled = message.method === 'notifications/cancelled' ? (message.params as { requestId?: RequestId } | undefined)?.requestId : undefined;
      if (cancelled !== undefined) this.#related.delete(cancelled);
      return message;
    }
    const request = message as JSONRPCRequest;
    const taskId = request.method.startsWith('tasks/') ? undefined : relatedTaskId(request);
    if (taskId !== undefined) this.#related.set(request.id, taskId);
    return this.#dropUndeclaredTask(request);
  }

  #outbound(message: JSONRPCMessage): JSONRPCMessage {
    const id = 'method' in message || !('id' in message) ? undefined : message.id;
    const taskId = id === undefined ? undefined : this.#related.get(id);
    if (id === undefined || taskId === undefined) return message;
    this.#related.delete(id);
    if (!('result' in message)) return message;
    return { ...message, result: addRelatedTaskMeta(message.result, taskId) };
  }

  #dispatchStatus(message: JSONRPCMessage): void {
    const handler = this.#statusHandler;
    if (handler === undefined) return;
    const parsed = TaskStatusNotificationSchema.safeParse(message);
    if (parsed.success) Promise.resolve().then(() => handler(parsed.data)).catch(() => undefined);
  }

  /** The request without `params.task` when this client did not declare itself a receiver of its kind. */
  #dropUndeclaredTask(message: JSONRPCRequest): JSONRPCMessage {
    const params = message.params;
    if (params === undefined || !('task' in params)) return message;
    const declared = TASK_METHODS.find(([method]) => method === message.method)?.[1](this.#taskRequests);
    if (declared !== undefined && declared !== null && (declared as unknown) !== false) return message;
    const { task: _ignored, ...rest } = params;
    return { ...message, params: rest };
  }
}
