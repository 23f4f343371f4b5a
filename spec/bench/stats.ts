/** Timing and summary statistics for the benchmark suite. */
import { hrtime } from 'node:process';

/** Nanoseconds since an arbitrary origin (monotonic). */
export function now(): bigint {
  return hrtime.bigint();
}

/** Milliseconds between two {@link now} readings. */
export function elapsedMs(start: bigint, end: bigint = now()): number {
  return Number(end - start) / 1e6;
}

/** The q-quantile (0..1) of samples by the nearest-rank method; NaN for no samples. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] as number;
}

/** Median and p99 of latency samples (ms). */
export interface LatencySummary {
  n: number;
  medianMs: number;
  p99Ms: number;
}

export function summarize(samplesMs: readonly number[]): LatencySummary {
  return { n: samplesMs.length, medianMs: quantile(samplesMs, 0.5), p99Ms: quantile(samplesMs, 0.99) };
}

/**
 * Runs `op` `n` times one after another (stopping early, after at least 3 runs, once `budgetMs` of
 * wall time is used); returns each run's latency in ms and the total wall time.
 */
export async function timeSequential(
  n: number,
  op: () => Promise<void>,
  budgetMs: number = Number.POSITIVE_INFINITY,
): Promise<{ samples: number[]; totalMs: number }> {
  const samples: number[] = [];
  const start = now();
  for (let i = 0; i < n; i++) {
    if (i >= 3 && elapsedMs(start) > budgetMs) break;
    const t0 = now();
    await op();
    samples.push(elapsedMs(t0));
  }
  return { samples, totalMs: elapsedMs(start) };
}

/**
 * Runs `total` operations keeping `concurrency` in flight at all times; returns each operation's
 * latency in ms and the total wall time.
 */
export async function timeConcurrent(
  total: number,
  concurrency: number,
  op: () => Promise<void>,
): Promise<{ samples: number[]; totalMs: number }> {
  const samples: number[] = [];
  let started = 0;
  const start = now();
  async function lane(): Promise<void> {
    while (started < total) {
      started++;
      const t0 = now();
      await op();
      samples.push(elapsedMs(t0));
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, lane));
  return { samples, totalMs: elapsedMs(start) };
}

/** Operations per second for `count` operations in `totalMs`. */
export function perSecond(count: number, totalMs: number): number {
  return totalMs > 0 ? (count * 1000) / totalMs : Number.NaN;
}

/** Resolves after `ms` (real time passing is what the bench measures, not a synchronisation). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
