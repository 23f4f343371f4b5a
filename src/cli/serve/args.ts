/** Command-line arguments of `mcp-tasks serve`. */
import { parseFlags, UsageError } from '../flags.js';

export { UsageError };

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
  /** Redis URL for the store and queue; `undefined` means in-memory (or `redisCluster`). */
  redisUrl: string | undefined;
  /** Seed nodes of a Redis Cluster for the store and queue, instead of `redisUrl`. */
  redisCluster?: { host: string; port: number }[];
  /** Prefix of every Redis key, so that deployments can share one Redis. Default: the backend's (`mcp-tasks`). */
  keyPrefix?: string;
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
  --redis-cluster HOST:PORT[,HOST:PORT...]
                    the same on a Redis Cluster, from these seed nodes
                    (also: env MCP_TASKS_REDIS_CLUSTER)
  --key-prefix P    prefix of every Redis key, for deployments sharing one Redis (default mcp-tasks)
  -h, --help        show this help`;

/** The result of parsing: options to run with, or a request for help. */
export type ParsedServeArgs = { kind: 'run'; options: ServeOptions } | { kind: 'help' };

const FLAGS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'json-response': { type: 'boolean' },
  stdio: { type: 'boolean' },
  stateless: { type: 'boolean' },
  'demo-auth': { type: 'boolean' },
  redis: { type: 'string' },
  'redis-cluster': { type: 'string' },
  'key-prefix': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * Parses `serve` arguments (flags may be given as `--flag value` or `--flag=value`).
 * Throws {@link UsageError} for unknown flags, missing or bad values and contradictory flags.
 */
export function parseServeArgs(argv: readonly string[], env: NodeJS.ProcessEnv = {}): ParsedServeArgs {
  const { values, tokens } = parseFlags(argv, FLAGS);
  if (values.help) return { kind: 'help' };
  const seen = new Set(tokens.map((token) => `--${token}`));
  if (values.stdio) {
    for (const httpOnly of ['--port', '--host', '--json-response', '--stateless', '--demo-auth']) {
      if (seen.has(httpOnly)) throw new UsageError(`${httpOnly} cannot be combined with --stdio`);
    }
  }
  if (values.host === '') throw new UsageError('--host needs a value');
  if (values['key-prefix'] !== undefined && !/^[\w.:-]{1,64}$/.test(values['key-prefix'])) {
    throw new UsageError(`--key-prefix must be 1 to 64 letters, digits or . _ : -, got '${values['key-prefix']}'`);
  }
  if (values.redis !== undefined && values['redis-cluster'] !== undefined) throw new UsageError('--redis cannot be combined with --redis-cluster');
  const envCluster = nonEmpty(env['MCP_TASKS_REDIS_CLUSTER']);
  const clusterText = values['redis-cluster'] ?? (values.redis === undefined ? envCluster : undefined);
  const redisCluster = clusterText === undefined ? undefined : parseClusterNodes(clusterText, values['redis-cluster'] === undefined ? 'MCP_TASKS_REDIS_CLUSTER' : '--redis-cluster');
  const envRedis = redisCluster === undefined ? nonEmpty(env['MCP_TASKS_REDIS_URL']) : undefined;
  const redisUrl = values.redis !== undefined ? parseRedisUrl(values.redis, '--redis') : envRedis && parseRedisUrl(envRedis, 'MCP_TASKS_REDIS_URL');
  return {
    kind: 'run',
    options: {
      port: values.port === undefined ? DEFAULT_PORT : parsePort(values.port),
      host: values.host ?? '127.0.0.1',
      jsonResponse: values['json-response'] ?? false,
      stdio: values.stdio ?? false,
      stateless: values.stateless ?? false,
      demoAuth: values['demo-auth'] ?? false,
      redisUrl,
      ...(redisCluster === undefined ? {} : { redisCluster }),
      ...(values['key-prefix'] === undefined ? {} : { keyPrefix: values['key-prefix'] }),
    },
  };
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

/** `HOST:PORT[,HOST:PORT…]` (IPv6 hosts in brackets: `[::1]:7000`). */
function parseClusterNodes(text: string, source: string): { host: string; port: number }[] {
  const nodes = text.split(',').map((part) => {
    const match = /^(\[[0-9a-fA-F:.]+\]|[^:\s]+):(\d{1,5})$/.exec(part.trim());
    const port = Number(match?.[2]);
    if (match === null || port < 1 || port > 65535) {
      throw new UsageError(`${source} must be HOST:PORT[,HOST:PORT...], got '${part.trim()}'`);
    }
    return { host: match[1]!.replace(/^\[(.*)\]$/, '$1'), port };
  });
  return nodes;
}

function nonEmpty(text: string | undefined): string | undefined {
  return text === undefined || text.trim() === '' ? undefined : text.trim();
}
