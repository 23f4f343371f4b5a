/** Command-line arguments of `mcp-tasks serve`. */

/** How the reference server is hosted and backed. */
export interface ServeOptions {
  /** TCP port for Streamable HTTP; `0` picks a free port. Default 3000. */
  port: number;
  /** Interface to listen on. Default `127.0.0.1`. */
  host: string;
  /** Streamable HTTP in JSON-response mode (`enableJsonResponse`). */
  jsonResponse: boolean;
  /** Serve over stdio instead of HTTP. */
  stdio: boolean;
  /** Streamable HTTP without sessions: every request stands alone. */
  stateless: boolean;
  /** Accept any `Authorization: Bearer <token>` and use the token as the client identity. */
  demoAuth: boolean;
  /** Redis URL for the store and queue; `undefined` means in-memory. */
  redisUrl: string | undefined;
}

/** A command line that cannot be understood; the CLI prints the message and exits with code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The default port of the reference server. */
export const DEFAULT_PORT = 3000;

export const SERVE_USAGE = `Usage: mcp-tasks serve [options]

Options:
  --port N          Streamable HTTP port (default ${DEFAULT_PORT}; 0 picks a free port)
  --host ADDRESS    interface to listen on (default 127.0.0.1)
  --json-response   answer POSTs with JSON instead of SSE streams
  --stdio           serve over stdin/stdout instead of HTTP
  --stateless       no sessions: every HTTP request stands alone
  --demo-auth       accept any "Authorization: Bearer <token>" as identity <token> (demos only)
  --redis URL       Redis store and queue (also: env MCP_TASKS_REDIS_URL)
  -h, --help        show this help`;

/** The result of parsing: options to run with, or a request for help. */
export type ParsedServeArgs = { kind: 'run'; options: ServeOptions } | { kind: 'help' };

/**
 * Parses `serve` arguments (flags may be given as `--flag value` or `--flag=value`).
 * Throws {@link UsageError} for unknown flags, missing or bad values and contradictory flags.
 */
export function parseServeArgs(argv: readonly string[], env: NodeJS.ProcessEnv = {}): ParsedServeArgs {
  const options: ServeOptions = {
    port: DEFAULT_PORT,
    host: '127.0.0.1',
    jsonResponse: false,
    stdio: false,
    stateless: false,
    demoAuth: false,
    redisUrl: undefined,
  };
  const envRedis = nonEmpty(env['MCP_TASKS_REDIS_URL']);
  if (envRedis !== undefined) options.redisUrl = parseRedisUrl(envRedis, 'MCP_TASKS_REDIS_URL');
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const inline = eq === -1 ? undefined : arg.slice(eq + 1);
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      i++;
      return next;
    };
    const noValue = (): void => {
      if (inline !== undefined) throw new UsageError(`${flag} takes no value`);
    };
    if (flag !== '-h' && flag !== '--help') {
      if (seen.has(flag)) throw new UsageError(`${flag} given more than once`);
      seen.add(flag);
    }
    switch (flag) {
      case '-h':
      case '--help':
        return { kind: 'help' };
      case '--port':
        options.port = parsePort(value());
        break;
      case '--host': {
        const host = value();
        if (host.length === 0) throw new UsageError('--host needs a value');
        options.host = host;
        break;
      }
      case '--json-response':
        noValue();
        options.jsonResponse = true;
        break;
      case '--stdio':
        noValue();
        options.stdio = true;
        break;
      case '--stateless':
        noValue();
        options.stateless = true;
        break;
      case '--demo-auth':
        noValue();
        options.demoAuth = true;
        break;
      case '--redis':
        options.redisUrl = parseRedisUrl(value(), '--redis');
        break;
      default:
        throw new UsageError(`unknown option '${arg}'`);
    }
  }
  if (options.stdio) {
    for (const httpOnly of ['--port', '--host', '--json-response', '--stateless', '--demo-auth']) {
      if (seen.has(httpOnly)) throw new UsageError(`${httpOnly} cannot be combined with --stdio`);
    }
  }
  return { kind: 'run', options };
}

function parsePort(text: string): number {
  if (!/^\d{1,5}$/.test(text)) throw new UsageError(`--port must be an integer from 0 to 65535, got '${text}'`);
  const port = Number(text);
  if (port > 65535) throw new UsageError(`--port must be an integer from 0 to 65535, got '${text}'`);
  return port;
}

function parseRedisUrl(text: string, source: string): string {
  let protocol: string | undefined;
  try {
    protocol = new URL(text).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:') {
    throw new UsageError(`${source} must be a redis:// or rediss:// URL, got '${text}'`);
  }
  return text;
}

function nonEmpty(text: string | undefined): string | undefined {
  return text === undefined || text.trim() === '' ? undefined : text.trim();
}
