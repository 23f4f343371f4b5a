/**
 * Redis for the benchmark: a private `redis-server` on a free port in a temporary directory, its
 * `INFO` sections, `MONITOR` capture, and `redis-benchmark` runs. When `redis-server` (or
 * `redis-benchmark`) is not installed, callers get a reason string instead of a crash.
 * `REDIS_SERVER_BIN` / `REDIS_BENCHMARK_BIN` override the binaries (as in the test harness).
 */
import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { RedisServer, redisSkipReason } from '../support/redisServer.js';

/** A running private Redis. */
export interface RedisInstance {
  readonly url: string;
  readonly port: number;
  readonly version: string;
  /** A command connection for the bench's own INFO/CONFIG calls (not counted as workload). */
  readonly admin: Redis;
  stop(): Promise<void>;
}

/**
 * Starts a private `redis-server` (the test harness's: free port, temp dir, killed with this
 * process however it exits), or returns why it could not.
 */
export async function startRedis(): Promise<RedisInstance | string> {
  const unavailable = redisSkipReason();
  if (unavailable !== null) return `Redis unavailable: ${unavailable}`;
  let redis: RedisServer;
  try {
    redis = await RedisServer.start();
  } catch (err) {
    return `Redis unavailable: ${(err as Error).message}`;
  }
  const admin = new Redis(redis.url, { lazyConnect: false, maxRetriesPerRequest: 1 });
  const server = parseInfo(await admin.info('server'));
  return {
    url: redis.url,
    port: redis.port,
    version: server.get('redis_version') ?? 'unknown',
    admin,
    async stop() {
      admin.disconnect();
      await redis.stop();
    },
  };
}

/** `INFO` text as a map of `field → value`. */
export function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at > 0 && !line.startsWith('#')) fields.set(line.slice(0, at), line.slice(at + 1));
  }
  return fields;
}

/** Per-command counters from `INFO commandstats`. */
export interface CommandStat {
  calls: number;
  usec: number;
}

/** Commands the bench itself sends (never counted as workload). */
const ADMIN_COMMANDS = new Set(['info', 'config|resetstat', 'config', 'monitor', 'flushall', 'dbsize', 'memory|usage']);

/** `INFO commandstats` as `command → counters` (the bench's own admin commands left out). */
export async function commandStats(admin: Redis): Promise<Map<string, CommandStat>> {
  const stats = new Map<string, CommandStat>();
  for (const [field, value] of parseInfo(await admin.info('commandstats'))) {
    const name = field.replace(/^cmdstat_/, '');
    if (ADMIN_COMMANDS.has(name)) continue;
    const calls = Number(/calls=(\d+)/.exec(value)?.[1] ?? 0);
    const usec = Number(/usec=(\d+)/.exec(value)?.[1] ?? 0);
    stats.set(name, { calls, usec });
  }
  return stats;
}

/** `after − before` per command, dropping commands that did not run. */
export function diffStats(before: Map<string, CommandStat>, after: Map<string, CommandStat>): Map<string, CommandStat> {
  const delta = new Map<string, CommandStat>();
  for (const [name, stat] of after) {
    const prior = before.get(name) ?? { calls: 0, usec: 0 };
    const calls = stat.calls - prior.calls;
    if (calls > 0) delta.set(name, { calls, usec: stat.usec - prior.usec });
  }
  return delta;
}

/** Records every command Redis executes while `during` runs (from a `MONITOR` connection). */
export async function captureCommands(url: string, during: () => Promise<void>): Promise<string[][]> {
  const MARKER = 'bench-monitor-end';
  // The probe is connected (ready check done) before monitoring starts, and its commands are ignored.
  const probe = new Redis(url, { maxRetriesPerRequest: 1 });
  await probe.ping();
  const probeAddress = `${probe.stream.localAddress}:${probe.stream.localPort}`;
  const watcher = new Redis(url, { maxRetriesPerRequest: 1 });
  // Resolves once Redis has answered MONITOR: every later command is reported.
  const monitor = await watcher.monitor();
  const seen: string[][] = [];
  let markerSeen!: () => void;
  const ended = new Promise<void>((resolve) => (markerSeen = resolve));
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (String(source).endsWith(probeAddress)) {
      if (args[0]?.toLowerCase() === 'echo' && args[1] === MARKER) markerSeen();
      return;
    }
    // Commands run inside Lua scripts are reported too (source "lua"): the script call covers them.
    if (!String(source).startsWith('lua')) seen.push(args);
  });
  try {
    await during();
    // The monitor stream lags the commands a little; a marker sent afterwards flushes it.
    await probe.echo(MARKER);
    await ended;
  } finally {
    monitor.disconnect();
    probe.disconnect();
    watcher.disconnect();
  }
  return seen;
}

/** One `redis-benchmark` result. */
export interface RedisBenchmarkResult {
  command: string;
  rps: number;
  p50Ms: number;
  p99Ms: number;
}

/** Runs `redis-benchmark` for one command (argv, no shell) with `clients` connections; a reason string if it cannot. */
export function redisBenchmark(port: number, argv: readonly string[], requests: number, clients: number): Promise<RedisBenchmarkResult | string> {
  return new Promise((resolve) => {
    const child = spawn(process.env['REDIS_BENCHMARK_BIN'] ?? 'redis-benchmark', ['-h', '127.0.0.1', '-p', String(port), '-n', String(requests), '-c', String(clients), '--csv', ...argv], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('error', (e) => resolve(`redis-benchmark unavailable: ${e.message}`));
    child.once('exit', (code) => {
      // CSV: "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms".
      // The test name is the command itself (it may hold quotes and newlines): read the numbers from the end.
      const numbers = /"([\d.]+)","([\d.]+)","([\d.]+)","([\d.]+)","([\d.]+)","([\d.]+)","([\d.]+)"\s*$/.exec(out);
      const rps = Number(numbers?.[1]);
      if (code !== 0 || !numbers || !Number.isFinite(rps)) {
        resolve(`redis-benchmark failed (${code}): ${(err || out).trim().slice(-300)}`);
        return;
      }
      resolve({ command: argv[0] ?? '', rps, p50Ms: Number(numbers[4]), p99Ms: Number(numbers[6]) });
    });
  });
}

/** Attaches to a Redis another process started (used by the W7 child); `stop()` only disconnects. */
export async function attachRedis(url: string): Promise<RedisInstance> {
  const admin = new Redis(url, { maxRetriesPerRequest: 1 });
  const server = parseInfo(await admin.info('server'));
  return {
    url,
    port: Number(new URL(url).port),
    version: server.get('redis_version') ?? 'unknown',
    admin,
    async stop() {
      admin.disconnect();
    },
  };
}

/** Redis' own CPU time so far (ms, user + system, from `INFO cpu`). */
export async function redisCpuMs(admin: Redis): Promise<number> {
  const cpu = parseInfo(await admin.info('cpu'));
  return (Number(cpu.get('used_cpu_user')) + Number(cpu.get('used_cpu_sys'))) * 1000;
}
