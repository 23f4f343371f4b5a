/**
 * RedisTaskLeases: renewal keeps a running task alive past its lease; a holder that dies
 * (SIGKILL) gets its tasks failed by another process's orphan check, with a clear message and a
 * JSON-RPC error outcome, and a blocked waiter wakes up. A non-terminal task never loses its lease
 * (docs/redis.md, "Leases and the orphan check").
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { it } from 'node:test';
import { StoreClosedError } from '../../../src/core/errors.js';
import { createRedisBackend, ORPHANED_TASK_MESSAGE, RedisTaskLeases, RedisTaskStore } from '../../../src/stores/redis/index.js';
import { describeWithRedis, suiteRedis } from '../../support/redisServer.js';
import { commandsProcessed, freshPrefix, inspector, toolCall } from './helpers.js';

const holderScript = fileURLToPath(new URL('./fixtures/leaseHolder.js', import.meta.url));
const done = { kind: 'result' as const, result: { content: [] } };

describeWithRedis('RedisTaskLeases', () => {
  const redis = suiteRedis();

  it('a SIGKILLed holder: its task stays working while renewed, then fails with a clear message; the waiter wakes', async () => {
    const { url } = await redis();
    const prefix = freshPrefix('sigkill');
    const leaseMs = 1_000; // renewed every 333 ms: only a stall of a whole second (a very loaded machine) could lose it
    const child = spawn(process.execPath, [holderScript, url, prefix, String(leaseMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = once(child, 'exit');
    const store = new RedisTaskStore(url, { keyPrefix: prefix });
    const checker = new RedisTaskLeases(url, { keyPrefix: prefix, leaseMs, checkIntervalMs: 50 });
    try {
      const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
      const { taskId } = JSON.parse(line) as { taskId: string };
      // Several lease periods pass while the holder renews: the orphan check must leave the task alone.
      const deadline = Date.now() + 2 * leaseMs;
      while (Date.now() < deadline) {
        assert.deepEqual(await checker.checkOrphans(), [], 'a renewed lease is not orphaned');
        await new Promise((resolve) => setTimeout(resolve, leaseMs / 2));
      }
      assert.equal((await store.getTask(taskId, 'owner'))?.status, 'working');
      const waiting = store.waitForUpdate(taskId, 1);
      child.kill('SIGKILL');
      await exited;
      const state = await waiting; // the checker's interval timer fails it within lease + interval
      assert.equal(state?.task.status, 'failed');
      assert.equal(state?.task.statusMessage, ORPHANED_TASK_MESSAGE);
      assert.deepEqual(await store.getTaskOutcome(taskId, 'owner'), {
        kind: 'error',
        error: { code: -32603, message: ORPHANED_TASK_MESSAGE },
      });
      await assert.rejects(store.getTaskResult(taskId, 'owner'), (err: Error & { code?: number }) => err.code === -32603 && err.message === ORPHANED_TASK_MESSAGE);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await Promise.all([store.close(), checker.close()]);
    }
  });

  it('acquire, renew, release; leases of finished and missing tasks are never orphaned; a live task keeps its lease after release', async () => {
    const { url } = await redis();
    const prefix = freshPrefix('lease');
    const store = new RedisTaskStore(url, { keyPrefix: prefix });
    const lost: string[] = [];
    const holder = new RedisTaskLeases(url, { keyPrefix: prefix, leaseMs: 60_000, checkIntervalMs: 0, onLeaseLost: (id) => lost.push(id) });
    const client = await inspector(url);
    const leasesKey = `{${prefix}}:leases`;
    try {
      const a = await store.createTask({}, 1, toolCall);
      const b = await store.createTask({}, 2, toolCall);
      const finished = await store.createTask({}, 3, toolCall);
      await store.finishTask(finished.taskId, { status: 'completed', outcome: done });
      await holder.acquire(a.taskId);
      await holder.acquire(b.taskId);
      await holder.acquire(finished.taskId);
      await holder.acquire('0'.repeat(32));
      assert.deepEqual([...holder.held].sort(), [a.taskId, b.taskId].sort(), 'no lease on a finished or unknown task');
      assert.deepEqual(await holder.checkOrphans(), [], 'live leases are not orphaned');
      assert.deepEqual(await holder.renew(), []);
      // b finishes (on any process): its lease entry goes with the transition, and the holder learns it.
      await store.finishTask(b.taskId, { status: 'completed', outcome: done });
      assert.deepEqual(await holder.renew(), [b.taskId]);
      assert.deepEqual(lost, [b.taskId]);
      assert.deepEqual(holder.held, [a.taskId]);
      await holder.release(a.taskId);
      await holder.release(a.taskId);
      assert.deepEqual(holder.held, [], 'released: no longer renewed here');
      assert.deepEqual(await client.zrange(leasesKey, 0, -1), [a.taskId], 'a live task keeps its lease entry until it lapses');
      await client.zrem(leasesKey, a.taskId);
      // Stale lease entries whose deadline passed: a finished task and a vanished one are just cleaned up.
      await client.zadd(leasesKey, 1, finished.taskId, 1, 'f'.repeat(32));
      assert.deepEqual(await holder.checkOrphans(), []);
      assert.equal(await client.zcard(leasesKey), 0);
      assert.equal((await store.getTask(finished.taskId))?.status, 'completed', 'a finished task stays as it is');
      // An expired lease of a live task is failed, once.
      await client.zadd(leasesKey, 1, a.taskId);
      const [first, second] = await Promise.all([holder.checkOrphans(), holder.checkOrphans()]);
      assert.deepEqual(first, [a.taskId]);
      assert.equal(second, first, 'concurrent checks share one run');
      assert.deepEqual(await holder.checkOrphans(), []);
      assert.equal((await store.getTask(a.taskId))?.status, 'failed');
    } finally {
      client.disconnect();
      await Promise.all([store.close(), holder.close()]);
    }
  });

  it('a lease renewed after it lapsed is not orphaned (the renewal wins); after close the lease lapses and the orphan check fails the task', async () => {
    const { url } = await redis();
    const prefix = freshPrefix('renewed');
    const store = new RedisTaskStore(url, { keyPrefix: prefix });
    const holder = new RedisTaskLeases(url, { keyPrefix: prefix, leaseMs: 60_000, checkIntervalMs: 0 });
    const client = await inspector(url);
    try {
      const task = await store.createTask({}, 1, toolCall);
      await holder.acquire(task.taskId);
      await client.zadd(`{${prefix}}:leases`, 1, task.taskId);
      await holder.renew();
      assert.deepEqual(await holder.checkOrphans(), []);
      assert.equal((await store.getTask(task.taskId))?.status, 'working');
      await holder.close();
      await holder.close();
      assert.deepEqual(await client.zrange(`{${prefix}}:leases`, 0, -1), [task.taskId], 'the live task keeps its lease: nothing else would cover it');
      await assert.rejects(holder.acquire(task.taskId), StoreClosedError);
      // once it lapses (set here to the past), any process's orphan check fails the task
      await client.zadd(`{${prefix}}:leases`, 1, task.taskId);
      const checker = new RedisTaskLeases(url, { keyPrefix: prefix, checkIntervalMs: 0 });
      try {
        assert.deepEqual(await checker.checkOrphans(), [task.taskId]);
      } finally {
        await checker.close();
      }
      assert.equal((await store.getTask(task.taskId))?.status, 'failed');
    } finally {
      client.disconnect();
      await Promise.all([store.close(), holder.close()]);
    }
  });

  it('options are checked', async () => {
    const { url } = await redis();
    for (const options of [{ leaseMs: 0 }, { leaseMs: 100, renewIntervalMs: 100 }, { checkIntervalMs: -1 }, { renewIntervalMs: 1.5 }]) {
      assert.throws(() => new RedisTaskLeases(url, options), RangeError, JSON.stringify(options));
    }
    const leases = new RedisTaskLeases(url, { keyPrefix: freshPrefix('defaults'), holderId: 'me' });
    assert.equal(leases.leaseMs, 15_000);
    assert.equal(leases.renewIntervalMs, 5_000);
    assert.equal(leases.checkIntervalMs, 5_000);
    assert.equal(leases.holderId, 'me');
    await leases.close();
  });
});

describeWithRedis('leases taken by the creation (createRedisBackend)', () => {
  const redis = suiteRedis();

  it('a task created by the backend store is leased to this process: acquire asks Redis nothing, and the lease renews', async () => {
    const { url } = await redis();
    const prefix = freshPrefix('claimed');
    const lost: string[] = [];
    const backend = createRedisBackend(url, { keyPrefix: prefix, checkEvictionPolicy: false, leases: { leaseMs: 60_000, checkIntervalMs: 0, onLeaseLost: (id) => lost.push(id) } });
    const client = await inspector(url);
    try {
      const task = await backend.store.createTask({}, 1, toolCall);
      assert.equal(await client.hget(`{${prefix}}:task:${task.taskId}`, 'holder'), backend.leases.holderId, 'the creation names this process as the holder');
      assert.ok(Number(await client.zscore(`{${prefix}}:leases`, task.taskId)) > 0, 'with a deadline');
      const before = await commandsProcessed(client);
      await backend.leases.acquire(task.taskId);
      assert.equal(await commandsProcessed(client), before + 1, 'only the INFO of this test reached Redis');
      assert.deepEqual(backend.leases.held, [task.taskId]);
      assert.deepEqual(await backend.leases.renew(), [], 'the claimed lease renews like an acquired one');
      // Cancelled before it started elsewhere: the next renewal finds the lease lost.
      const cancelled = await backend.store.createTask({}, 2, toolCall);
      await backend.store.updateTask(cancelled.taskId, { status: 'cancelled' });
      await backend.leases.acquire(cancelled.taskId);
      assert.deepEqual(await backend.leases.renew(), [cancelled.taskId]);
      assert.deepEqual(lost, [cancelled.taskId]);
    } finally {
      client.disconnect();
      await backend.close();
    }
  });

  it('a claim too old to be safe (its lease could lapse before the first renewal) is taken through Redis', async () => {
    const { url } = await redis();
    const prefix = freshPrefix('stale-claim');
    const backend = createRedisBackend(url, { keyPrefix: prefix, checkEvictionPolicy: false, leases: { leaseMs: 60_000, checkIntervalMs: 0 } });
    const client = await inspector(url);
    try {
      const task = await backend.store.createTask({}, 1, toolCall);
      backend.leases.claimed(task.taskId, performance.now() - 60_000); // as if created a minute ago
      const deadline = Number(await client.zscore(`{${prefix}}:leases`, task.taskId));
      const before = await commandsProcessed(client);
      await backend.leases.acquire(task.taskId);
      assert.ok((await commandsProcessed(client)) > before + 1, 'the acquire script ran');
      assert.ok(Number(await client.zscore(`{${prefix}}:leases`, task.taskId)) >= deadline, 'with a fresh deadline');
      assert.deepEqual(backend.leases.held, [task.taskId]);
    } finally {
      client.disconnect();
      await backend.close();
    }
  });
});
