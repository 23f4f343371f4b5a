/**
 * `TaskSupport.redis(urlOrClient, options)` against a real `redis-server`: the
 * runtime on the Redis backend, its connections closed by `close()`, and two runtimes sharing Redis
 * as two processes (a status change made by one reaches the client of the other).
 */
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import type { Notification, Task } from '@modelcontextprotocol/sdk/types.js';
import { TaskSupport } from '../../src/server/index.js';
import { describeWithRedis, RedisServer } from '../support/redisServer.js';
import { callAsTask, cancelTask, inMemory, textOf, toolTaskResult } from './harness.js';

let prefixes = 0;
const freshPrefix = () => `server2-${process.pid}-${++prefixes}`;

const isStatus = (taskId: string, status: string) => (n: Notification) =>
  n.method === 'notifications/tasks/status' && (n.params as Task).taskId === taskId && (n.params as Task).status === status;

/** Rejects if `promise` has not settled within 10 s, so that a missing event fails instead of hanging. */
function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within 10 s`)), 10_000);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** How many connections Redis has, besides the inspector's. */
async function connectionCount(inspector: Redis): Promise<number> {
  const list = (await inspector.client('LIST')) as string;
  return list.trim().split('\n').length - 1; // without the inspector itself
}

/**
 * Redis frees a client shortly after answering its QUIT, with no event to wait on: re-reads the
 * count for at most 2 s.
 */
async function connectionsDrop(inspector: Redis): Promise<number> {
  const deadline = Date.now() + 2_000;
  for (;;) {
    const count = await connectionCount(inspector);
    if (count === 0 || Date.now() > deadline) return count;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

it('TaskSupport.redis is loaded lazily: the runtime module has no static import of the Redis backend', () => {
  const compiled = readFileSync(new URL('../../src/runtime/taskSupport.js', import.meta.url), 'utf8');
  assert.doesNotMatch(compiled, /^import[^;]*stores\/redis/m);
  assert.match(compiled, /import\('\.\.\/stores\/redis\/index\.js'\)/);
});

describeWithRedis('TaskSupport.redis()', () => {
  let redis: RedisServer;
  let inspector: Redis;
  before(async () => {
    redis = await RedisServer.start();
    inspector = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    if (inspector.status !== 'ready') await once(inspector, 'ready');
  });
  after(async () => {
    inspector.disconnect();
    await redis.stop();
  });

  it('R26 R29 R49: from a URL — a tool task and an elicitation run on Redis; close() closes the connections it opened', async () => {
    const support = await TaskSupport.redis(redis.url, { keyPrefix: freshPrefix(), checkEvictionPolicy: false, shutdownGrace: 1_000 });
    const h = await inMemory({ enable: { taskSupport: support } });
    try {
      const plain = await callAsTask(h.client, 'tasks_conformance_optional', { text: 'on redis' });
      assert.equal(textOf(await toolTaskResult(h.client, plain.taskId)), 'on redis');
      const elicit = await callAsTask(h.client, 'tasks_conformance_elicit', { message: 'ok?' });
      assert.equal(textOf(await toolTaskResult(h.client, elicit.taskId)), 'confirmed: true');
      assert.ok((await connectionCount(inspector)) >= 1);
    } finally {
      await h.close();
      await support.close();
    }
    assert.equal(await connectionsDrop(inspector), 0);
    await assert.rejects(support.store.getTask('any'), /closed/);
  });

  it('with a caller-owned ioredis client: close() leaves that client open', async () => {
    const client = new Redis(redis.url);
    const support = await TaskSupport.redis(client, { keyPrefix: freshPrefix(), checkEvictionPolicy: false });
    const h = await inMemory({ enable: { taskSupport: support } });
    const task = await callAsTask(h.client, 'tasks_conformance_optional', { text: 'x' });
    assert.equal(textOf(await toolTaskResult(h.client, task.taskId)), 'x');
    await h.close();
    await support.close();
    assert.equal(await client.ping(), 'PONG');
    client.disconnect();
  });

  it('R57: two runtimes on one Redis (two processes): a cancel received by B reaches the client of A as a status notification', async () => {
    const keyPrefix = freshPrefix();
    const supportA = await TaskSupport.redis(redis.url, { keyPrefix, checkEvictionPolicy: false, shutdownGrace: 1_000 });
    const supportB = await TaskSupport.redis(redis.url, { keyPrefix, checkEvictionPolicy: false, shutdownGrace: 1_000 });
    const a = await inMemory({ enable: { taskSupport: supportA } });
    const b = await inMemory({ enable: { taskSupport: supportB } });
    try {
      const task = await callAsTask(a.client, 'tasks_conformance_hold', { holdMs: 600_000 });
      await cancelTask(b.client, task.taskId);
      const notified = await within(a.nextNotification(isStatus(task.taskId, 'cancelled')), 'cancelled notification on A');
      assert.equal((notified.params as Task).statusMessage, 'Cancelled by the requestor (tasks/cancel)');
      await within(supportA.settled(task.taskId), 'the work on A aborted');
    } finally {
      await a.close();
      await b.close();
      await supportA.close();
      await supportB.close();
    }
  });
});

it('closeBackends: close() calls it once the work has ended, and never rejects when it fails', async () => {
  const memory = TaskSupport.inMemory();
  const calls: string[] = [];
  const support = new TaskSupport({
    store: memory.store,
    queue: memory.queue,
    responseChannel: memory.responseChannel,
    closeBackends: async () => {
      calls.push('closeBackends');
      throw new Error('backend close failed');
    },
  });
  await support.close();
  await support.close();
  assert.deepEqual(calls, ['closeBackends']);
  await memory.close();
});

it('TaskSupport.redis() with nothing listening rejects with one clear error and no warnings; lazyConnect resolves', async () => {
  const { freePort } = await import('../support/redisServer.js');
  const url = `redis://user:secret@127.0.0.1:${await freePort()}`;
  const warnings: string[] = [];
  await assert.rejects(TaskSupport.redis(url, { onWarning: (message) => warnings.push(message) }), (error: Error & { code?: number }) => {
    assert.equal(error.code, -32603);
    assert.match(error.message, /^Cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+: Task backend \(Redis\) unavailable: /);
    assert.doesNotMatch(error.message, /secret/);
    return true;
  });
  assert.deepEqual(warnings, [], 'the failure is the error, not warnings beside it');
  const lazy = await TaskSupport.redis(url, { lazyConnect: true, onWarning: () => undefined });
  await assert.rejects(lazy.store.getTask('0'.repeat(32)), /Task backend \(Redis\) unavailable/);
  await lazy.close();
});
