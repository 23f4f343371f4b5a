/**
 * W5: Redis. (a) Redis commands per lifecycle, from `INFO commandstats` deltas over sequential
 * lifecycles of ours on Redis (with the Redis server time they cost); (b) our throughput on Redis
 * with 64 lifecycles in flight; (c) what this Redis can do for the same command mix: the commands of
 * a few lifecycles are captured with `MONITOR`, each distinct command (each Lua script counts as
 * its own) is replayed with `redis-benchmark` at the same concurrency, and the per-lifecycle mix
 * gives the lifecycles/s Redis alone could sustain; (d) the same lifecycles on a Redis Cluster
 * (`redisCluster.ts`).
 */
import { createHash } from 'node:crypto';
import type { BenchContext } from '../context.js';
import { captureCommands, commandStats, diffStats, redisBenchmark, redisCpuMs } from '../redis.js';
import { unavailableRow, type ResultRow } from '../results.js';
import { perSecond, summarize, timeConcurrent, timeSequential } from '../stats.js';
import { TARGET_LABELS } from '../targets/target.js';
import { runW5Cluster } from './redisCluster.js';

/** Commands that cannot be replayed one by one (blocking, pub/sub mode, transactions, script loading). */
const NOT_REPLAYABLE = new Set([
  'subscribe', 'psubscribe', 'ssubscribe', 'unsubscribe', 'punsubscribe', 'sunsubscribe',
  'blpop', 'brpop', 'blmove', 'brpoplpush', 'blmpop', 'bzpopmin', 'bzpopmax', 'bzmpop', 'xread', 'xreadgroup', 'wait',
  'monitor', 'config', 'script', 'multi', 'exec', 'discard', 'watch', 'unwatch',
]);

/** Connection management (ioredis' ready check, connections closing): not part of a lifecycle's mix. */
const CONNECTION_COMMANDS = new Set(['client', 'hello', 'select', 'auth', 'quit', 'reset', 'info', 'echo', 'ping']);

/** One distinct command of the mix: how often a lifecycle sends it and an example to replay. */
interface MixEntry {
  signature: string;
  perLifecycle: number;
  example: string[];
}

function signature(args: readonly string[]): string {
  const name = (args[0] ?? '').toLowerCase();
  if (name === 'evalsha') return `evalsha ${String(args[1]).slice(0, 12)}`;
  if (name === 'eval') return `eval ${createHash('sha1').update(String(args[1])).digest('hex').slice(0, 12)}`;
  return name;
}

/** Groups captured commands into the per-lifecycle mix; returns the mix and the commands left out. */
export function commandMix(captured: readonly string[][], lifecycles: number): { mix: MixEntry[]; skipped: Map<string, number> } {
  const entries = new Map<string, MixEntry>();
  const skipped = new Map<string, number>();
  for (const args of captured) {
    const name = (args[0] ?? '').toLowerCase();
    if (CONNECTION_COMMANDS.has(name)) continue;
    if (NOT_REPLAYABLE.has(name)) {
      skipped.set(name, (skipped.get(name) ?? 0) + 1 / lifecycles);
      continue;
    }
    const sig = signature(args);
    const entry = entries.get(sig) ?? { signature: sig, perLifecycle: 0, example: [...args] };
    entry.perLifecycle += 1 / lifecycles;
    entries.set(sig, entry);
  }
  return { mix: [...entries.values()], skipped };
}

const fmt = (x: number): string => String(Number(x.toFixed(2)));

/** `name×count` pairs, largest first. */
function breakdown(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([name, n]) => `${name}×${fmt(n)}`)
    .join(' ');
}

/** `name rate/s` pairs, slowest first. */
function rateList(rates: Record<string, number>): string {
  return Object.entries(rates)
    .sort((a, b) => a[1] - b[1])
    .map(([name, rps]) => `${name} ${Math.round(rps).toLocaleString('en-US')}/s`)
    .join(', ');
}

