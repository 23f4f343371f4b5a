/**
 * `mcp-tasks serve`: the reference server. Streamable HTTP (SSE or JSON responses, with sessions
 * or stateless) or stdio, an in-memory or Redis backend, every conformance fixture tool and the
 * demo tools. See docs/reference-server.md.
 */
import type { Readable, Writable } from 'node:stream';
import type { SideChannelMode, TaskSupport } from '../../server/index.js';
import { parseServeArgs, SERVE_USAGE, UsageError, DEFAULT_PORT, type ServeOptions } from './args.js';
import { createBackend, type RedisModuleLoader } from './backend.js';
import { DEMO_AUTH_WARNING } from './demoAuth.js';
import { startHttpHost } from './httpHost.js';
import { createModernHandler } from './modernServer.js';
import { createReferenceSession } from './referenceServer.js';
import { TaskStreams } from './statelessRelay.js';
import { startStdioHost } from './stdioHost.js';

export { parseServeArgs, UsageError, type ServeOptions } from './args.js';
export { BackendUnavailableError } from './backend.js';
export { DEMO_AUTH_WARNING } from './demoAuth.js';
export { startHttpHost, type HttpHost, type HttpHostOptions, type McpSession, type SessionFactory } from './httpHost.js';
export type { ModernHttpHandler } from './modernLeg.js';

/** Options of {@link startReferenceServer}: the command-line options plus knobs for embedding and tests. */
export interface ReferenceServerOptions extends Partial<ServeOptions> {
  /** Largest POST body in bytes. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Most HTTP sessions at once. Default 1,000. */
  maxSessions?: number;
  /** An HTTP session without open requests is closed after this long. Default 30 minutes. */
  sessionIdleMs?: number;
  /** Milliseconds a side-channel request may wait for its answer. Default: the runtime's (10 minutes). */
  sideChannelTimeout?: number;
  /** Push a waiting task's requests on the session when no `tasks/result` is open (tests). Default true. */
  pushInputRequests?: boolean;
  /** Protocol streams for `stdio` mode. Default: the process's stdin and stdout. */
  stdin?: Readable;
  stdout?: Writable;
  /** How the Redis module is loaded (tests). */
  loadRedis?: RedisModuleLoader;
  /** Transport-level errors. Default: ignored. */
  onError?: (error: Error) => void;
}

/** A running reference server. */
export interface ReferenceServer {
  /** The Streamable HTTP endpoint with its real port; `undefined` on stdio. */
  readonly url: string | undefined;
  /** Whether `tasks.list` is declared (not in `--stateless` without `--demo-auth`, R87). */
  readonly declaresList: boolean;
  /** One-line summary of the mode and the backend. */
  readonly description: string;
  /** The runtime shared by all sessions. */
  readonly taskSupport: TaskSupport;
  /** Resolves when a stdio client has gone away (never for HTTP). */
  readonly ended: Promise<void>;
  /** Aborts running tasks, closes every session and stops listening. Idempotent. */
  close(): Promise<void>;
}

/** Starts the reference server; resolves once it accepts connections. */
export async function startReferenceServer(options: ReferenceServerOptions = {}): Promise<ReferenceServer> {
  const stateless = options.stateless ?? false;
  const demoAuth = options.demoAuth ?? false;
  const jsonResponse = options.jsonResponse ?? false;
  const stdio = options.stdio ?? false;
  const declaresList = stdio || demoAuth || !stateless;
  const sideChannel = sideChannelMode(stateless, jsonResponse);

  // Stateless with SSE: task notifications go to the open tasks/result streams (statelessRelay.ts).
  const relay = stateless && !jsonResponse ? new TaskStreams() : undefined;
  const backend = await createBackend(options.redisCluster === undefined ? options.redisUrl : { cluster: options.redisCluster }, options.loadRedis, options.keyPrefix === undefined ? {} : { keyPrefix: options.keyPrefix });
  const createSession = () =>
    createReferenceSession({
      taskSupport: backend.taskSupport,
      list: declaresList,
      sideChannel,
      // A stateless server has no stream to send requests on unless it answers with SSE.
      clientRequests: !(stateless && jsonResponse),
      ...(relay === undefined ? {} : { relay }),
      ...(options.sideChannelTimeout === undefined ? {} : { sideChannelTimeout: options.sideChannelTimeout }),
      ...(options.pushInputRequests === undefined ? {} : { pushInputRequests: options.pushInputRequests }),
    });

  try {
    if (stdio) {
      const host = await startStdioHost(createSession(), options.stdin, options.stdout);
      return running(undefined, `stdio, ${backend.description} store`, host.ended, () => stopBoth(host));
    }
    const host = await startHttpHost({
      host: options.host ?? '127.0.0.1',
      port: options.port ?? DEFAULT_PORT,
      stateless,
      jsonResponse,
      demoAuth,
      createSession,
      modern: createModernHandler(backend.taskSupport),
      ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
      ...(options.maxSessions === undefined ? {} : { maxSessions: options.maxSessions }),
      ...(options.sessionIdleMs === undefined ? {} : { sessionIdleMs: options.sessionIdleMs }),
      ...(options.onError === undefined ? {} : { onError: options.onError }),
    });
    const mode = [
      'Streamable HTTP',
      jsonResponse ? 'JSON responses' : 'SSE responses',
      stateless ? 'stateless' : 'sessions',
      ...(demoAuth ? ['demo auth'] : []),
      `${backend.description} store`,
    ].join(', ');
    return running(host.url, mode, new Promise<void>(() => undefined), () => stopBoth(host));
  } catch (error) {
    await backend.close();
    throw error;
  }

  /** Aborts the tasks first (their waiters get their errors), then closes sessions and transports. */
  async function stopBoth(host: { close(): Promise<void> }): Promise<void> {
    try {
      await backend.close();
    } finally {
      await host.close();
    }
  }

  function running(url: string | undefined, description: string, ended: Promise<void>, stop: () => Promise<void>): ReferenceServer {
    let closed: Promise<void> | undefined;
    return {
      url,
      declaresList,
      description,
      taskSupport: backend.taskSupport,
      ended,
      close: () => (closed ??= stop()),
    };
  }
}

