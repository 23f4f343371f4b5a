/**
 * W6: scale. The first `tasks/list` page's latency with a large store against a small one, and
 * the memory each stored task costs (Node heap; on Redis also Redis' `used_memory`).
 * Tasks are written straight into each implementation's store (completed, with a small result);
 * the listing goes through the protocol over InMemoryTransport.
 */
import type { BenchContext } from '../context.js';
import { settledHeapUsed } from '../heap.js';
import { parseInfo } from '../redis.js';
import { unavailableRow, type ResultRow } from '../results.js';
import { summarize, timeSequential } from '../stats.js';
import { TARGET_LABELS, type TargetKey } from '../targets/target.js';

const TARGETS: readonly TargetKey[] = ['ours-memory', 'ours-redis', 'sdk'];

async function redisUsedMemory(ctx: BenchContext): Promise<number | undefined> {
  const redis = await ctx.redis();
  if (typeof redis === 'string') return undefined;
  return Number(parseInfo(await redis.admin.info('memory')).get('used_memory'));
}

export async function runW6(ctx: BenchContext): Promise<ResultRow[]> {
  const { small, large, listSamples } = ctx.config.w6;
  const rows: ResultRow[] = [];
  for (const key of TARGETS) {
    const label = TARGET_LABELS[key];
    const base = { workload: 'W6', subject: key, label, transport: 'memory' } as const;
    const outcome = await ctx.with(key, 'memory', async (target) => {
      const { populate, listFirstPage } = target;
      if (!populate || !listFirstPage) return 'no task store to fill';
      const list = async (): Promise<ResultRow> => {
        const first = await listFirstPage();
        if (first === 0) throw new Error(`${key}: tasks/list returned no tasks`);
        const { samples } = await timeSequential(listSamples, async () => void (await listFirstPage()));
        return { ...base, case: '', kind: 'latency', ...summarize(samples), note: `a page holds ${first} tasks` };
      };
      const heapBefore = settledHeapUsed();
      const redisBefore = key === 'ours-redis' ? await redisUsedMemory(ctx) : undefined;
      await populate(small);
      const smallRow = { ...(await list()), case: `tasks/list first page, ${small.toLocaleString('en-US')} tasks` };
      const started = Date.now();
      await populate(large - small);
      ctx.log(`W6 ${key}: stored ${large} tasks in ${Date.now() - started} ms`);
      const heapAfter = settledHeapUsed();
      const redisAfter = key === 'ours-redis' ? await redisUsedMemory(ctx) : undefined;
      const largeRow = { ...(await list()), case: `tasks/list first page, ${large.toLocaleString('en-US')} tasks` };
      largeRow.ratio = { to: `${small} tasks`, value: (largeRow.medianMs ?? NaN) / (smallRow.medianMs ?? NaN) };
      const out: ResultRow[] = [smallRow, largeRow];
      if (key !== 'ours-redis') {
        out.push({ ...base, case: 'Node heap per stored task', kind: 'value', n: large, value: (heapAfter - heapBefore) / large, unit: 'bytes' });
      }
      if (redisBefore !== undefined && redisAfter !== undefined) {
        out.push({ ...base, case: 'Redis used_memory per stored task', kind: 'value', n: large, value: (redisAfter - redisBefore) / large, unit: 'bytes' });
      }
      return out;
    });
    if (typeof outcome === 'string') rows.push(unavailableRow({ ...base, case: 'tasks/list first page' }, outcome));
    else rows.push(...outcome);
  }
  return rows;
}
