/**
 * A client as **receiver** of tasks (client-hosted tasks): it accepts task-augmented
 * `elicitation/create` and `sampling/createMessage` from a server, declares
 * `tasks.requests.elicitation.create` / `tasks.requests.sampling.createMessage`, and serves
 * `tasks/get`, `tasks/result`, `tasks/list` and `tasks/cancel` for those tasks with the same
 * receiver and runtime as a server's tool tasks.
 *
 * Built on the core contracts (a `TaskStore`, by default the in-memory one), not on the SDK's
 * Protocol-level `taskStore` / `taskMessageQueue` options, so the client's answers to a server's
 * side-channel requests are never swallowed into a local queue (F7).
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  CreateMessageRequestSchema,
  CreateMessageResultSchema,
  CreateMessageResultWithToolsSchema,
  ElicitRequestSchema,
  ElicitResultSchema,
  ErrorCode,
  McpError,
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
} from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import type { TaskScope, TaskStore } from '../core/taskStore.js';
import { serveTaskRequests, type RequestHandlerHost } from '../receiver/handlers.js';
import { zodErrorText } from '../core/zodErrorText.js';
import { StatusNotifier } from '../receiver/statusNotifier.js';
import { TaskReceiver } from '../receiver/taskReceiver.js';
import type { TaskEventListener } from '../runtime/audit.js';
import type { SideChannelDelivery } from '../runtime/sideChannel.js';
import { TaskSupport } from '../runtime/taskSupport.js';
import { InMemoryTaskMessageQueue, InMemoryTaskResponseChannel, InMemoryTaskStore } from '../stores/memory/index.js';

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
  /** Receives the audit events of the hosted tasks (created, finished, cancelled, result retrieved, unknown id). */
  onTaskEvent?: TaskEventListener;
}

/** A client's hosted tasks, returned by {@link enableClientTasks}. */
export interface ClientTaskHost {
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
type TaskAugmented = Request & { params: { task?: { ttl?: number | null } } };

/** Hosted tasks make no requests of their own: `tasks/result` has nothing to deliver but notifications. */
function notificationsOnly(extra: ClientRequestExtra): SideChannelDelivery {
  return {
    sendRequest: () => Promise.reject(new McpError(ErrorCode.InternalError, 'client-hosted tasks send no requests')),
    sendNotification: (notification) => extra.sendNotification(notification),
  };
}

/**
 * Turns `client` into a receiver of task-augmented elicitation and sampling. Call before
 * `connect()` (capabilities are exchanged at initialization). Registers the request handlers for
 * `elicitation/create` and/or `sampling/createMessage` (so do not register your own for those)
 * and for `tasks/get`, `tasks/result`, `tasks/list`, `tasks/cancel`.
 */
export function enableClientTasks(client: Client, options: ClientTasksOptions): ClientTaskHost {
  if (client.transport !== undefined) throw new Error('enableClientTasks() must be called before connect()');
  if (!options.elicitation && !options.sampling) {
    throw new TypeError('enableClientTasks() needs an elicitation and/or a sampling handler');
  }
  const ownsStore = options.store === undefined;
  const store = options.store ?? new InMemoryTaskStore();
  const scope = options.scope;
  const capability = clientTasksCapability(options);
  const support = new TaskSupport({
    store,
    queue: new InMemoryTaskMessageQueue(),
    responseChannel: new InMemoryTaskResponseChannel(),
    ...(options.onTaskEvent === undefined ? {} : { onTaskEvent: options.onTaskEvent }),
  });
  const closing = new AbortController();
  const notifier = new StatusNotifier(support, (task) => {
    client.notification({ method: 'notifications/tasks/status', params: task }).catch(() => undefined);
  });
  const receiver = new TaskReceiver({ support, sideChannelTimeout: 0, notifier });

  const extraCapabilities: ClientCapabilities = { tasks: capability };
  if (options.elicitation) extraCapabilities.elicitation = {};
  if (options.sampling) extraCapabilities.sampling = {};
  client.registerCapabilities(extraCapabilities);

  /** Runs `handler` as a task: answers with `CreateTaskResult` at once, the work goes on. */
  const startTask = async (
    request: TaskAugmented,
    extra: ClientRequestExtra,
    handler: HostedHandler,
    validate: (result: unknown) => Result,
  ): Promise<CreateTaskResult> => {
    const { task: requested, ...plain } = request.params;
    const plainRequest = { ...request, params: plain } as Request;
    const task = await support.startTask({
      request,
      requestId: extra.requestId,
      scope,
      ttl: requested?.ttl,
      pollInterval: options.pollInterval,
      work: async (created, signal) => validate(await handler(plainRequest, { signal, taskId: created.taskId, extra })),
      settle: (result) => ({ status: 'completed', outcome: { kind: 'result', result } }),
    });
    notifier.watch(task, closing.signal);
    return { task };
  };

  const register = (handler: HostedHandler, schema: typeof ElicitRequestSchema | typeof CreateMessageRequestSchema, validate: (result: unknown, request: Request) => Result): void => {
    client.setRequestHandler(schema as typeof ElicitRequestSchema, async (request, extra) => {
      if ((request.params as { task?: unknown }).task !== undefined) {
        return startTask(request as TaskAugmented, extra, handler, (result) => validate(result, request));
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

  serveTaskRequests(client as unknown as RequestHandlerHost<ClientRequestExtra>, {
    receiver,
    scopeOf: () => scope,
    deliveryOf: notificationsOnly,
    listable: capability.list !== undefined && (() => true),
  });

  let closed = false;
  return {
    store,
    capability,
    async close() {
      if (closed) return;
      closed = true;
      closing.abort();
      await support.close();
      await Promise.allSettled([support.queue.close(), support.responseChannel.close()]);
      if (ownsStore) await store.close();
    },
  };
}

function parseResult(schema: z.ZodType, value: unknown, what: string): Result {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new McpError(ErrorCode.InvalidParams, `Invalid ${what} result: ${zodErrorText(parsed.error)}`);
  return parsed.data as Result;
}
