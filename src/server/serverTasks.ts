/**
 * `enableTasks(server)`: turns tasks on for one low-level SDK `Server` (one per session on
 * Streamable HTTP), sharing a {@link TaskSupport}. It declares the capability (R1, R2, R87),
 * serves `tasks/get`, `tasks/result`, `tasks/list` and `tasks/cancel`, and gives the server
 * {@link ServerTasks}: tool registration with negotiation, and `runTask` for servers with their
 * own `tools/call` handler.
 */
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  CallToolRequestSchema,
  CallToolResultSchema,
  CancelTaskRequestSchema,
  ErrorCode,
  McpError,
  GetTaskPayloadRequestSchema,
  GetTaskRequestSchema,
  ListTasksRequestSchema,
  ListToolsRequestSchema,
  ResultSchema,
  type CallToolRequest,
  type CallToolResult,
  type CancelTaskResult,
  type CreateTaskResult,
  type GetTaskResult,
  type ListTasksResult,
  type ProgressToken,
  type Request,
  type Result,
  type ServerNotification,
  type ServerRequest,
  type Task,
  type TaskMetadata,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { z } from 'zod';
import { TaskCancelledError, TaskNotFoundError, TaskOutcomeError, TaskTerminalError, toJsonRpcError } from '../core/errors.js';
import { isTerminal } from '../core/status.js';
import type { FinishTaskInput, TaskScope } from '../core/taskStore.js';
import { emitTaskEvent, type TaskEvent, type TaskEventListener } from './audit.js';
import { InvalidRequestParamsError, InvalidToolArgumentsError, UnknownToolError } from './errors.js';
import { negotiate, type CallMode, type TaskSupportMode } from './negotiation.js';
import { DEFAULT_SIDE_CHANNEL_TIMEOUT, type EnableTasksOptions, type SideChannelMode } from './options.js';
import type { SideChannelDelivery } from './resultHandler.js';
import { defaultScopeResolver, type ScopeResolver, type ServerRequestExtra } from './scope.js';
import { ServerTaskContext, type TaskContextHost } from './taskContext.js';
import { TaskAbortedError, TaskSupport, TaskSupportClosedError } from './taskSupport.js';
import { routeTaskResponses } from './transportFilter.js';
import { DirectToolContext, type ToolContext } from './toolContext.js';

/** A tool's handler: the same code runs as a task or directly, `ctx` tells which. */
export type ToolHandler<Args = Record<string, unknown>> = (args: Args, ctx: ToolContext) => Promise<CallToolResult>;

/** Checks and converts a tool's arguments; throws to reject them (the client gets -32602). */
export type ArgumentsValidator<Args = Record<string, unknown>> = (args: unknown) => Args;

/** Options of {@link ServerTasks.registerTool}. */
export interface RegisterToolOptions<Args = Record<string, unknown>> {
  /** `pollInterval` (ms, integer) suggested for this tool's tasks. Default: the server's. */
  pollInterval?: number;
  /** Argument validation. Default: the tool's `inputSchema` (JSON Schema, via Ajv). */
  validate?: ArgumentsValidator<Args>;
}

/** Options of {@link ServerTasks.runTask}. */
export interface RunTaskOptions {
  /** `pollInterval` (ms, integer) suggested for this task. Default: the server's. */
  pollInterval?: number;
}

/** The work of a task: returns the result of the underlying request, or throws its error. */
export type TaskWork<R extends Result = Result> = (ctx: ServerTaskContext) => Promise<R>;

interface RegisteredTool {
  tool: Tool;
  handler: ToolHandler<any>;
  validate: ArgumentsValidator<any>;
  pollInterval: number | undefined;
}

const enabled = new WeakMap<Server, ServerTasks>();
let ajv: AjvJsonSchemaValidator | undefined;

