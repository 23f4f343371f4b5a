/**
 * A client as **receiver** of tasks: it accepts task-augmented `elicitation/create` and
 * `sampling/createMessage` from a server, declares `tasks.requests.elicitation.create` /
 * `tasks.requests.sampling.createMessage`, and serves `tasks/get`, `tasks/result`, `tasks/list` and
 * `tasks/cancel` for those tasks.
 *
 * Built on the core contracts (a {@link TaskStore}, by default the in-memory one), not on the SDK's
 * Protocol-level `taskStore` / `taskMessageQueue` options, so the client's answers to a server's
 * side-channel requests are never swallowed into a local queue (F7).
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  CancelTaskRequestSchema,
  CreateMessageRequestSchema,
  CreateMessageResultSchema,
  CreateMessageResultWithToolsSchema,
  ElicitRequestSchema,
  ElicitResultSchema,
  ErrorCode,
  GetTaskPayloadRequestSchema,
  GetTaskRequestSchema,
  ListTasksRequestSchema,
  McpError,
  RELATED_TASK_META_KEY,
  type ClientCapabilities,
  type ClientNotification,
  type ClientRequest,
  type CreateMessageRequest,
  type CreateMessageResult,
  type CreateMessageResultWithTools,
  type CreateTaskResult,
  type ElicitRequest,
  type ElicitResult,
  type Notification,
  type Request,
  type Result,
  type Task,
} from '@modelcontextprotocol/sdk/types.js';
import {
  fromJsonRpcError,
  TaskCancelledError,
  TaskNotFoundError,
  TaskTerminalError,
  toJsonRpcError,
} from '../core/errors.js';
import { isTerminal } from '../core/status.js';
import type { FinishTaskInput, TaskScope, TaskStore } from '../core/taskStore.js';
import { InMemoryTaskStore } from '../stores/memory/index.js';

/** The `extra` the SDK gives a client's request handlers. */
export type ClientRequestExtra = RequestHandlerExtra<ClientRequest | Request, ClientNotification | Notification>;

/** What a hosted request handler receives besides the request. */
export interface ClientTaskHandlerContext {
  /** Aborted when the task is cancelled (`tasks/cancel`) or the client's tasks are closed. */
  readonly signal: AbortSignal;
  /** The id of the task this request runs as; `undefined` when it was not task-augmented. */
  readonly taskId: string | undefined;
  /** The SDK's `extra` of the request that created the task (or of the plain request). */
  readonly extra: ClientRequestExtra;
}

/** Answers an `elicitation/create` (plain, or as a task). */
export type ElicitationHandler = (request: ElicitRequest, context: ClientTaskHandlerContext) => Promise<ElicitResult>;

/** Answers a `sampling/createMessage` (plain, or as a task). */
export type SamplingHandler = (
  request: CreateMessageRequest,
  context: ClientTaskHandlerContext,
) => Promise<CreateMessageResult | CreateMessageResultWithTools>;

/** Options of {@link enableClientTasks}. */
export interface ClientTasksOptions {
  /** Where the client's tasks live. Default: a new in-memory store, closed by `close()`. */
  store?: TaskStore;
  /** Handles `elicitation/create`; declares `tasks.requests.elicitation.create`. */
  elicitation?: ElicitationHandler;
  /** Handles `sampling/createMessage`; declares `tasks.requests.sampling.createMessage`. */
  sampling?: SamplingHandler;
  /** Whether to declare and serve `tasks/list` (R6). Default true. */
  list?: boolean;
  /** Owner scope of this client's tasks in the store (for a store shared by several clients). */
  scope?: TaskScope;
  /** `pollInterval` (ms) reported to the server. Default: the store's. */
  pollInterval?: number;
}

/** A client's hosted-task runtime, returned by {@link enableClientTasks}. */
export interface ClientTasks {
  /** The store holding the client's tasks. */
  readonly store: TaskStore;
  /** The `tasks` capability this client declares. */
  readonly capability: NonNullable<ClientCapabilities['tasks']>;
  /** Aborts running handlers and closes the store if it was created here. Idempotent. */
  close(): Promise<void>;
}

