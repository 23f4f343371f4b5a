/**
 * `ServerTaskBinding`: tasks on one low-level SDK `Server` (one per session on Streamable HTTP),
 * over a shared `TaskSupport`: the 2025-11-25 binding. It serves `tasks/*` with the receiver, runs
 * task-augmented calls on the runtime, keeps the tool registry, and notifies the session of its
 * tasks' changes. Made by `enableTasks`.
 */
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  CallToolRequestSchema,
  ListToolsRequestSchema,
  type CallToolRequest,
  type CallToolResult,
  type CreateTaskResult,
  type ElicitResult,
  type Request,
  type Result,
  type Task,
  type TaskMetadata,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import type { TaskScope } from '../core/taskStore.js';
import { serveTaskRequests, type RequestHandlerHost } from '../receiver/handlers.js';
import { anyParams, parseRequest } from '../receiver/parse.js';
import { settleResult } from '../receiver/settle.js';
import { StatusNotifier } from '../receiver/statusNotifier.js';
import { TaskReceiver } from '../receiver/taskReceiver.js';
import { emitTaskEvent, type TaskEvent, type TaskEventListener } from '../runtime/audit.js';
import type { TaskContextHost } from '../runtime/taskContext.js';
import { TaskSupport } from '../runtime/taskSupport.js';
import { routeTaskResponses } from '../transport/filters.js';
import { serverContextHost } from './contextHost.js';
import { deliveryFor } from './delivery/index.js';
import { SessionPush } from './delivery/sessionPush.js';
import { DirectToolContext } from './directToolContext.js';
import { negotiate, type CallMode, type TaskSupportMode } from './negotiation.js';
import { checkPollInterval, DEFAULT_PUSH_DELAY, DEFAULT_SIDE_CHANNEL_TIMEOUT, type EnableTasksOptions, type SideChannelMode } from './options.js';
import { defaultScopeResolver, type ScopeResolver, type ServerRequestExtra } from './scope.js';
import { ServerTaskContext, type ServerToolContext } from './serverTaskContext.js';
import { sessionSignal } from './sessionSignal.js';
import type { ToolHandler } from './serverTaskContext.js';
import { ToolRegistry, type RegisterToolOptions } from '../runtime/toolRegistry.js';
import { askInputs } from './askInputs.js';

/** Options of {@link ServerTaskBinding.runTask}. */
export interface RunTaskOptions {
  /** `pollInterval` (ms, integer) suggested for this task. Default: the server's. */
  pollInterval?: number;
  /** What the task's context shows as `ctx.inputs` (answers gathered before the task). Default `{}`. */
  inputs?: Readonly<Record<string, ElicitResult>>;
}

/** The work of a task: returns the result of the underlying request, or throws its error. */
export type TaskWork<R extends Result = Result> = (ctx: ServerTaskContext) => Promise<R>;

/** Tasks on one `Server`; made by `enableTasks`. */
export class ServerTaskBinding {
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
  readonly #tools = new ToolRegistry<ServerToolContext>();
  readonly #notifier: StatusNotifier;
  /** Sends the requests of this session's waiting tasks on the session when nobody fetches them; none in mode `'routed'`. */
  readonly #push: SessionPush | undefined;
  readonly #host: TaskContextHost;
  #toolHandlersInstalled = false;