/** Tasks on one `Server`; made by {@link enableTasks}. */
export class ServerTasks {
  readonly server: Server;
  readonly taskSupport: TaskSupport;
  /** Whether `tasks.list` was declared and `tasks/list` is served. */
  readonly listEnabled: boolean;
  readonly sideChannel: SideChannelMode;
  readonly sideChannelTimeout: number;
  readonly #scope: ScopeResolver;
  readonly #pollInterval: number | undefined;
  readonly #ownsSupport: boolean;
  readonly #onTaskEvent: TaskEventListener | undefined;
  readonly #tools = new Map<string, RegisteredTool>();
  /** Tasks created by this server whose changes its session is being notified of. */
  readonly #watched = new Set<string>();
  /** Per transport this server was connected to: aborted when that transport (the session) closes. */
  readonly #sessions = new WeakMap<Transport, AbortController>();
  #toolHandlersInstalled = false;

  /** Use {@link enableTasks}. */
  constructor(server: Server, options: EnableTasksOptions = {}) {
    this.server = server;
    this.#ownsSupport = options.taskSupport === undefined;
    this.taskSupport = options.taskSupport ?? TaskSupport.inMemory();
    this.listEnabled = options.list ?? true;
    this.sideChannel = options.sideChannel ?? 'request-stream';
    this.sideChannelTimeout = options.sideChannelTimeout ?? DEFAULT_SIDE_CHANNEL_TIMEOUT;
    this.#scope = options.scope ?? defaultScopeResolver;
    this.#pollInterval = checkPollInterval(options.pollInterval);
    this.#onTaskEvent = options.onTaskEvent;
  }

  /** Hands an audit event to the `TaskSupport`'s hook and this server's; never throws. */
  #report(event: TaskEvent): void {
    this.taskSupport.reportTaskEvent(event);
    emitTaskEvent(this.#onTaskEvent, event);
  }

  /** The owner scope of a request (R82–R86). */
  resolveScope(extra: ServerRequestExtra): TaskScope {
    return this.#scope(extra);
  }

  /**
   * Decides whether a `tools/call` runs as a task or directly, before the tool runs; throws
   * -32601 on a mismatch (R10, R13). For servers with their own `tools/call` handler.
   */
  negotiate(request: Pick<CallToolRequest, 'params'>, taskSupport: TaskSupportMode | undefined): CallMode {
    return negotiate(request, taskSupport, true);
  }