/** The task capability derived from the handlers given (what {@link enableClientTasks} declares). */
export function clientTasksCapability(options: ClientTasksOptions): NonNullable<ClientCapabilities['tasks']> {
  const requests: NonNullable<NonNullable<ClientCapabilities['tasks']>['requests']> = {};
  if (options.elicitation) requests.elicitation = { create: {} };
  if (options.sampling) requests.sampling = { createMessage: {} };
  const capability: NonNullable<ClientCapabilities['tasks']> = { cancel: {}, requests };
  if (options.list ?? true) capability.list = {};
  return capability;
}

type HostedHandler = (request: Request, context: ClientTaskHandlerContext) => Promise<Result>;

/**
 * Turns `client` into a receiver of task-augmented elicitation and sampling. Call before
 * `connect()` (capabilities are exchanged at initialization). Registers the request handlers for
 * `elicitation/create` and/or `sampling/createMessage` (so do not register your own for those)
 * and for `tasks/get`, `tasks/result`, `tasks/list`, `tasks/cancel`.
 */
export function enableClientTasks(client: Client, options: ClientTasksOptions): ClientTasks {
  if (client.transport !== undefined) throw new Error('enableClientTasks() must be called before connect()');
  if (!options.elicitation && !options.sampling) {
    throw new TypeError('enableClientTasks() needs an elicitation and/or a sampling handler');
  }
  const ownsStore = options.store === undefined;
  const store = options.store ?? new InMemoryTaskStore();
  const scope = options.scope;
  const capability = clientTasksCapability(options);
  const running = new Map<string, AbortController>();
  const closing = new AbortController();

  const extraCapabilities: ClientCapabilities = { tasks: capability };
  if (options.elicitation) extraCapabilities.elicitation = {};
  if (options.sampling) extraCapabilities.sampling = {};
  client.registerCapabilities(extraCapabilities);

  const notifyStatus = (task: Task): void => {
    client.notification({ method: 'notifications/tasks/status', params: task }).catch(() => undefined);
  };

  /** Runs `handler` as a task: answers with `CreateTaskResult` at once, the work goes on. */
  const startTask = async (
    request: Request & { params: { task?: { ttl?: number | null } } },
    extra: ClientRequestExtra,
    handler: HostedHandler,
    validate: (result: unknown) => Result,
  ): Promise<CreateTaskResult> => {
    const taskParams: { ttl?: number | null; pollInterval?: number } = {};
    if (request.params.task?.ttl !== undefined) taskParams.ttl = request.params.task.ttl;
    if (options.pollInterval !== undefined) taskParams.pollInterval = options.pollInterval;
    const task = await store.createTask(taskParams, extra.requestId, request, scope);
    const controller = new AbortController();
    const onClose = (): void => controller.abort(closing.signal.reason);
    closing.signal.addEventListener('abort', onClose, { once: true });
    running.set(task.taskId, controller);
    const { task: _task, ...plain } = request.params;
    const plainRequest = { ...request, params: plain } as Request;
    void (async () => {
      let finish: FinishTaskInput;
      try {
        const result = validate(await handler(plainRequest, { signal: controller.signal, taskId: task.taskId, extra }));
        finish = { status: 'completed', outcome: { kind: 'result', result } };
      } catch (error) {
        finish = { status: 'failed', outcome: { kind: 'error', error: toJsonRpcError(error) } };
      }
      try {
        notifyStatus(await store.finishTask(task.taskId, finish, scope));
      } catch {
        // cancelled or expired meanwhile: the task keeps its state (a cancelled task stays cancelled)
      } finally {
        running.delete(task.taskId);
        closing.signal.removeEventListener('abort', onClose);
      }
    })();
    return { task };
  };

  const register = (
    handler: HostedHandler,
    schema: typeof ElicitRequestSchema | typeof CreateMessageRequestSchema,
    validate: (result: unknown, request: Request) => Result,
  ): void => {
    client.setRequestHandler(schema as typeof ElicitRequestSchema, async (request, extra) => {
      const params = request.params as { task?: unknown };
      if (params.task !== undefined) {
        return startTask(request as never, extra, handler, (result) => validate(result, request));
      }
      return (await handler(request, { signal: extra.signal, taskId: undefined, extra })) as ElicitResult;
    });
  };

  if (options.elicitation) {
    const elicit = options.elicitation;
    register((request, context) => elicit(request as ElicitRequest, context), ElicitRequestSchema, (result) =>
      parseResult(ElicitResultSchema, result, 'elicitation'),
    );
  }
  if (options.sampling) {
    const sample = options.sampling;
    register((request, context) => sample(request as CreateMessageRequest, context), CreateMessageRequestSchema, (result, request) => {
      const params = request.params as { tools?: unknown; toolChoice?: unknown };
      const schema = params.tools || params.toolChoice ? CreateMessageResultWithToolsSchema : CreateMessageResultSchema;
      return parseResult(schema, result, 'sampling');
    });
  }

  client.setRequestHandler(GetTaskRequestSchema, async (request) => {
    const task = await store.getTask(request.params.taskId, scope);
    if (task === null) throw new TaskNotFoundError(request.params.taskId);
    return task;
  });

  client.setRequestHandler(GetTaskPayloadRequestSchema, async (request, extra) => {
    const { taskId } = request.params;
    for (;;) {
      const state = await store.getTaskState(taskId, scope);
      if (state === null) throw new TaskNotFoundError(taskId);
      if (isTerminal(state.task.status)) return terminalPayload(store, taskId, scope);
      await store.waitForUpdate(taskId, state.version, extra.signal);
    }
  });

  if (capability.list) {
    client.setRequestHandler(ListTasksRequestSchema, async (request) => {
      const page = await store.listTasks(request.params?.cursor, scope);
      return page.nextCursor === undefined ? { tasks: page.tasks } : { tasks: page.tasks, nextCursor: page.nextCursor };
    });
  }

  client.setRequestHandler(CancelTaskRequestSchema, async (request) => {
    const { taskId } = request.params;
    const current = await store.getTask(taskId, scope);
    if (current === null) throw new TaskNotFoundError(taskId);
    if (isTerminal(current.status)) throw new TaskTerminalError(taskId, current.status, 'cancel task');
    const cancelled = await store.updateTask(taskId, { status: 'cancelled' }, scope);
    running.get(taskId)?.abort(new McpError(ErrorCode.InvalidRequest, 'Task cancelled'));
    notifyStatus(cancelled);
    return cancelled;
  });

  let closed = false;
  return {
    store,
    capability,
    async close() {
      if (closed) return;
      closed = true;
      closing.abort(new McpError(ErrorCode.ConnectionClosed, 'Client tasks closed'));
      if (ownsStore) await store.close();
    },
  };
}

/** The `tasks/result` answer for a terminal task: the result with related-task `_meta`, or the error. */
async function terminalPayload(store: TaskStore, taskId: string, scope: TaskScope): Promise<Result> {
  const outcome = await store.getTaskOutcome(taskId, scope);
  if (outcome === null) throw new TaskCancelledError(taskId);
  if (outcome.kind === 'error') throw fromJsonRpcError(outcome.error);
  const { result } = outcome;
  return { ...result, _meta: { ...(result._meta ?? {}), [RELATED_TASK_META_KEY]: { taskId } } };
}

function parseResult(schema: { safeParse(v: unknown): { success: boolean; data?: unknown; error?: unknown } }, value: unknown, what: string): Result {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new McpError(ErrorCode.InvalidParams, `Invalid ${what} result: ${String(parsed.error)}`);
  return parsed.data as Result;
}
