/**
 * `TasksExtension`: serves the 2026-07-28 tasks extension `io.modelcontextprotocol/tasks` on the v2
 * SDK's `Server`, from the same {@link TaskSupport} (store, leases, side channel) as the 2025-11-25
 * binding — one deployment, one store, both revisions. It declares the extension, serves
 * `tools/list` and `tools/call` for its tools (the server decides per request whether a call runs
 * as a task) and `tasks/get`, `tasks/update`, `tasks/cancel` (-32021 for a request that did not
 * declare the extension). `tasks/result` and `tasks/list` do not exist under it (-32601, by the SDK).
 */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import {
  createMcpHandler,
  type AuthInfo,
  type CreateMcpHandlerOptions,
  type Implementation,
  type ListToolsResult,
  type ServerContext,
  type ServerOptions,
} from '@modelcontextprotocol/server';
import { fromJsonRpcError, toJsonRpcError } from '../core/errors.js';
import { parseParams } from '../core/zodErrorText.js';
import { emitTaskEvent, type TaskEvent, type TaskEventListener } from '../runtime/audit.js';
import { checkPollInterval } from '../runtime/pollInterval.js';
import type { TaskSupport } from '../runtime/taskSupport.js';
import { ToolRegistry, type RegisterToolOptions, type ToolHandler } from '../runtime/toolRegistry.js';
import { defaultExtensionScope, identityOf, requireTasks, type ExtensionScopeResolver } from './requestInfo.js';
import { ExtensionTaskRequests } from './taskRequests.js';
import { isTaskListen, TaskSubscriptions } from './taskSubscriptions.js';
import { TasksServer } from './tasksServer.js';
import { callTool, type ExtensionToolContext } from './toolCalls.js';
import { AnyParamsSchema, InputResponsesSchema, TaskIdParamsSchema, TASKS_EXTENSION_ID } from './wire.js';

/** Options of {@link TasksExtension}. */
export interface TasksExtensionOptions {
  /** The task runtime, shared with the 2025-11-25 binding when one deployment serves both. */
  taskSupport: TaskSupport;
  /** The owner scope of a request. Default: the authenticated principal, else anonymous. */
  scope?: ExtensionScopeResolver;
  /** `pollIntervalMs` (integer) suggested for tasks whose tool has none. Default: the store's. */
  pollInterval?: number;
  /** The lifetime (ms, `null`: as long as allowed) asked of the store for new tasks. Default: the store's policy. */
  ttl?: number | null;
  /** Audit events of this binding's tasks, besides the runtime's hook. */
  onTaskEvent?: TaskEventListener;
}

/** Per-request inputs of {@link TasksHttpHandler.fetch} (those of the SDK's handler). */
export interface TasksFetchOptions {
  /** The validated token of the request, if the host authenticated it. */
  authInfo?: AuthInfo;
  /** The body, when the host has parsed it already. */
  parsedBody?: unknown;
}

/** A fetch-shaped 2026-07-28 endpoint: the SDK's `createMcpHandler` plus task subscriptions. */
export interface TasksHttpHandler {
  fetch(request: Request, options?: TasksFetchOptions): Promise<Response>;
  /** Ends the open task subscriptions and the SDK handler's exchanges. */
  close(): Promise<void>;
}

/** A tool handler under the extension: `ctx.task` is set when the call runs as a task. */
export type ExtensionToolHandler<Args = Record<string, unknown>> = ToolHandler<Args, ExtensionToolContext>;

/** The tasks extension for v2 SDK servers. */
export class TasksExtension {
  readonly taskSupport: TaskSupport;
  readonly #options: TasksExtensionOptions;
  readonly #tools = new ToolRegistry<ExtensionToolContext>();
  readonly #requests: ExtensionTaskRequests;
  readonly #subscriptions: TaskSubscriptions;

  constructor(options: TasksExtensionOptions) {
    this.taskSupport = options.taskSupport;
    this.#options = { ...options, pollInterval: checkPollInterval(options.pollInterval) };
    this.#requests = new ExtensionTaskRequests(options.taskSupport, (event) => this.#report(event));
    this.#subscriptions = new TaskSubscriptions(options.taskSupport, this.#requests);
  }

  /**
   * Registers a tool. Its `execution.taskSupport` is the server's policy (absent: `forbidden`, never
   * a task; `optional`: a task when the request declares the extension; `required`: a task, -32021
   * when the request does not declare it); `tools/list` does not show it (there is no per-tool
   * handshake under 2026-07-28). Arguments are checked against `inputSchema` (-32602).
   */
  registerTool<Args = Record<string, unknown>>(tool: Tool, handler: ExtensionToolHandler<Args>, options: RegisterToolOptions<Args> = {}): void {
    this.#tools.register(tool, handler, options);
  }

  /** The tools as this extension's `tools/list` lists them. */
  listTools(): Tool[] {
    return this.#tools.list().map(withoutTaskSupport);
  }