  /**
   * Creates a task for a task-augmented request (in `working`, R26), starts `work` in the
   * background, and returns the `CreateTaskResult` at once (R15, R16). The work's outcome is
   * stored when it ends: a result → `completed` (`failed` for a `CallToolResult` with
   * `isError: true`, R80); a thrown `McpError` or typed error → `failed`, and `tasks/result`
   * returns that error (R50); any other throw → `failed` with -32603 (R81). A cancelled task stays
   * cancelled (R72). Throws `TaskLimitError` (-32600) when a limit is reached (R89).
   */
  async runTask<R extends Result>(
    request: Request & { params?: { task?: TaskMetadata } },
    extra: ServerRequestExtra,
    work: TaskWork<R>,
    options: RunTaskOptions = {},
  ): Promise<CreateTaskResult> {
    const support = this.taskSupport;
    if (support.closed) throw new TaskSupportClosedError();
    const scope = this.resolveScope(extra);
    const pollInterval = checkPollInterval(options.pollInterval) ?? this.#pollInterval;
    const requested = request.params?.task;
    const task = await support.store.createTask(
      {
        ...(requested?.ttl === undefined ? {} : { ttl: requested.ttl }),
        ...(pollInterval === undefined ? {} : { pollInterval }),
      },
      extra.requestId,
      { method: request.method, ...(request.params === undefined ? {} : { params: request.params }) },
      scope,
    );
    const failToStart = async (error: unknown): Promise<void> => {
      const data = toJsonRpcError(error);
      const message = `The task could not start: ${data.message}`;
      await support.store.finishTask(
        task.taskId,
        { status: 'failed', outcome: { kind: 'error', error: { ...data, message } }, statusMessage: message },
        scope,
      );
      this.#report({ type: 'finished', ...auditBase(task.taskId, scope), status: 'failed', outcome: 'error' });
    };
    this.#report({ type: 'created', ...auditBase(task.taskId, scope), method: request.method, ttl: task.ttl });
    this.#notifyChanges(task);
    try {
      support.spawn(
        task.taskId,
        1,
        async (signal) => {
          const ctx = new ServerTaskContext({ task, scope, signal, extra, host: this.#host() });
          await this.#execute(ctx, request.method, work);
        },
        failToStart,
      );
    } catch (error) {
      // closed while the task was being created: it must not stay `working`
      await failToStart(error).catch(() => undefined);
      throw error;
    }
    return { task };
  }

  /**
   * Registers a tool on this server. The first call installs this server's `tools/list` and
   * `tools/call` handlers (so it must come before `connect()`; later ones may come after). The
   * tool's `execution.taskSupport` decides, before the handler runs, whether a call runs as a task
   * (R10–R13); arguments are validated against its `inputSchema` (-32602 when they do not match).
   */
  registerTool<Args = Record<string, unknown>>(tool: Tool, handler: ToolHandler<Args>, options: RegisterToolOptions<Args> = {}): void {
    if (this.#tools.has(tool.name)) throw new Error(`Tool ${tool.name} is already registered`);
    const pollInterval = checkPollInterval(options.pollInterval);
    const validate = options.validate ?? jsonSchemaValidator<Args>(tool);
    this.serveTools();
    this.#tools.set(tool.name, { tool, handler, validate, pollInterval });
    if (this.server.transport) this.server.sendToolListChanged().catch(() => undefined);
  }

  /** The tools registered with {@link registerTool}, as `tools/list` lists them. */
  listTools(): Tool[] {
    return [...this.#tools.values()].map((entry) => entry.tool);
  }

  /** Sends `notifications/tasks/status` with the full task, without related-task `_meta` (R57, R60). Never rejects. */
  notifyStatus(task: Task): void {
    this.server.notification({ method: 'notifications/tasks/status', params: { ...task } }).catch(() => undefined);
  }

  /** How many tasks created by this server are watched for status notifications right now. */
  get watchedCount(): number {
    return this.#watched.size;
  }

  /**
   * Notifies this server's session of every change of status or status message of a task it
   * created, whoever makes it (this process or another one sharing the store): the store is
   * watched until the task is terminal or gone, the session closes, or the `TaskSupport` closes.
   */
  #notifyChanges(task: Task): void {
    const session = this.#sessionSignal();
    if (session === undefined) return;
    const taskId = task.taskId;
    let last: Pick<Task, 'status' | 'statusMessage'> = task;
    this.#watched.add(taskId);
    void this.taskSupport
      .watchTask(
        taskId,
        1,
        ({ task: changed }) => {
          if (changed.status === last.status && changed.statusMessage === last.statusMessage) return;
          last = changed;
          this.notifyStatus(changed);
        },
        session,
      )
      .then(() => this.#watched.delete(taskId));
  }

  /** A signal aborted when the transport this server is connected to now closes; none when not connected. */
  #sessionSignal(): AbortSignal | undefined {
    const transport = this.server.transport;
    if (transport === undefined) return undefined;
    let session = this.#sessions.get(transport);
    if (session === undefined) {
      const controller = new AbortController();
      const onclose = transport.onclose;
      transport.onclose = () => {
        controller.abort();
        onclose?.();
      };
      this.#sessions.set(transport, controller);
      session = controller;
    }
    return session.signal;
  }

  /** Closes the `TaskSupport` if this server created it (no `taskSupport` option); else nothing. */
  async close(): Promise<void> {
    if (this.#ownsSupport) await this.taskSupport.close();
  }

  /** Registers the `tasks/*` handlers and declares the capability. */
  install(): void {
    const server = this.server;
    server.registerCapabilities({
      tasks: { ...(this.listEnabled ? { list: {} } : {}), cancel: {}, requests: { tools: { call: {} } } },
    });
    // Handlers are registered with a method-only schema and parse their params themselves, so that
    // malformed params get -32602 with a readable message instead of the SDK's -32603 (R94).
    server.setRequestHandler(anyParams('tasks/get'), async (request, extra) =>
      this.#getTask(parseRequest(GetTaskRequestSchema, request).params.taskId, extra),
    );
    server.setRequestHandler(anyParams('tasks/result'), async (request, extra) =>
      this.#taskResult(parseRequest(GetTaskPayloadRequestSchema, request).params.taskId, extra),
    );
    server.setRequestHandler(anyParams('tasks/cancel'), async (request, extra) =>
      this.#cancelTask(parseRequest(CancelTaskRequestSchema, request).params.taskId, extra),
    );
    if (this.listEnabled) {
      server.setRequestHandler(anyParams('tasks/list'), async (request, extra) =>
        this.#listTasks(parseRequest(ListTasksRequestSchema, request).params?.cursor, extra),
      );
    }
  }

  async #getTask(taskId: string, extra: ServerRequestExtra): Promise<GetTaskResult> {
    const scope = this.resolveScope(extra);
    const task = await this.taskSupport.store.getTask(taskId, scope);
    if (task === null) {
      this.#report({ type: 'unknown-task', ...auditBase(taskId, scope), method: 'tasks/get' });
      throw new TaskNotFoundError(taskId);
    }
    return { ...task };
  }

  /** `tasks/result` (R48–R51), reporting the retrieval or the unknown id. */
  async #taskResult(taskId: string, extra: ServerRequestExtra): Promise<Result> {
    const scope = this.resolveScope(extra);
    try {
      const result = await this.taskSupport.handler.handle(taskId, {
        scope,
        delivery: this.#delivery(extra),
        sideChannelTimeout: this.sideChannelTimeout,
        signal: extra.signal,
      });
      this.#report({ type: 'result-retrieved', ...auditBase(taskId, scope), outcome: 'result' });
      return result;
    } catch (error) {
      if (error instanceof TaskNotFoundError) {
        this.#report({ type: 'unknown-task', ...auditBase(taskId, scope), method: 'tasks/result' });
      } else if (error instanceof TaskOutcomeError || error instanceof TaskCancelledError) {
        this.#report({ type: 'result-retrieved', ...auditBase(taskId, scope), outcome: 'error' });
      }
      throw error;
    }
  }

  /**
   * `tasks/list`: the requestor's tasks (R68, R86). An anonymous requestor over HTTP (no session,
   * no authorization: stateless Streamable HTTP) cannot be told apart from other anonymous
   * requestors, so it gets an empty list rather than everybody's tasks (R87: such a server should
   * not declare `tasks.list` at all). Over stdio / in-memory the one peer owns the anonymous scope.
   */
  async #listTasks(cursor: string | undefined, extra: ServerRequestExtra): Promise<ListTasksResult> {
    const scope = this.resolveScope(extra);
    if (scope === undefined && extra.requestInfo !== undefined) return { tasks: [] };
    const page = await this.taskSupport.store.listTasks(cursor, scope);
    return page.nextCursor === undefined ? { tasks: page.tasks } : { tasks: page.tasks, nextCursor: page.nextCursor };
  }

  /** `tasks/cancel`: `cancelled` before the answer, work aborted, status notified (R69–R72). */
  async #cancelTask(taskId: string, extra: ServerRequestExtra): Promise<CancelTaskResult> {
    const store = this.taskSupport.store;
    const scope = this.resolveScope(extra);
    const current = await store.getTask(taskId, scope);
    if (current === null) {
      this.#report({ type: 'unknown-task', ...auditBase(taskId, scope), method: 'tasks/cancel' });
      throw new TaskNotFoundError(taskId);
    }
    if (isTerminal(current.status)) throw new TaskTerminalError(taskId, current.status, 'cancel task');
    // this session is told by its watch if it created the task; checked before the change ends the watch
    const watchedHere = this.#watched.has(taskId);
    const task = await store.updateTask(taskId, { status: 'cancelled', statusMessage: 'Cancelled by the requestor (tasks/cancel)' }, scope);
    this.taskSupport.abort(taskId, 'cancelled');
    this.#report({ type: 'cancelled', ...auditBase(taskId, scope) });
    if (!watchedHere) this.notifyStatus(task);
    return { ...task };
  }

