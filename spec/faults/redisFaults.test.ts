/**
 * Redis faults during a burst across three processes (docs/redis.md, "What survives what"): every
 * task ends within the bound after Redis is back, with its own result or a clear failure; nothing
 * hangs; every process answers again. Each scenario once here; `npm run chaos` runs them many times.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TaskSupport } from '../../src/runtime/taskSupport.js';
import { createRedisBackend, ORPHANED_TASK_MESSAGE } from '../../src/stores/redis/index.js';
import { describeWithRedis, RedisServer } from '../support/redisServer.js';
import { CHECK_INTERVAL_MS, faults, LEASE_MS, runScenario, TERMINAL_BOUND_MS } from './scenarios.js';

describeWithRedis('Redis faults during a burst (3 stateless processes)', () => {
  for (const fault of faults(2_000)) {
    test(`no task stuck, no request hung: ${fault.name}`, async () => {
      const figures = await runScenario(fault, { processes: 3, tasks: 60 });
      assert.deepEqual(figures.problems, [], JSON.stringify(figures));
      assert.ok(figures.created > 0, 'the burst created tasks');
      assert.equal(figures.completed + figures.failed, figures.created, 'every created task answered');
    });
  }
});

describeWithRedis('a task whose work ends while Redis is away', () => {
  test('its outcome is written once Redis is back: completed with its result, not orphaned, not left working', { timeout: 30_000 }, async (t) => {
    const redis = await RedisServer.start({ appendOnly: true });
    t.after(() => redis.stop());
    const support = await TaskSupport.redis(redis.url, { leases: { leaseMs: LEASE_MS, checkIntervalMs: CHECK_INTERVAL_MS }, onWarning: () => undefined });
    t.after(() => support.close());
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let running!: () => void;
    const started = new Promise<void>((resolve) => (running = resolve));
    const task = await support.startTask({
      request: { method: 'tools/call' },
      requestId: 1,
      scope: 'owner',
      work: async () => {
        running(); // it holds its lease now
        await gate;
        return { content: [{ type: 'text', text: 'made it' }] };
      },
      settle: (result) => ({ status: 'completed', outcome: { kind: 'result', result } }),
    });
    await started;
    await redis.kill();
    release(); // the work ends now; its outcome cannot be written
    // Redis stays away long enough for the first write to fail (ioredis gives up after 3 reconnection
    // attempts, about 300 ms); there is no event for "a write failed" to wait for instead.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await redis.restart();
    const back = Date.now();
    const state = await support.store.waitForUpdate(task.taskId, 1);
    assert.equal(state?.task.status, 'completed');
    assert.ok(Date.now() - back < TERMINAL_BOUND_MS);
    assert.deepEqual(await support.store.getTaskOutcome(task.taskId, 'owner'), { kind: 'result', result: { content: [{ type: 'text', text: 'made it' }] } });
  });

  test('a task whose creator dies before it takes the lease is failed by the orphan check (its provisional lease lapses)', { timeout: 30_000 }, async (t) => {
    const redis = await RedisServer.start();
    t.after(() => redis.stop());
    const backend = createRedisBackend(redis.url, { leases: { leaseMs: LEASE_MS, checkIntervalMs: CHECK_INTERVAL_MS }, checkEvictionPolicy: false });
    t.after(() => backend.close());
    // created, but nobody ever runs it (its creator "died")
    const task = await backend.store.createTask({}, 1, { method: 'tools/call' }, 'owner');
    const state = await backend.store.waitForUpdate(task.taskId, 1);
    assert.equal(state?.task.status, 'failed');
    assert.equal(state?.task.statusMessage, ORPHANED_TASK_MESSAGE);
  });
});
