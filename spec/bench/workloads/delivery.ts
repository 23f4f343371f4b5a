/**
 * W3: completion → delivery. A `gated` tool's work finishes the instant the bench opens its gate;
 * the sample is the time from that instant until the client holds the result, while the client is
 * already waiting (a blocked `tasks/result`, or the SDK's `callToolStream` polling).
 */
import type { BenchContext } from '../context.js';
import { unavailableRow, type ResultRow } from '../results.js';
import { elapsedMs, now, sleep, summarize } from '../stats.js';
import { TARGET_LABELS, type BenchTarget, type TargetKey, type WaitMode } from '../targets/target.js';
import { TRANSPORTS } from '../transports.js';

interface DeliveryCase {
  key: TargetKey;
  mode: WaitMode;
  /** The SDK's paths re-check on a 1 s timer: sample their poll phase, with fewer samples. */
  polling: boolean;
  label: string;
}

const CASES: readonly DeliveryCase[] = [
  { key: 'ours-memory', mode: 'blocking', polling: false, label: `${TARGET_LABELS['ours-memory']}, blocked tasks/result` },
  { key: 'ours-redis', mode: 'blocking', polling: false, label: `${TARGET_LABELS['ours-redis']}, blocked tasks/result` },
  { key: 'sdk', mode: 'blocking', polling: true, label: `${TARGET_LABELS.sdk}, blocked tasks/result` },
  { key: 'sdk', mode: 'stream', polling: true, label: `${TARGET_LABELS.sdk}, callToolStream` },
  { key: 'plain', mode: 'blocking', polling: false, label: `${TARGET_LABELS.plain} (response to the call)` },
];

/** One sample: start the call, let it block, open the gate, time until the result is in hand. */
async function sample(ctx: BenchContext, target: BenchTarget, mode: WaitMode, waitMs: number): Promise<number> {
  const gate = ctx.gates.create();
  const call = await target.startGated(gate, mode);
  // Settle the outcome at once: a call failing while the bench sleeps must not go unhandled.
  const outcome = call.done.then(
    () => undefined,
    (err: unknown) => ({ err }),
  );
  await sleep(waitMs);
  const opened = now();
  ctx.gates.open(gate);
  const failed = await outcome;
  const ms = elapsedMs(opened);
  if (failed) throw failed.err;
  return ms;
}

export async function runW3(ctx: BenchContext): Promise<ResultRow[]> {
  const { n, nPolling, settleMs, pollSpreadMs } = ctx.config.w3;
  const rows: ResultRow[] = [];
  for (const transport of TRANSPORTS) {
    for (const c of CASES) {
      const base = { workload: 'W3', case: 'completion → delivery', subject: c.key, label: c.label, transport } as const;
      const count = c.polling ? nPolling : n;
      const outcome = await ctx.with(c.key, transport, async (target) => {
        if (!c.polling) await sample(ctx, target, c.mode, settleMs); // warm-up (a polling sample costs ~1 s)
        const samples: number[] = [];
        for (let i = 0; i < count; i++) {
          const spread = c.polling ? Math.floor(((i + Math.random()) / count) * pollSpreadMs) : 0;
          samples.push(await sample(ctx, target, c.mode, settleMs + spread));
        }
        return samples;
      });
      if (typeof outcome === 'string') {
        rows.push(unavailableRow(base, outcome));
        continue;
      }
      const summary = summarize(outcome);
      rows.push({ ...base, kind: 'latency', ...summary });
      ctx.log(`W3 ${transport} ${c.label}: median ${summary.medianMs.toFixed(3)} ms`);
    }
  }
  return rows;
}