  /**
   * Wraps this server's transport so that answers to side-channel requests sent in mode
   * `'routed'` reach the runtime: `await server.connect(tasks.routeResponses(transport))`.
   * Harmless in the other modes.
   */
  routeResponses(transport: Transport): Transport {
    return routeTaskResponses(transport, this.taskSupport.handler);
  }

  #delivery(extra: ServerRequestExtra): SideChannelDelivery {
    if (this.sideChannel === 'routed') {
      return {
        sendRequest: () => Promise.reject(new Error('unused in routed mode')),
        sendNotification: (notification) => extra.sendNotification(notification as ServerNotification),
        forward: async (message) => {
          const transport = this.server.transport;
          if (!transport) throw new McpError(ErrorCode.ConnectionClosed, 'the server is not connected');
          await transport.send(message, { relatedRequestId: extra.requestId });
        },
      };
    }
    if (this.sideChannel === 'standalone-stream') {
      return {
        sendRequest: (request, timeout) => this.server.request(request as ServerRequest, ResultSchema, { timeout } satisfies RequestOptions),
        sendNotification: (notification) => this.server.notification(notification as ServerNotification),
      };
    }
    return {
      sendRequest: (request, timeout) => extra.sendRequest(request as ServerRequest, ResultSchema, { timeout }),
      sendNotification: (notification) => extra.sendNotification(notification as ServerNotification),
    };
  }

  #host(): TaskContextHost {
    const support = this.taskSupport;
    return {
      store: support.store,
      queue: support.queue,
      responseChannel: support.responseChannel,
      sendProgress: async (params: { progressToken: ProgressToken; progress: number; total?: number; message?: string }) => {
        await this.server.notification({ method: 'notifications/progress', params }).catch(() => undefined);
      },
      clientCapabilities: () => this.server.getClientCapabilities(),
      requestor: () => this.server,
      reportTaskEvent: (event) => this.#report(event),
    };
  }

  /** Runs the work and stores its outcome; never rejects. */
  async #execute<R extends Result>(ctx: ServerTaskContext, method: string, work: TaskWork<R>): Promise<void> {
    let finish: FinishTaskInput;
    try {
      const result = await work(ctx);
      ctx.end();
      finish = resultOutcome(method, result);
    } catch (error) {
      ctx.end();
      const reason: unknown = ctx.signal.aborted ? ctx.signal.reason : undefined;
      if (reason instanceof TaskAbortedError && reason.reason !== 'shutdown') return; // cancelled or gone: nothing to store
      const data = toJsonRpcError(reason instanceof TaskAbortedError ? reason : error);
      finish = { status: 'failed', outcome: { kind: 'error', error: data }, statusMessage: data.message };
    }
    try {
      await this.taskSupport.store.finishTask(ctx.taskId, finish, ctx.scope);
      this.#report({ type: 'finished', ...auditBase(ctx.taskId, ctx.scope), status: finish.status, outcome: finish.outcome.kind });
    } catch {
      // Cancelled (TaskTerminalError) or expired (TaskNotFoundError) first: nothing is overwritten (R72).
    }
  }

  /**
   * Installs this server's `tools/list` and `tools/call` handlers (and declares `tools`) now,
   * before `connect()`, so that tools may be registered after it. {@link registerTool} does it.
   */
  serveTools(): void {
    if (this.#toolHandlersInstalled) return;
    if (this.server.transport !== undefined) {
      throw new Error('The first registerTool() (or serveTools()) must come before connect(): it declares the tools capability');
    }
    this.server.registerCapabilities({ tools: { listChanged: true } });
    this.server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: this.listTools() }));
    // The SDK's Server validates tools/call itself (-32602) once Protocol's own parse let it through.
    this.server.setRequestHandler(anyParams('tools/call'), async (request, extra) =>
      this.#callTool(parseRequest(CallToolRequestSchema, request), extra),
    );
    this.#toolHandlersInstalled = true;
  }

  async #callTool(request: CallToolRequest, extra: ServerRequestExtra): Promise<CallToolResult | CreateTaskResult> {
    const entry = this.#tools.get(request.params.name);
    if (!entry) throw new UnknownToolError(request.params.name);
    const mode = this.negotiate(request, entry.tool.execution?.taskSupport);
    const args: unknown = entry.validate(request.params.arguments ?? {});
    if (mode === 'task') {
      const options = entry.pollInterval === undefined ? {} : { pollInterval: entry.pollInterval };
      return this.runTask(request, extra, (ctx) => entry.handler(args, ctx), options);
    }
    return entry.handler(args, new DirectToolContext(extra, () => this.server.getClientCapabilities()));
  }
}