  /** A new server (for `createMcpHandler`'s factory) with the extension attached. */
  createServer(serverInfo: Implementation, options?: ServerOptions): TasksServer {
    const server = new TasksServer(serverInfo, options);
    this.attach(server);
    return server;
  }

  /**
   * The whole 2026-07-28 endpoint, fetch-shaped: `createMcpHandler` over {@link createServer} (one
   * server per request; `legacy: 'reject'` unless `options` say otherwise), with
   * `subscriptions/listen` for `notifications.taskIds` served in front of it (the SDK's listen
   * filter has no `taskIds`). Mount it with any fetch-capable host, or route to it with the SDK's
   * `isLegacyRequest` beside a 2025-11-25 endpoint.
   */
  httpHandler(serverInfo: Implementation, options: CreateMcpHandlerOptions & { serverOptions?: ServerOptions } = {}): TasksHttpHandler {
    const { serverOptions, ...handlerOptions } = options;
    const inner = createMcpHandler(() => this.createServer(serverInfo, serverOptions), { legacy: 'reject', ...handlerOptions });
    const resolve = this.#options.scope ?? defaultExtensionScope;
    return {
      fetch: async (request, fetchOptions = {}) => {
        const body = 'parsedBody' in fetchOptions ? fetchOptions.parsedBody : await request.clone().json().catch(() => undefined);
        if (request.method === 'POST' && isTaskListen(body)) {
          return this.#subscriptions.serve(body, resolve({ authInfo: fetchOptions.authInfo }), request.signal);
        }
        return inner.fetch(request, { ...fetchOptions, ...(body === undefined ? {} : { parsedBody: body }) });
      },
      close: async () => {
        this.#subscriptions.close();
        await inner.close();
      },
    };
  }

  /** Declares the extension on `server` and registers its handlers (before it serves requests). */
  attach(server: TasksServer): void {
    const resolve = this.#options.scope ?? defaultExtensionScope;
    const scopeOf = (ctx: ServerContext) => resolve(identityOf(ctx));
    const requests = this.#requests;
    server.registerCapabilities({ tools: {}, extensions: { [TASKS_EXTENSION_ID]: {} } });
    // the same JSON; the two SDK generations only type JSON Schema values differently
    server.setRequestHandler('tools/list', async () => ({ tools: this.listTools() as unknown as ListToolsResult['tools'] }));
    const parts = {
      support: this.taskSupport,
      tools: this.#tools,
      scopeOf,
      ttl: this.#options.ttl,
      pollInterval: this.#options.pollInterval,
      report: (event: TaskEvent) => this.#report(event),
    };
    server.setRequestHandler('tools/call', (request, ctx) => mapped(async () => callTool(parts, request.params, ctx)) as never);
    server.setRequestHandler('tasks/get', { params: AnyParamsSchema }, (params, ctx) =>
      mapped(async () => {
        const { taskId } = taskRequest(ctx, 'tasks/get', params);
        return { resultType: 'complete', ...(await requests.getTask(taskId, scopeOf(ctx))) };
      }),
    );
    server.setRequestHandler('tasks/update', { params: AnyParamsSchema }, (params, ctx) =>
      mapped(async () => {
        const { taskId } = taskRequest(ctx, 'tasks/update', params);
        const responses = parseParams(InputResponsesSchema, 'tasks/update', ctx.mcpReq.inputResponses, 'inputResponses: ');
        await requests.updateTask(taskId, responses, scopeOf(ctx));
        return { resultType: 'complete' };
      }),
    );
    server.setRequestHandler('tasks/cancel', { params: AnyParamsSchema }, (params, ctx) =>
      mapped(async () => {
        const { taskId } = taskRequest(ctx, 'tasks/cancel', params);
        await requests.cancelTask(taskId, scopeOf(ctx));
        return { resultType: 'complete' };
      }),
    );
  }

  #report(event: TaskEvent): void {
    this.taskSupport.reportTaskEvent(event);
    emitTaskEvent(this.#options.onTaskEvent, event);
  }
}

/** A `tasks/*` request's params, once the request is known to declare the extension (-32021 first, then -32602). */
function taskRequest(ctx: ServerContext, method: string, params: unknown): { taskId: string } {
  requireTasks(ctx, method);
  return parseParams(TaskIdParamsSchema, method, params);
}

/** Runs a handler body; whatever it throws leaves as the JSON-RPC error the core maps it to. */
async function mapped<R>(body: () => Promise<R>): Promise<R> {
  try {
    return await body();
  } catch (error) {
    throw fromJsonRpcError(toJsonRpcError(error));
  }
}

/** A tool without `execution.taskSupport` (the server's policy, not part of the 2026-07-28 wire). */
function withoutTaskSupport(tool: Tool): Tool {
  if (tool.execution?.taskSupport === undefined) return tool;
  const { taskSupport: _policy, ...execution } = tool.execution;
  const { execution: _old, ...rest } = tool;
  return Object.keys(execution).length === 0 ? rest : { ...rest, execution };
}