/**
 * How side-channel requests (elicitation, sampling) reach the client: stateless, the answer arrives
 * at another server instance (or process) than the one that sent the request, so requests keep the
 * runtime's own ids and answers are routed through the runtime ('routed'); with sessions they ride
 * the `tasks/result` SSE stream, or the GET stream in JSON-response mode, where the SDK drops
 * requests written to a request's stream (F4).
 */
export function sideChannelMode(stateless: boolean, jsonResponse: boolean): SideChannelMode {
  if (stateless) return 'routed';
  return jsonResponse ? 'standalone-stream' : 'request-stream';
}

/** After shutdown, how long the CLI process may linger (for stdout to flush) before it exits anyway. */
export const FORCED_EXIT_DELAY_MS = 1_000;

/** Where {@link runServeCommand} writes and what it listens to. */
export interface ServeIo {
  /** Receives the ready line (HTTP) and `--help`. */
  out: { write(text: string): unknown };
  /** Receives warnings, errors and the stdio ready line. */
  err: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
  /** Emits `SIGINT` / `SIGTERM`. Default: `process`. */
  signals: NodeJS.EventEmitter;
  /** Protocol streams for `--stdio`. */
  stdin: Readable;
  stdout: Writable;
}

/**
 * Runs `mcp-tasks serve <argv>` and resolves with the exit code once the server has stopped:
 * 0 after SIGINT/SIGTERM (or, on stdio, when the client goes away), 2 for a bad command line,
 * 1 when the server cannot start. With the process's own signals (no `io.signals`), the process
 * exits {@link FORCED_EXIT_DELAY_MS} after the stop even if abandoned tool work still holds timers.
 */
export async function runServeCommand(argv: string[], io: Partial<ServeIo> = {}): Promise<number> {
  const out = io.out ?? process.stdout;
  const err = io.err ?? process.stderr;
  const signals = io.signals ?? process;
  let options: ServeOptions;
  try {
    const parsed = parseServeArgs(argv, io.env ?? process.env);
    if (parsed.kind === 'help') {
      out.write(`${SERVE_USAGE}\n`);
      return 0;
    }
    options = parsed.options;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err.write(`mcp-tasks serve: ${error.message} (see mcp-tasks serve --help)\n`);
    return 2;
  }

  // Signals are handled from before start-up on, so that one sent at any time stops the server cleanly.
  let signalled: ((signal: string) => void) | undefined;
  let pendingSignal: string | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signalled) signalled(signal);
    else pendingSignal ??= signal;
  };
  signals.on('SIGINT', onSignal);
  signals.on('SIGTERM', onSignal);
  const stopListening = (): void => {
    signals.off('SIGINT', onSignal);
    signals.off('SIGTERM', onSignal);
  };

  if (options.demoAuth) err.write(`${DEMO_AUTH_WARNING}\n`);
  let server: ReferenceServer;
  try {
    // The process's stdin is only touched in stdio mode: opening it would hold an idle handle.
    server = await startReferenceServer(options.stdio ? { ...options, stdin: io.stdin ?? process.stdin, stdout: io.stdout ?? process.stdout } : options);
  } catch (error) {
    stopListening();
    err.write(`mcp-tasks serve: cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }

  if (server.url !== undefined) out.write(`mcp-tasks reference server listening on ${server.url} (${server.description})\n`);
  else err.write(`mcp-tasks reference server ready (${server.description})\n`);

  const stopped = new Promise<string>((resolve) => {
    if (pendingSignal !== undefined) resolve(pendingSignal);
    signalled = resolve;
    server.ended.then(() => resolve('client disconnected'), () => resolve('client disconnected'));
  });
  const reason = await stopped;
  // A second signal during shutdown gets Node's default behaviour (terminate).
  stopListening();
  err.write(`mcp-tasks serve: ${reason}, shutting down\n`);
  let code = 0;
  try {
    await server.close();
  } catch (error) {
    err.write(`mcp-tasks serve: error while shutting down: ${error instanceof Error ? error.message : String(error)}\n`);
    code = 1;
  }
  if (io.signals === undefined) {
    // Tool work that ignores its abort signal (e.g. tasks_conformance_stubborn) may still hold
    // timers; it must not keep the stopped server's process alive. The timer itself holds nothing.
    setTimeout(() => process.exit(code), FORCED_EXIT_DELAY_MS).unref();
  }
  return code;
}
