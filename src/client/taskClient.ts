/**
 * `TaskClient`: an SDK `Client` with a task-aware `experimental` surface.
 *
 * Why a subclass (and not only functions): hosting tasks on a client needs two things that cannot
 * be done cleanly from outside a `Client` —
 * - a request carrying `params.task` for a method this client did not declare must be answered
 *   normally (R5, R20); the SDK instead rejects it (its task-handler assertion) or insists on a
 *   `CreateTaskResult`. `TaskClient` drops such `params.task` before the SDK sees the request;
 * - every answer to a request related to a task carries the related-task `_meta` (R33).
 * Calling tools as tasks needs neither: {@link callToolAsTask} works on any `Client`, and
 * `client.experimental.callToolAsTask` is the same function.
 */
import { Client, type ClientOptions } from '@modelcontextprotocol/sdk/client/index.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { AnyObjectSchema, SchemaOutput } from '@modelcontextprotocol/sdk/server/zod-compat.js';
import {
  TaskStatusNotificationSchema,
  type ClientCapabilities,
  type ClientResult,
  type Implementation,
  type ListTasksResult,
  type Result,
  type Task,
  type TaskStatusNotification,
} from '@modelcontextprotocol/sdk/types.js';
import { callToolAsTask, type CallToolAsTaskOptions, type ToolTask } from './callToolAsTask.js';
import { enableClientTasks, type ClientRequestExtra, type ClientTasks, type ClientTasksOptions } from './clientTasks.js';
import { listAllTasks, listTasks, type ListTasksOptions } from './listTasks.js';
import { withRelatedTaskMeta } from './relatedTaskMeta.js';
import { INSTALL_STATUS_HANDLER, observeTaskStatus } from './statusNotifications.js';

/** `TaskClient.experimental`: the SDK's `tasks` plus this library's task surface. */
export interface TaskClientExperimental {
  /** The SDK's own experimental task API (`callToolStream`, `getTask`, …). */
  readonly tasks: Client['experimental']['tasks'];
  /** Calls a tool as a task where allowed; see {@link callToolAsTask}. */
  callToolAsTask(name: string, args?: Record<string, unknown>, options?: CallToolAsTaskOptions): Promise<ToolTask>;
  /** One page of the server's tasks (cursor passed back untouched, R67). */
  listTasks(cursor?: string, options?: ListTasksOptions): Promise<ListTasksResult>;
  /** Every task the server lists, following the cursors. */
  listAllTasks(options?: ListTasksOptions): AsyncGenerator<Task>;
  /** Hosts task-augmented elicitation / sampling; call before `connect()`. See {@link enableClientTasks}. */
  enableTasks(options: ClientTasksOptions): ClientTasks;
}

const TASK_METHODS: ReadonlyArray<readonly [string, (requests: NonNullable<NonNullable<ClientCapabilities['tasks']>['requests']>) => unknown]> = [
  ['elicitation/create', (r) => r.elicitation?.create],
  ['sampling/createMessage', (r) => r.sampling?.createMessage],
];

/** An SDK `Client` whose `experimental` surface adds task handles and client-hosted tasks. */
export class TaskClient extends Client {
  #taskRequests: NonNullable<NonNullable<ClientCapabilities['tasks']>['requests']> = {};
  #experimental: TaskClientExperimental | undefined;
  #statusObserver: (() => void) | undefined;

  constructor(clientInfo: Implementation, options?: ClientOptions) {
    super(clientInfo, options);
    this.#taskRequests = { ...(options?.capabilities?.tasks?.requests ?? {}) };
  }

  override get experimental(): TaskClientExperimental {
    if (this.#experimental === undefined) {
      const sdk = super.experimental.tasks;
      this.#experimental = {
        tasks: sdk,
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

  /** Same as `Client.setRequestHandler`; answers to task-related requests get related-task `_meta` (R33). */
  override setRequestHandler<T extends AnyObjectSchema>(
    requestSchema: T,
    handler: (request: SchemaOutput<T>, extra: ClientRequestExtra) => ClientResult | Result | Promise<ClientResult | Result>,
  ): void {
    super.setRequestHandler(requestSchema, async (request, extra) =>
      withRelatedTaskMeta(request as { method: string; params?: unknown }, await handler(request, extra)),
    );
  }

  /**
   * Same as `Client.setNotificationHandler`, except that a handler for `notifications/tasks/status`
   * is added next to the task handles' own (it does not replace it, nor is it replaced by it).
   */
  override setNotificationHandler<T extends AnyObjectSchema>(
    notificationSchema: T,
    handler: (notification: SchemaOutput<T>) => void | Promise<void>,
  ): void {
    if ((notificationSchema as unknown) !== TaskStatusNotificationSchema) {
      super.setNotificationHandler(notificationSchema, handler);
      return;
    }
    this.#statusObserver?.();
    this.#statusObserver = observeTaskStatus(this, handler as (n: TaskStatusNotification) => void);
  }

  /** Installs the shared `notifications/tasks/status` dispatcher (used by the task handles). */
  [INSTALL_STATUS_HANDLER](handler: (notification: TaskStatusNotification) => void | Promise<void>): void {
    super.setNotificationHandler(TaskStatusNotificationSchema, handler);
  }

  /** Same as `Client.connect`; ignores `params.task` on request types this client did not declare (R20). */
  override async connect(transport: Transport, options?: RequestOptions): Promise<void> {
    const previous = transport.onmessage;
    transport.onmessage = (message, extra) => {
      this.#dropUndeclaredTask(message);
      previous?.(message, extra);
    };
    await super.connect(transport, options);
  }

  #dropUndeclaredTask(message: unknown): void {
    const m = message as { id?: unknown; method?: unknown; params?: Record<string, unknown> };
    if (m.id === undefined || typeof m.method !== 'string' || m.params === undefined || !('task' in m.params)) return;
    const declared = TASK_METHODS.find(([method]) => method === m.method)?.[1](this.#taskRequests);
    if (declared === undefined || declared === null || (declared as unknown) === false) delete m.params.task;
  }
}