/** The fields every audit event carries. */
function auditBase(taskId: string, scope: TaskScope): { taskId: string; scope: TaskScope; time: string } {
  return { taskId, scope, time: new Date().toISOString() };
}

/** `pollInterval` must be a positive integer number of milliseconds (it is an integer on the wire). */
function checkPollInterval(pollInterval: number | undefined): number | undefined {
  if (pollInterval !== undefined && (!Number.isSafeInteger(pollInterval) || pollInterval <= 0)) {
    throw new RangeError(`pollInterval must be a positive integer (milliseconds), got ${pollInterval}`);
  }
  return pollInterval;
}

/** A request schema that only checks the method, so that the handler can report bad params itself. */
function anyParams<M extends string>(method: M) {
  return z.looseObject({ method: z.literal(method), params: z.unknown().optional() });
}

/** Parses a request with its SDK schema; bad params throw {@link InvalidRequestParamsError} (-32602). */
function parseRequest<S extends z.ZodType>(schema: S, request: unknown): z.output<S> {
  const parsed = schema.safeParse(request);
  if (!parsed.success) {
    const method = (request as { method?: unknown }).method;
    throw new InvalidRequestParamsError(String(method), z.prettifyError(parsed.error).replace(/\n\s*/g, ' '));
  }
  return parsed.data;
}