export async function runW5(ctx: BenchContext): Promise<ResultRow[]> {
  const { countLifecycles, captureLifecycles, throughputTotal, concurrency, benchmarkRequests } = ctx.config.w5;
  const subject = 'ours-redis';
  const label = TARGET_LABELS[subject];
  const base = { workload: 'W5', subject, label, transport: 'memory' } as const;
  const redis = await ctx.redis();
  if (typeof redis === 'string') return [unavailableRow({ ...base, case: 'Redis commands per lifecycle' }, redis)];

  const measured = await ctx.with(subject, 'memory', async (target) => {
    await timeSequential(20, () => target.instant('warm-up'));
    const before = await commandStats(redis.admin);
    const cpuBefore = await redisCpuMs(redis.admin);
    await timeSequential(countLifecycles, () => target.instant('counted'));
    const cpuMs = (await redisCpuMs(redis.admin)) - cpuBefore;
    const delta = diffStats(before, await commandStats(redis.admin));
    const run = await timeConcurrent(throughputTotal, concurrency, () => target.instant('throughput'));
    const captured = await captureCommands(redis.url, async () => {
      await timeSequential(captureLifecycles, () => target.instant('captured'));
    });
    return { delta, cpuMs, run, captured };
  });
  if (typeof measured === 'string') return [unavailableRow({ ...base, case: 'Redis commands per lifecycle' }, measured)];

  const rows: ResultRow[] = [];
  const { delta, cpuMs, run, captured } = measured;
  const { mix, skipped } = commandMix(captured, captureLifecycles);

  // (a) commands per lifecycle: executed (commandstats counts commands run inside Lua scripts too) and sent.
  const executed: Record<string, number> = {};
  for (const [name, stat] of delta) executed[name] = stat.calls / countLifecycles;
  const executedTotal = Object.values(executed).reduce((a, b) => a + b, 0);
  rows.push({
    ...base,
    case: 'Redis commands executed per lifecycle (INFO commandstats, incl. inside Lua)',
    kind: 'value',
    n: countLifecycles,
    value: executedTotal,
    unit: 'commands',
    note: breakdown(executed),
    detail: executed,
  });
  const sent: Record<string, number> = {};
  for (const entry of mix) sent[entry.signature] = entry.perLifecycle;
  for (const [name, n] of skipped) sent[name] = n;
  rows.push({
    ...base,
    case: 'Redis commands sent per lifecycle (MONITOR, each a round trip)',
    kind: 'value',
    n: captureLifecycles,
    value: Object.values(sent).reduce((a, b) => a + b, 0),
    unit: 'commands',
    note: breakdown(sent),
    detail: sent,
  });
  const cpuUsPerLifecycle = (cpuMs * 1000) / countLifecycles;
  rows.push({
    ...base,
    case: 'Redis CPU per lifecycle (INFO cpu)',
    kind: 'value',
    n: countLifecycles,
    value: cpuUsPerLifecycle,
    unit: 'µs',
    note: `Redis-CPU-bound ceiling ≈ ${Math.round(1e6 / cpuUsPerLifecycle).toLocaleString('en-US')} lifecycles/s`,
  });

  // (b) our throughput
  const ours = perSecond(throughputTotal, run.totalMs);
  const oursRow: ResultRow = {
    ...base,
    case: `lifecycles/s on Redis, ${concurrency} in flight`,
    kind: 'throughput',
    ...summarize(run.samples),
    perSecond: ours,
    note: `≈ ${Math.round(ours * executedTotal).toLocaleString('en-US')} Redis commands/s executed`,
  };
  rows.push(oursRow);

  // (c) redis-benchmark on the same mix
  let secondsPerLifecycle = 0;
  const failures: string[] = [];
  const rates: Record<string, number> = {};
  for (const entry of mix) {
    const result = await redisBenchmark(redis.port, entry.example, benchmarkRequests, concurrency);
    if (typeof result === 'string') {
      failures.push(`${entry.signature}: ${result}`);
      continue;
    }
    rates[entry.signature] = result.rps;
    secondsPerLifecycle += entry.perLifecycle / result.rps;
    ctx.log(`W5 redis-benchmark ${entry.signature}: ${Math.round(result.rps)}/s`);
  }
  const benchBase = { ...base, subject: 'redis-benchmark', label: 'redis-benchmark (same command mix)' };
  if (failures.length > 0 || mix.length === 0) {
    rows.push(unavailableRow({ ...benchBase, case: `lifecycles/s on Redis, ${concurrency} in flight` }, failures.join('; ') || 'no replayable commands captured'));
  } else {
    const ceiling = 1 / secondsPerLifecycle;
    const skippedText = [...skipped.entries()].map(([name, n]) => `${name}×${fmt(n)}`).join(' ');
    rows.push({
      ...benchBase,
      case: `lifecycles/s on Redis, ${concurrency} in flight`,
      kind: 'throughput',
      perSecond: ceiling,
      note: `each distinct command replayed at -c ${concurrency}: ${rateList(rates)}${skippedText ? `; not replayable: ${skippedText}` : ''}`,
      detail: rates,
    });
    oursRow.ratio = { to: 'of redis-benchmark', value: ours / ceiling };
  }
  rows.push(...(await runW5Cluster(ctx)));
  return rows;
}
