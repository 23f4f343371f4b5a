/**
 * What the contract kit cannot see of RedisTaskStore: the key layout and its expiries, Redis
 * server time, several store instances (processes) on one Redis, lazy index pruning, restarts of
 * Redis with and without AOF, and failures while Redis is down.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { it } from 'node:test';
import { Redis } from 'ioredis';
import { StoreClosedError, TaskError, TaskNotFoundError, TaskTerminalError } from '../../../src/core/errors.js';
import { RedisBackendError, RedisTaskMessageQueue, RedisTaskStore } from '../../../src/stores/redis/index.js';
import { scopeKey } from '../../../src/stores/redis/keys.js';
import { describeWithRedis, RedisServer, suiteRedis } from '../../support/redisServer.js';
import { freshPrefix, inspector, keysOf, redisNow, toolCall, warnings } from './helpers.js';

const result = (text: string) => ({ content: [{ type: 'text' as const, text }] });

describeWithRedis('RedisTaskStore on redis-server', () => {
  const redis = suiteRedis();

  it('every key lives under the {prefix} hash tag; all of a task\'s keys expire at createdAt + ttl', async () => {
    const { url } = await redis();
    const prefix = freshPrefix('layout');
    const store = new RedisTaskStore(url, { keyPrefix: prefix });
    const queue = new RedisTaskMessageQueue(url, { keyPrefix: prefix });
    const client = await inspector(url);
    try {
      const task = await store.createTask({ ttl: 60_000 }, 1, toolCall, 'alice');
      await queue.enqueue(task.taskId, { type: 'notification', message: { jsonrpc: '2.0', method: 'notifications/message' }, timestamp: 1 });
      await store.finishTask(task.taskId, { status: 'completed', outcome: { kind: 'result', result: result('done') } }, 'alice');
      const expected = Date.parse(task.createdAt) + 60_000;
      const s = scopeKey('alice');
      assert.deepEqual(await keysOf(client, prefix), [
        `{${prefix}}:queue:${task.taskId}`,
        `{${prefix}}:scope:${s}:expiry`,
        `{${prefix}}:scope:${s}:list`,
        `{${prefix}}:seq`,
        `{${prefix}}:task:${task.taskId}`,
        `{${prefix}}:tasks`,
      ].sort());
      for (const key of [`{${prefix}}:task:${task.taskId}`, `{${prefix}}:queue:${task.taskId}`, `{${prefix}}:scope:${s}:list`, `{${prefix}}:scope:${s}:expiry`]) {
        assert.equal(await client.call('PEXPIRETIME', key), expected, `${key} expires with the task`);
      }
      assert.equal(await client.exists(`{${prefix}}:scope:${s}:active`), 0, 'the active set emptied when the task finished');
      assert.ok(!(await keysOf(client, prefix)).some((key) => key.includes('alice')), 'scope names do not appear in keys');
      // An unlimited task keeps its indexes alive for good.
      const unlimited = new RedisTaskStore(url, { keyPrefix: prefix, ttl: { maxTtl: null } });
      const forever = await unlimited.createTask({ ttl: null }, 2, toolCall, 'alice');
      await unlimited.close();
      assert.equal(forever.ttl, null);
      assert.equal(await client.pttl(`{${prefix}}:task:${forever.taskId}`), -1);
      assert.equal(await client.pttl(`{${prefix}}:scope:${s}:list`), -1);
    } finally {
      client.disconnect();
      await Promise.all([store.close(), queue.close()]);
    }
  });

  it('an index key\'s life grows to cover its longest-lived task', async () => {
    const { url } = await redis();
    const prefix = freshPrefix('index-life');
    const store = new RedisTaskStore(url, { keyPrefix: prefix });
    const client = await inspector(url);
    try {
      const long = await store.createTask({ ttl: 120_000 }, 1, toolCall);
      await store.createTask({ ttl: 30_000 }, 2, toolCall);
      const list = `{${prefix}}:scope:${scopeKey(undefined)}:list`;
      assert.equal(await client.call('PEXPIRETIME', list), Date.parse(long.createdAt) + 120_000, 'a shorter task does not shorten it');
    } finally {
      client.disconnect();
      await store.close();
    }
  });

  it('createdAt and lastUpdatedAt are Redis server time', async () => {
    const { url } = await redis();
    const store = new RedisTaskStore(url, { keyPrefix: freshPrefix('time') });
    const client = await inspector(url);
    try {
      const before = await redisNow(client);
      const task = await store.createTask({}, 1, toolCall);
      const updated = await store.updateTask(task.taskId, { statusMessage: 'x' });
      const after = await redisNow(client);
      const created = Date.parse(task.createdAt);
      assert.ok(created >= before && created <= after, `${task.createdAt} within Redis time [${before}, ${after}]`);
      // lastUpdatedAt is Redis time, or 1 ms past the previous value when both fall in the same ms.
      const changed = Date.parse(updated.lastUpdatedAt);
      assert.ok(changed >= before && changed <= Math.max(after, created + 1), `${updated.lastUpdatedAt} within Redis time`);
      assert.ok(Date.parse(updated.lastUpdatedAt) > Date.parse(task.lastUpdatedAt), 'lastUpdatedAt moves strictly forward');
    } finally {
      client.disconnect();
      await store.close();
    }
  });

  it('two store instances on one Redis (two processes): a change on one wakes a waiter on the other; cancel wins on both', async () => {
    const { url } = await redis();
    const prefix = freshPrefix('two');
    const a = new RedisTaskStore(url, { keyPrefix: prefix });
    const b = new RedisTaskStore(url, { keyPrefix: prefix });
    try {
      const task = await a.createTask({}, 1, toolCall, 'alice');
      assert.deepEqual(await b.getTask(task.taskId, 'alice'), task, 'B sees what A created');
      assert.equal(await b.getTask(task.taskId, 'bob'), null, 'but not for another scope');
      const waiting = a.waitForUpdate(task.taskId, 1);
      await b.updateTask(task.taskId, { status: 'cancelled', statusMessage: 'cancelled on B' }, 'alice');
      const woken = await waiting;
      assert.equal(woken?.task.status, 'cancelled');
      assert.equal(woken?.task.statusMessage, 'cancelled on B');
      await assert.rejects(
        a.finishTask(task.taskId, { status: 'completed', outcome: { kind: 'result', result: result('late') } }, 'alice'),
        TaskTerminalError,
      );
      assert.equal(await b.getTaskOutcome(task.taskId, 'alice'), null, 'the late completion stored nothing');
      assert.deepEqual((await b.listTasks(undefined, 'alice')).tasks.map((t) => t.taskId), [task.taskId]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('waits on many tasks share one pattern subscription, kept: no SUBSCRIBE or UNSUBSCRIBE per task', async () => {
    const { url } = await redis();
    const store = new RedisTaskStore(url, { keyPrefix: freshPrefix('channels') });
    const admin = new Redis(url);
    const calls = async (command: string): Promise<number> => Number(/calls=(\d+)/.exec((await admin.info('commandstats')).split('\n').find((l) => l.startsWith(`cmdstat_${command}:`)) ?? '')?.[1] ?? 0);
    try {
      const before = { subscribe: await calls('subscribe'), unsubscribe: await calls('unsubscribe'), psubscribe: await calls('psubscribe') };
      for (let round = 0; round < 2; round++) {
        const tasks = await Promise.all(Array.from({ length: 20 }, (_, i) => store.createTask({}, i, toolCall)));
        const waits = tasks.map((task) => store.waitForUpdate(task.taskId, 1));
        const controller = new AbortController();
        const aborted = store.waitForUpdate(tasks[0]!.taskId, 100, controller.signal); // not woken by version 2
        await Promise.all(tasks.map((task) => store.updateTask(task.taskId, { statusMessage: 'go' })));
        await Promise.all(waits);
        controller.abort(new Error('stop'));
        await assert.rejects(aborted, /stop/);
      }
      assert.equal(store.connection.subscriptions.patternCount, 1, 'the task-events pattern, kept');
      assert.deepEqual(
        { subscribe: await calls('subscribe'), unsubscribe: await calls('unsubscribe'), psubscribe: await calls('psubscribe') },
        { ...before, psubscribe: before.psubscribe + 1 },
        '40 tasks waited on: one PSUBSCRIBE in all',
      );
    } finally {
      admin.disconnect();
      await store.close();
    }
  });

  it('waits started on every turn while the pub/sub connection is still connecting all work (no subscriber-mode loop)', async () => {
    const { url } = await redis();
    const prefix = freshPrefix('connecting');
    const store = new RedisTaskStore(url, { keyPrefix: prefix });
    const elsewhere = new RedisTaskStore(url, { keyPrefix: prefix }); // changes reach `store` by pub/sub only
    try {
      const tasks = await Promise.all(Array.from({ length: 60 }, (_, i) => elsewhere.createTask({}, i, toolCall)));
      // The first wait opens the pub/sub connection; one more wait on each of the next turns, so
      // some start while it is connecting.
      const waits: Promise<unknown>[] = [];
      for (const task of tasks) {
        waits.push(store.waitForUpdate(task.taskId, 1));
        await new Promise((resolve) => setImmediate(resolve));
      }
      await Promise.all(tasks.map((task) => elsewhere.updateTask(task.taskId, { statusMessage: 'go' })));
      const states = (await Promise.all(waits)) as Array<{ task: { statusMessage?: string } } | null>;
      assert.ok(states.every((state) => state?.task.statusMessage === 'go'), 'every wait woke with the change made elsewhere');
    } finally {
      await Promise.all([store.close(), elsewhere.close()]);
    }
  });

  it('a foreign message on a task channel is ignored; the waiter still wakes on the real change', async () => {
    const { url } = await redis();
    const prefix = freshPrefix('garbage');
    const store = new RedisTaskStore(url, { keyPrefix: prefix });
    const client = await inspector(url);
    try {
      const task = await store.createTask({}, 1, toolCall);
      const waiting = store.waitForUpdate(task.taskId, 1);
      await client.publish(`{${prefix}}:task-events:${task.taskId}`, 'not json');
      await store.updateTask(task.taskId, { statusMessage: 'real' });
      assert.equal((await waiting)?.task.statusMessage, 'real');
    } finally {
      client.disconnect();
      await store.close();
    }
  });

  it('expired index entries are dropped lazily by listing and by creation', async () => {
    const { url } = await redis();
    const prefix = freshPrefix('prune');
    const store = new RedisTaskStore(url, { keyPrefix: prefix, ttl: { minTtl: 1 } });
    const client = await inspector(url);
    const list = `{${prefix}}:scope:${scopeKey('carol')}:list`;
    const all = `{${prefix}}:tasks`;
    try {
      const doomed = [];
      for (let i = 0; i < 3; i++) doomed.push(await store.createTask({ ttl: 50 }, i, toolCall, 'carol'));
      const keeper = await store.createTask({ ttl: 60_000 }, 9, toolCall, 'carol');
      await waitUntilGone(client, doomed.map((t) => `{${prefix}}:task:${t.taskId}`));
      assert.equal(await client.zcard(list), 4, 'expired entries linger in the index');
      assert.deepEqual((await store.listTasks(undefined, 'carol')).tasks.map((t) => t.taskId), [keeper.taskId]);
      assert.equal(await client.zcard(list), 1, 'listing removed them');
      for (let i = 0; i < 2; i++) await store.createTask({ ttl: 50 }, i, toolCall, 'carol');
      await waitUntilGone(client, [`{${prefix}}:task:${(await store.listTasks(undefined, 'carol')).tasks[1]!.taskId}`]);
      await new Promise((resolve) => setTimeout(resolve, 60));
      await store.createTask({}, 10, toolCall, 'carol');
      assert.equal(await client.zcard(list), 2, 'creation pruned the scope\'s expired entries');
      assert.equal(await client.zcard(all), 2, 'and the global count');
    } finally {
      client.disconnect();
      await store.close();
    }
  });

  it('a corrupt task record is a clear -32603 error, not a crash', async () => {
    const { url } = await redis();
    const prefix = freshPrefix('corrupt');
    const store = new RedisTaskStore(url, { keyPrefix: prefix });
    const client = await inspector(url);
    try {
      const task = await store.createTask({}, 1, toolCall);
      await client.hset(`{${prefix}}:task:${task.taskId}`, 'ver', 'x');
      const error = await store.getTask(task.taskId).then(() => undefined, (err: unknown) => err);
      assert.ok(error instanceof TaskError && error.code === -32603 && /Corrupt task record/.test(error.message), String(error));
      await client.hset(`{${prefix}}:task:${task.taskId}`, 'ver', '2', 'outcome', '{not json');
      await client.hset(`{${prefix}}:task:${task.taskId}`, 'status', 'completed');
      await assert.rejects(store.getTaskOutcome(task.taskId), /Corrupt task record .*bad outcome/);
      await client.hdel(`{${prefix}}:task:${task.taskId}`, 'status');
      assert.equal(await store.getTask(task.taskId), null, 'a hash without status is no task');
    } finally {
      client.disconnect();
      await store.close();
    }
  });

  it('getTaskResult: stored results, stored errors, cancelled, unfinished and finished-without-result tasks', async () => {
    const { url } = await redis();
    const store = new RedisTaskStore(url, { keyPrefix: freshPrefix('results') });
    try {
      const ok = await store.createTask({}, 1, toolCall);
      await store.storeTaskResult(ok.taskId, 'completed', result('fine'));
      assert.deepEqual(await store.getTaskResult(ok.taskId), result('fine'));
      const bad = await store.createTask({}, 2, toolCall);
      await store.finishTask(bad.taskId, { status: 'failed', outcome: { kind: 'error', error: { code: -32000, message: 'boom', data: { x: 1 } } } });
      await assert.rejects(store.getTaskResult(bad.taskId), (err: unknown) => err instanceof TaskError && err.code === -32000 && err.message === 'boom');
      const cancelled = await store.createTask({}, 3, toolCall);
      await store.updateTaskStatus(cancelled.taskId, 'cancelled');
      await assert.rejects(store.getTaskResult(cancelled.taskId), /was cancelled/);
      const running = await store.createTask({}, 4, toolCall);
      await assert.rejects(store.getTaskResult(running.taskId), (err: unknown) => err instanceof TaskError && err.code === -32602);
      await store.updateTaskStatus(running.taskId, 'failed', 'gave up');
      await assert.rejects(store.getTaskResult(running.taskId), /failed without a stored result: gave up/);
      await assert.rejects(store.getTaskResult('nope'), TaskNotFoundError);
    } finally {
      await store.close();
    }
  });

  it('bad input gets -32602, bad options a RangeError', async () => {
    const { url } = await redis();
    const store = new RedisTaskStore(url, { keyPrefix: freshPrefix('input') });
    try {
      const task = await store.createTask({}, 1, toolCall);
      const invalid = (err: unknown) => err instanceof TaskError && err.code === -32602;
      await assert.rejects(store.updateTask(task.taskId, { status: 'completed' as never }), invalid);
      await assert.rejects(store.updateTask(task.taskId, { statusMessage: 42 as never }), invalid);
      await assert.rejects(store.updateTaskStatus(task.taskId, 'done' as never), invalid);
      await assert.rejects(store.finishTask(task.taskId, { status: 'cancelled' as never, outcome: { kind: 'result', result: {} } }), invalid);
      await assert.rejects(store.finishTask(task.taskId, { status: 'completed', outcome: { kind: 'other' } as never }), invalid);
      await assert.rejects(store.finishTask(task.taskId, { status: 'completed', outcome: { kind: 'error', error: { code: 'x' } } as never }), invalid);
      const cyclic: Record<string, unknown> = {};
      cyclic['self'] = cyclic;
      await assert.rejects(store.finishTask(task.taskId, { status: 'completed', outcome: { kind: 'result', result: cyclic } }), invalid);
      await assert.rejects(store.updateTask('', { statusMessage: 'x' }), TaskNotFoundError);
      assert.equal((await store.getTask(task.taskId))?.status, 'working', 'nothing changed');
      const polled = await store.createTask({ pollInterval: 12.5 }, 2, toolCall);
      assert.equal(polled.pollInterval, 13, 'pollInterval is a whole number of ms');
    } finally {
      await store.close();
    }
    for (const options of [{ pageSize: 0 }, { limits: { maxTasks: 0 } }, { defaultPollInterval: -1 }, { keyPrefix: 'bad prefix' }, { keyPrefix: '{x}' }]) {
      assert.throws(() => new RedisTaskStore(url, options), RangeError, JSON.stringify(options));
    }
    const prefixed = new Redis(url, { keyPrefix: 'app:', lazyConnect: true });
    assert.throws(() => new RedisTaskStore(prefixed), /ioredis keyPrefix/);
    prefixed.disconnect();
  });

  it('a store given an ioredis client leaves it open; close rejects later calls', async () => {
    const { url } = await redis();
    const client = await inspector(url);
    const baseline = client.listenerCount('error');
    const store = new RedisTaskStore(client, { keyPrefix: freshPrefix('client') });
    const task = await store.createTask({}, 1, toolCall);
    await store.close();
    assert.equal(client.listenerCount('error'), baseline, 'the store removed its listeners from the caller\'s client');
    await store.close();
    assert.equal(client.status, 'ready', 'the caller\'s client is still open');
    await assert.rejects(store.getTask(task.taskId), StoreClosedError);
    await assert.rejects(store.listTasks(), StoreClosedError);
    await assert.rejects(store.waitForUpdate(task.taskId, 0), StoreClosedError);
    assert.equal(await client.exists(`{${store.connection.keys.prefix}}:task:${task.taskId}`), 1);
    client.disconnect();
  });
});

describeWithRedis('RedisTaskStore across Redis restarts', () => {
  it('with AOF: tasks and results survive a SIGKILL of Redis; calls during the outage fail clearly; waiters carry on', async () => {
    const server = await RedisServer.start({ appendOnly: true });
    const prefix = freshPrefix('aof');
    const w = warnings();
    const store = new RedisTaskStore(server.url, { keyPrefix: prefix, onWarning: w.onWarning });
    const other = new RedisTaskStore(server.url, { keyPrefix: prefix, onWarning: w.onWarning });
    try {
      const done = await store.createTask({}, 1, toolCall, 'alice');
      await store.finishTask(done.taskId, { status: 'completed', outcome: { kind: 'result', result: result('kept') } }, 'alice');
      const pending = await store.createTask({}, 2, toolCall, 'alice');
      const waiting = store.waitForUpdate(pending.taskId, 1);
      await server.kill();
      const begunDuringOutage = store.waitForUpdate(pending.taskId, 1);
      const error = await store.getTask(done.taskId, 'alice').then(() => undefined, (err: unknown) => err);
      assert.ok(error instanceof RedisBackendError, `a call while Redis is down fails with RedisBackendError, got ${String(error)}`);
      assert.equal(error.code, -32603);
      assert.match(error.message, /Task backend \(Redis\) unavailable/);
      await server.restart();
      await readyAgain(store);
      assert.deepEqual(await store.getTaskResult(done.taskId, 'alice'), result('kept'), 'the result survived');
      assert.equal((await store.getTask(pending.taskId, 'alice'))?.status, 'working');
      await readyAgain(other);
      await other.finishTask(pending.taskId, { status: 'completed', outcome: { kind: 'result', result: result('after restart') } }, 'alice');
      const woken = await waiting;
      assert.equal(woken?.task.status, 'completed', 'the waiter from before the restart woke');
      assert.equal((await begunDuringOutage)?.task.status, 'completed', 'a wait begun while Redis was down carried on');
      assert.ok(w.messages.some((m) => /connection error/.test(m)), 'the outage was reported as a warning');
    } finally {
      await Promise.all([store.close(), other.close()]);
      await server.stop();
    }
  });

  it('without persistence: after a restart the waiters of lost tasks end with null', async () => {
    const server = await RedisServer.start({ appendOnly: false });
    const store = new RedisTaskStore(server.url, { keyPrefix: freshPrefix('volatile'), onWarning: () => undefined });
    try {
      const task = await store.createTask({}, 1, toolCall);
      const waiting = store.waitForUpdate(task.taskId, 1);
      await server.restart();
      assert.equal(await waiting, null, 'the task is gone, and the waiter learns it after reconnecting');
      await readyAgain(store);
      assert.equal(await store.getTask(task.taskId), null);
    } finally {
      await store.close();
      await server.stop();
    }
  });
});

/** Resolves once the store's command connection is ready again. */
async function readyAgain(store: RedisTaskStore): Promise<void> {
  const client = store.connection.client as Redis;
  if (client.status !== 'ready') await once(client, 'ready');
}

/** Resolves once none of `keys` exists any more (Redis expired them), checking after each expiry time. */
async function waitUntilGone(client: Redis, keys: string[]): Promise<void> {
  for (const key of keys) {
    for (;;) {
      const left = await client.pttl(key);
      if (left === -2) break;
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, left + 1)));
    }
  }
}