/** What a finished task stores for its result. */
function resultOutcome(method: string, result: Result): FinishTaskInput {
  if (method !== 'tools/call') return { status: 'completed', outcome: { kind: 'result', result } };
  const parsed = CallToolResultSchema.safeParse(result);
  if (!parsed.success) {
    const message = `Invalid tools/call result: ${parsed.error.message}`;
    return { status: 'failed', outcome: { kind: 'error', error: { code: ErrorCode.InvalidParams, message } }, statusMessage: message };
  }
  const callResult = parsed.data;
  if (callResult.isError === true) {
    const text = callResult.content.find((block) => block.type === 'text');
    const statusMessage = `Tool returned an error${text && text.type === 'text' ? `: ${text.text}` : ''}`;
    return { status: 'failed', outcome: { kind: 'result', result: callResult }, statusMessage };
  }
  return { status: 'completed', outcome: { kind: 'result', result: callResult } };
}

/** A validator for a tool's JSON Schema `inputSchema`. */
function jsonSchemaValidator<Args>(tool: Tool): ArgumentsValidator<Args> {
  ajv ??= new AjvJsonSchemaValidator();
  const check = ajv.getValidator<Args>(tool.inputSchema as Parameters<AjvJsonSchemaValidator['getValidator']>[0]);
  return (args) => {
    const result = check(args);
    if (!result.valid) throw new InvalidToolArgumentsError(tool.name, result.errorMessage);
    return result.data;
  };
}

/**
 * Enables tasks on a low-level `Server` before it connects: declares `tasks.requests.tools.call`,
 * `tasks.cancel` and (unless `list: false`) `tasks.list` (R1, R2, R87), and serves `tasks/get`,
 * `tasks/result`, `tasks/list` and `tasks/cancel` (replacing the SDK's built-ins if the server was
 * given a `taskStore`). Throws if called twice for one server, or after `connect()`.
 */
export function enableTasks(server: Server, options: EnableTasksOptions = {}): ServerTasks {
  if (enabled.has(server)) throw new Error('Tasks are already enabled on this server: call enableTasks() once per server');
  if (server.transport !== undefined) throw new Error('enableTasks() must be called before connect(): capabilities cannot change afterwards');
  const tasks = new ServerTasks(server, options);
  tasks.install();
  enabled.set(server, tasks);
  return tasks;
}

/** The {@link ServerTasks} of a server, if tasks were enabled on it. */
export function serverTasksOf(server: Server): ServerTasks | undefined {
  return enabled.get(server);
}

/**
 * Runs `work` as a task of a task-augmented request received by a server with tasks enabled
 * (the function form of {@link ServerTasks.runTask}).
 */
export function runTask<R extends Result>(
  tasks: ServerTasks,
  request: Request & { params?: { task?: TaskMetadata } },
  extra: ServerRequestExtra,
  work: TaskWork<R>,
  options?: RunTaskOptions,
): Promise<CreateTaskResult> {
  return tasks.runTask(request, extra, work, options);
}