  /** Use `enableTasks`: it declares the capability and serves `tasks/*` (R1, R2, R87). */
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
    this.#notifier = new StatusNotifier(this.taskSupport, (task) => this.notifyStatus(task));
    this.#host = serverContextHost(server, this.taskSupport, (event) => this.#report(event));
    const pushDelay = options.pushDelay ?? DEFAULT_PUSH_DELAY;
    if (!Number.isFinite(pushDelay) || pushDelay < 0) throw new RangeError(`pushDelay must be a non-negative number of milliseconds, got ${pushDelay}`);
    this.#push =
      (options.pushInputRequests ?? true) && this.sideChannel !== 'routed'
        ? new SessionPush(this.taskSupport, server, { sideChannelTimeout: this.sideChannelTimeout, delay: pushDelay })
        : undefined;
    this.#serveTaskRequests();
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
    return negotiate(request, taskSupport);
  }

  /**
   * Creates a task for a task-augmented request (in `working`, R26), starts `work` in the
   * background, and returns the `CreateTaskResult` once the task is stored (R15, R16). When the
   * work ends its outcome is stored: a result → `completed` (`failed` for a `CallToolResult` with
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
    const scope = this.resolveScope(extra);
    const task = await this.taskSupport.startTask(
      {
        request: { method: request.method, ...(request.params === undefined ? {} : { params: request.params }) },
        requestId: extra.requestId,
        scope,
        ttl: request.params?.task?.ttl,
        pollInterval: checkPollInterval(options.pollInterval) ?? this.#pollInterval,
        work: async (created, signal) => {
          const ctx = new ServerTaskContext({
            task: created,
            scope,
            signal,
            extra,
            progressToken: extra._meta?.progressToken,
            inputs: options.inputs,
            host: this.#host,
            requestor: this.server,
          });
          try {
            return await work(ctx);
          } finally {
            ctx.end();
          }
        },
        settle: (result) => settleResult(request.method, result),
      },
      this.#onTaskEvent,
    );
    const session = sessionSignal(this.server);
    const push = this.#push;
    if (session !== undefined) this.#notifier.watch(task, session, push && ((changed) => push.onStatus(changed, session)));
    return { task };
  }

  /**
   * Registers a tool on this server. The first call installs this server's `tools/list` and
   * `tools/call` handlers (so it must come before `connect()`; later ones may come after). The
   * tool's `execution.taskSupport` decides, before the handler runs, whether a call runs as a task
   * (R10–R13); arguments are validated against its `inputSchema` (-32602 when they do not match).
   */
  registerTool<Args = Record<string, unknown>>(tool: Tool, handler: ToolHandler<Args>, options: RegisterToolOptions<Args> = {}): void {
    checkPollInterval(options.pollInterval);
    this.serveTools();
    this.#tools.register(tool, handler, options);
    if (this.server.transport) this.server.sendToolListChanged().catch(() => undefined);
  }

  /** The tools registered with {@link registerTool}, as `tools/list` lists them. */
  listTools(): Tool[] {
    return this.#tools.list();
  }

  /** Sends `notifications/tasks/status` with the full task, without related-task `_meta` (R57, R60). Never rejects. */
  notifyStatus(task: Task): void {
    this.server.notification({ method: 'notifications/tasks/status', params: { ...task } }).catch(() => undefined);
  }

  /** How many tasks created by this server are watched for status notifications right now. */
  get watchedCount(): number {
    return this.#notifier.watchedCount;
  }

  /** Closes the `TaskSupport` if this server created it (no `taskSupport` option); else nothing. */
  async close(): Promise<void> {
    if (this.#ownsSupport) await this.taskSupport.close();
  }

  /**
   * Wraps this server's transport so that answers to side-channel requests sent in mode
   * `'routed'` reach the runtime: `await server.connect(tasks.routeResponses(transport))`.
   * Harmless in the other modes.
   */
  routeResponses(transport: Transport): Transport {
    return routeTaskResponses(transport, this.taskSupport.sideChannel);
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
    // not async: #callTool's promise is the answer (the SDK calls handlers inside a promise chain,
    // so a parse error thrown here still becomes its error response)
    this.server.setRequestHandler(anyParams('tools/call'), (request, extra) => this.#callTool(parseRequest(CallToolRequestSchema, request), extra));
    this.#toolHandlersInstalled = true;
  }

  async #callTool(request: CallToolRequest, extra: ServerRequestExtra): Promise<CallToolResult | CreateTaskResult> {
    const call = this.#tools.resolve(request.params.name, request.params.arguments);
    const mode = negotiate(request, call.entry.taskSupport);
    // a tool without inputs asks nothing: no call, no await
    const inputs = call.entry.hasInputs ? await askInputs(call.entry.inputs, extra, this.server.getClientCapabilities()) : {};
    if (mode === 'task') {
      const { pollInterval } = call.entry;
      return this.runTask(request, extra, (ctx) => call.run(ctx), { inputs, ...(pollInterval === undefined ? {} : { pollInterval }) });
    }
    return call.run(new DirectToolContext(extra, () => this.server.getClientCapabilities(), inputs));
  }

  /** Declares the capability and registers the `tasks/*` handlers. */
  #serveTaskRequests(): void {
    this.server.registerCapabilities({
      tasks: { ...(this.listEnabled ? { list: {} } : {}), cancel: {}, requests: { tools: { call: {} } } },
    });
    const receiver = new TaskReceiver({
      support: this.taskSupport,
      sideChannelTimeout: this.sideChannelTimeout,
      notifier: this.#notifier,
      onTaskEvent: this.#onTaskEvent,
    });
    serveTaskRequests(this.server as unknown as RequestHandlerHost<ServerRequestExtra>, {
      receiver,
      scopeOf: (extra) => this.resolveScope(extra),
      deliveryOf: (extra) => deliveryFor(this.sideChannel, this.server, extra),
      // An anonymous requestor over HTTP (no session, no authorization: stateless Streamable HTTP)
      // cannot be told apart from other anonymous requestors: it lists nothing rather than everybody's
      // tasks (R87: such a server should not declare tasks.list at all). Over stdio / in-memory the
      // one peer owns the anonymous scope.
      listable: this.listEnabled && ((extra) => this.resolveScope(extra) !== undefined || extra.requestInfo === undefined),
    });
  }

  /** Hands an audit event to the `TaskSupport`'s hook and this server's; never throws. */
  #report(event: TaskEvent): void {
    this.taskSupport.reportTaskEvent(event);
    emitTaskEvent(this.#onTaskEvent, event);
  }
}
