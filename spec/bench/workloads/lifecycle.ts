/** W1 and W2: task lifecycles of an instant tool, one after another and 64 at a time. */
import type { BenchContext } from '../context.js';
import { unavailableRow, type ResultRow } from '../results.js';
import { perSecond, summarize, timeConcurrent, timeSequential } from '../stats.js';
import { TARGET_LABELS, type TargetKey } from '../targets/target.js';
import { TRANSPORTS } from '../transports.js';

/** The four implementations W1 and W2 compare. */
export const LIFECYCLE_TARGETS: readonly TargetKey[] = ['ours-memory', 'ours-redis', 'sdk', 'plain'];

/** Wall-time budget (ms) of the client-handle rows. */
const HANDLE_BUDGET_MS = 8_000;

/** W1: sequential lifecycles (create → `tasks/result`): latency and throughput. */
export async function runW1(ctx: BenchContext): Promise<ResultRow[]> {
  const { warmup, n } = ctx.config.w1;
  const rows: ResultRow[] = [];
  for (const transport of TRANSPORTS) {
    for (const key of LIFECYCLE_TARGETS) {
      const base = { workload: 'W1', case: 'sequential lifecycle', subject: key, label: TARGET_LABELS[key], transport } as const;
      const outcome = await ctx.with(key, transport, async (target) => {
        await timeSequential(warmup, () => target.instant('warm-up'));
        const raw = await timeSequential(n, () => target.instant('hello'));
        const { instantViaHandle } = target;
        if (key !== 'ours-memory' || !instantViaHandle) return { raw };
        // A budget: the handle may wait a poll interval per lifecycle.
        await timeSequential(warmup, () => instantViaHandle('warm-up'), HANDLE_BUDGET_MS / 4);
        return { raw, handle: await timeSequential(n, () => instantViaHandle('hello'), HANDLE_BUDGET_MS) };
      });
      if (typeof outcome === 'string') {
        rows.push(unavailableRow(base, outcome));
        continue;
      }
      const summary = summarize(outcome.raw.samples);
      rows.push({ ...base, kind: 'latency', ...summary, perSecond: perSecond(n, outcome.raw.totalMs) });
      ctx.log(`W1 ${transport} ${key}: median ${summary.medianMs.toFixed(3)} ms`);
      if (outcome.handle) {
        const label = `${TARGET_LABELS[key]}, client handle`;
        const { samples, totalMs } = outcome.handle;
        rows.push({ ...base, label, kind: 'latency', ...summarize(samples), perSecond: perSecond(samples.length, totalMs) });
      }
    }
  }
  return rows;
}

/** W2: lifecycles with `concurrency` (64) in flight: throughput. */
export async function runW2(ctx: BenchContext): Promise<ResultRow[]> {
  const { warmup, total, concurrency } = ctx.config.w2;
  const rows: ResultRow[] = [];
  for (const transport of TRANSPORTS) {
    for (const key of LIFECYCLE_TARGETS) {
      const base = { workload: 'W2', case: `${concurrency} concurrent lifecycles`, subject: key, label: TARGET_LABELS[key], transport } as const;
      const outcome = await ctx.with(key, transport, async (target) => {
        await timeConcurrent(warmup, concurrency, () => target.instant('warm-up'));
        return timeConcurrent(total, concurrency, () => target.instant('hello'));
      });
      if (typeof outcome === 'string') {
        rows.push(unavailableRow(base, outcome));
        continue;
      }
      const rate = perSecond(total, outcome.totalMs);
      rows.push({ ...base, kind: 'throughput', ...summarize(outcome.samples), perSecond: rate });
      ctx.log(`W2 ${transport} ${key}: ${rate.toFixed(0)}/s`);
    }
  }
  return rows;
}
