/**
 * W5 on a Redis Cluster: a real cluster of 3 masters (1 replica each), started on free ports for
 * the run, with the backend in the sharded layout. Lifecycles (tools/call with `task`, then
 * tasks/result) come from 16 clients with their own principals (owners), 64 in flight; the rows
 * give the lifecycles/s and, from `INFO commandstats` of each master, the commands per lifecycle
 * and each master's share.
 */
import type { BenchContext } from '../context.js';
import { unavailableRow, type ResultRow } from '../results.js';
import { perSecond, summarize, timeConcurrent } from '../stats.js';
import { TaskSupport } from '../../../src/server/index.js';
import { createRedisBackend } from '../../../src/stores/redis/index.js';
import { CONTROL_COMMANDS, RedisCluster, redisClusterSkipReason } from '../../support/redisCluster.js';
import { callAsTask, inMemory, textOf, toolTaskResult, type InMemoryHarness } from '../../server/harness.js';

const OWNERS = 16;

export async function runW5Cluster(ctx: BenchContext): Promise<ResultRow[]> {
  const { throughputTotal, concurrency } = ctx.config.w5;
  const base = { workload: 'W5', subject: 'ours-redis-cluster', label: 'ours (Redis Cluster, 3 masters)', transport: 'memory' } as const;
  const skip = redisClusterSkipReason();
  if (skip !== null) return [unavailableRow({ ...base, case: 'lifecycles/s on a Redis Cluster' }, skip)];
  const cluster = await RedisCluster.start();
  const client = await cluster.client({ redisOptions: { autoResendUnfulfilledCommands: false } });
  const backend = createRedisBackend(client, { keyPrefix: 'bench-cluster', checkEvictionPolicy: false, store: { limits: { maxTasks: 1_000_000, maxActiveTasksPerScope: 10_000 } } });
  const support = new TaskSupport(backend);
  const clients: InMemoryHarness[] = [];
  try {
    for (let i = 0; i < OWNERS; i++) {
      clients.push(await inMemory({ enable: { taskSupport: support }, authInfo: { token: `t${i}`, clientId: `owner-${i}`, scopes: [] } }));
    }
    let next = 0;
    const lifecycle = async (): Promise<void> => {
      const h = clients[next++ % OWNERS]!;
      const task = await callAsTask(h.client, 'tasks_conformance_required', { text: 'x' });
      if (textOf(await toolTaskResult(h.client, task.taskId)) !== 'x') throw new Error('wrong result');
    };
    await timeConcurrent(Math.min(256, throughputTotal), concurrency, lifecycle); // warm-up
    await cluster.resetCommandStats();
    const run = await timeConcurrent(throughputTotal, concurrency, lifecycle);
    const calls = await cluster.commandCallsPerMaster({ exclude: [...CONTROL_COMMANDS, 'script'] });
    const total = [...calls.values()].reduce((a, b) => a + b, 0);
    const shares = [...calls.entries()].map(([port, n]) => `:${port} ${((100 * n) / total).toFixed(0)} %`).join(', ');
    const rate = perSecond(throughputTotal, run.totalMs);
    return [
      {
        ...base,
        case: `lifecycles/s on a Redis Cluster, ${concurrency} in flight, ${OWNERS} owners`,
        kind: 'throughput',
        ...summarize(run.samples),
        perSecond: rate,
        note: `commands per master: ${shares}`,
      },
      {
        ...base,
        case: 'Redis commands executed per lifecycle on a Redis Cluster (all masters, incl. inside Lua)',
        kind: 'value',
        n: throughputTotal,
        value: total / throughputTotal,
        unit: 'commands',
        note: shares,
        detail: Object.fromEntries([...calls.entries()].map(([port, n]) => [String(port), n / throughputTotal])),
      },
    ];
  } catch (error) {
    return [unavailableRow({ ...base, case: 'lifecycles/s on a Redis Cluster' }, `failed: ${error instanceof Error ? error.message : String(error)}`)];
  } finally {
    await Promise.all(clients.map((h) => h.close()));
    await support.close();
    await backend.close();
    client.disconnect();
    await cluster.stop();
  }
}
