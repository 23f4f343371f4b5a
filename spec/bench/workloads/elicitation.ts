/** W4: one elicitation round trip inside a task, against the same elicitation made by a plain tool call. */
import type { BenchContext } from '../context.js';
import { unavailableRow, type ResultRow } from '../results.js';
import { summarize, timeSequential } from '../stats.js';
import { TARGET_LABELS, type TargetKey } from '../targets/target.js';
import { TRANSPORTS } from '../transports.js';

const TARGETS: readonly { key: TargetKey; polling: boolean }[] = [
  { key: 'ours-memory', polling: false },
  { key: 'ours-redis', polling: false },
  { key: 'sdk', polling: true },
  { key: 'plain', polling: false },
];

export async function runW4(ctx: BenchContext): Promise<ResultRow[]> {
  const { warmup, n, nPolling } = ctx.config.w4;
  const rows: ResultRow[] = [];
  for (const transport of TRANSPORTS) {
    for (const { key, polling } of TARGETS) {
      const label = key === 'plain' ? `${TARGET_LABELS.plain} (elicits inline)` : TARGET_LABELS[key];
      const base = { workload: 'W4', case: 'call with one elicitation', subject: key, label, transport } as const;
      const outcome = await ctx.with(key, transport, async (target) => {
        await timeSequential(polling ? 0 : warmup, () => target.elicit());
        return timeSequential(polling ? nPolling : n, () => target.elicit());
      });
      if (typeof outcome === 'string') {
        rows.push(unavailableRow(base, outcome));
        continue;
      }
      const summary = summarize(outcome.samples);
      rows.push({ ...base, kind: 'latency', ...summary });
      ctx.log(`W4 ${transport} ${key}: median ${summary.medianMs.toFixed(3)} ms`);
    }
  }
  return rows;
}
