/**
 * W5: Redis. (a) Redis commands per lifecycle, from `INFO commandstats` deltas over sequential
 * lifecycles of ours on Redis (with the Redis server time they cost); (b) our throughput on Redis
 * with 64 lifecycles in flight; (c) what this Redis can do for the same command mix: the commands of
 * a few lifecycles are captured with `MONITOR`, each distinct command (each Lua script counts as
 * its own) is replayed with `redis-benchmark` at the same concurrency, and the per-lifecycle mix
 * gives the lifecycles/s Redis alone could sustain.
 */
import { createHash } from 'node:crypto';
import type { BenchContext } from '../context.js';
import { captureCommands, commandStats, diffStats, redisBenchmark, type CommandStat } from '../redis.js';
import { unavailableRow, type ResultRow } from '../results.js';
import { perSecond, summarize, timeConcurrent, timeSequential } from '../stats.js';
import { TARGET_LABELS } from '../targets/target.js';

/** Commands that cannot be replayed one by one (blocking, connection state, pub/sub mode, admin). */
const NOT_REPLAYABLE = new Set([
  'subscribe', 'psubscribe', 'ssubscribe', 'unsubscribe', 'punsubscribe', 'sunsubscribe',
  'blpop', 'brpop', 'blmove', 'brpoplpush', 'blmpop', 'bzpopmin', 'bzpopmax', 'bzmpop', 'xread', 'xreadgroup', 'wait',
  'client', 'hello', 'select', 'auth', 'quit', 'reset', 'monitor', 'info', 'config', 'script', 'echo', 'multi', 'exec', 'discard', 'watch', 'unwatch',
]);

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

const fmt = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(2));

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
    await timeSequential(countLifecycles, () => target.instant('counted'));
    const delta = diffStats(before, await commandStats(redis.admin));
    const run = await timeConcurrent(throughputTotal, concurrency, () => target.instant('throughput'));
    const captured = await captureCommands(redis.url, async () => {
      await timeSequential(captureLifecycles, () => target.instant('captured'));
    });
    return { delta, run, captured };
  });
  if (typeof measured === 'string') return [unavailableRow({ ...base, case: 'Redis commands per lifecycle' }, measured)];

  const rows: ResultRow[] = [];
  const { delta, run, captured } = measured;
  // (a) commands per lifecycle
  let calls = 0;
  let usec = 0;
  const perCommand = [...delta.entries()].sort((a, b) => b[1].calls - a[1].calls);
  for (const [name, stat] of perCommand as [string, CommandStat][]) {
    calls += stat.calls;
    usec += stat.usec;
    rows.push({
      ...base,
      case: `Redis commands per lifecycle: ${name}`,
      kind: 'value',
      n: countLifecycles,
      value: stat.calls / countLifecycles,
      unit: 'calls',
      note: `${(stat.usec / countLifecycles).toFixed(1)} µs Redis time`,
    });
  }
  const usecPerLifecycle = usec / countLifecycles;
  rows.push({ ...base, case: 'Redis commands per lifecycle: total', kind: 'value', n: countLifecycles, value: calls / countLifecycles, unit: 'calls' });
  rows.push({
    ...base,
    case: 'Redis server time per lifecycle',
    kind: 'value',
    n: countLifecycles,
    value: usecPerLifecycle,
    unit: 'µs',
    note: `Redis-CPU-bound ceiling ≈ ${Math.round(1e6 / usecPerLifecycle).toLocaleString('en-US')} lifecycles/s (INFO commandstats usec)`,
  });
  // (b) our throughput
  const ours = perSecond(throughputTotal, run.totalMs);
  const oursRow: ResultRow = {
    ...base,
    case: `lifecycles/s on Redis, ${concurrency} in flight`,
    kind: 'throughput',
    ...summarize(run.samples),
    perSecond: ours,
    note: `≈ ${Math.round(ours * (calls / countLifecycles)).toLocaleString('en-US')} Redis commands/s`,
  };
  rows.push(oursRow);
  // (c) redis-benchmark on the same mix
  const { mix, skipped } = commandMix(captured, captureLifecycles);
  let secondsPerLifecycle = 0;
  const failures: string[] = [];
  for (const entry of mix) {
    const result = await redisBenchmark(redis.port, entry.example, benchmarkRequests, concurrency);
    if (typeof result === 'string') {
      failures.push(`${entry.signature}: ${result}`);
      continue;
    }
    secondsPerLifecycle += entry.perLifecycle / result.rps;
    rows.push({
      ...base,
      subject: 'redis-benchmark',
      label: 'redis-benchmark',
      case: `redis-benchmark: ${entry.signature} (×${fmt(entry.perLifecycle)} per lifecycle)`,
      kind: 'throughput',
      perSecond: result.rps,
      note: `p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms`,
    });
  }
  const skippedText = [...skipped.entries()].map(([name, n]) => `${name}×${fmt(n)}`).join(' ');
  if (failures.length > 0 || mix.length === 0) {
    rows.push(unavailableRow({ ...base, subject: 'redis-benchmark', label: 'redis-benchmark', case: 'same command mix' }, failures.join('; ') || 'no replayable commands captured'));
  } else {
    const ceiling = 1 / secondsPerLifecycle;
    rows.push({
      ...base,
      subject: 'redis-benchmark',
      label: 'redis-benchmark',
      case: `lifecycles/s on Redis, ${concurrency} in flight`,
      kind: 'throughput',
      perSecond: ceiling,
      note: `Redis alone, same command mix (${mix.length} distinct commands)${skippedText ? `; not replayable: ${skippedText}` : ''}`,
    });
    oursRow.ratio = { to: 'redis-benchmark', value: ours / ceiling };
  }
  return rows;
}
