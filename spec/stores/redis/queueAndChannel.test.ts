/**
 * RedisTaskMessageQueue and RedisTaskResponseChannel beyond the contract kit: expiry follows the
 * task, cross-instance (cross-process) wake-ups and answers, bounded retention, bad input.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { TaskError } from '../../../src/core/errors.js';
import type { TaskQueuedMessage } from '../../../src/core/messageQueue.js';
import { RedisTaskMessageQueue, RedisTaskResponseChannel, RedisTaskStore } from '../../../src/stores/redis/index.js';
import { describeWithRedis, suiteRedis } from '../../support/redisServer.js';
import { freshPrefix, inspector, toolCall } from './helpers.js';

const note = (n: number): TaskQueuedMessage => ({ type: 'notification', message: { jsonrpc: '2.0', method: 'notifications/message', params: { n } }, timestamp: n });
const invalid = (err: unknown) => err instanceof TaskError && err.code === -32602;

describeWithRedis('RedisTaskMessageQueue', () => {
  const redis = suiteRedis();

  it('a queue expires with its task; a queue of an unknown task gets the fallback expiry; an unlimited task\'s queue none', async () => {
    const { url } = await redis();
    const prefix = freshPrefix('qexp');
    const store = new RedisTaskStore(url, { keyPrefix: prefix, ttl: { maxTtl: null } });
    const queue = new RedisTaskMessageQueue(url, { keyPrefix: prefix, orphanQueueTtlMs: 90_000 });
    const client = await inspector(url);
    try {
      const task = await store.createTask({ ttl: 120_000 }, 1, toolCall);
      await queue.enqueue(task.taskId, note(1));
      assert.equal(await client.call('PEXPIRETIME', `{${prefix}}:queue:${task.taskId}`), Date.parse(task.createdAt) + 120_000);
      await queue.enqueue('unknown-task', note(2));
      const left = await client.pttl(`{${prefix}}:queue:unknown-task`);
      assert.ok(left > 0 && left <= 90_000, `fallback expiry, got ${left}`);
      const forever = await store.createTask({ ttl: null }, 2, toolCall);
      await queue.enqueue(forever.taskId, note(3));
      assert.equal(await client.pttl(`{${prefix}}:queue:${forever.taskId}`), -1);
      await store.deleteTask(task.taskId);
      assert.equal(await queue.size(task.taskId), 0, 'deleting a task deletes its queue');
    } finally {
      client.disconnect();
      await Promise.all([store.close(), queue.close()]);
    }
  });

  it('an enqueue on one instance wakes waitForMessage on another (another process)', async () => {
    const { url } = await redis();
    const prefix = freshPrefix('qx');
    const a = new RedisTaskMessageQueue(url, { keyPrefix: prefix });
    const b = new RedisTaskMessageQueue(url, { keyPrefix: prefix });
    try {
      const waiting = b.waitForMessage('task-x');
      await a.enqueue('task-x', note(1));
      await waiting;
      assert.deepEqual(await b.dequeue('task-x'), note(1));
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('bad input gets -32602, bad options a RangeError', async () => {
    const { url } = await redis();
    const queue = new RedisTaskMessageQueue(url, { keyPrefix: freshPrefix('qbad') });
    try {
      await assert.rejects(queue.enqueue('t', null as never), invalid);
      const cyclic: Record<string, unknown> = { type: 'notification' };
      cyclic['self'] = cyclic;
      await assert.rejects(queue.enqueue('t', cyclic as never), invalid);
      for (const id of ['', 'x'.repeat(300)]) {
        await assert.rejects(queue.enqueue(id, note(1)), invalid);
        await assert.rejects(queue.size(id), invalid);
      }
    } finally {
      await queue.close();
    }
    for (const options of [{ maxMessagesPerTask: 0 }, { orphanQueueTtlMs: 0 }]) {
      assert.throws(() => new RedisTaskMessageQueue(url, options), RangeError);
    }
  });
});

describeWithRedis('RedisTaskResponseChannel', () => {
  const redis = suiteRedis();

  it('an answer published on one instance reaches the waiter on another; it is kept for responseTtlMs only', async () => {
    const { url } = await redis();
    const prefix = freshPrefix('resp');
    const a = new RedisTaskResponseChannel(url, { keyPrefix: prefix, responseTtlMs: 100 });
    const b = new RedisTaskResponseChannel(url, { keyPrefix: prefix });
    const client = await inspector(url);
    try {
      const waiting = a.waitForResponse('req-1');
      await b.publishResponse('req-1', { result: { action: 'accept', content: { ok: true } } });
      assert.deepEqual(await waiting, { result: { action: 'accept', content: { ok: true } } });
      await a.publishResponse('req-2', { error: { code: -32600, message: 'declined' } });
      const left = await client.pttl(`{${prefix}}:response:req-2`);
      assert.ok(left > 0 && left <= 100, `kept for a bounded time, got ${left}`);
      for (;;) {
        const pttl = await client.pttl(`{${prefix}}:response:req-2`);
        if (pttl === -2) break;
        await new Promise((resolve) => setTimeout(resolve, pttl + 1));
      }
      const controller = new AbortController();
      const late = b.waitForResponse('req-2', controller.signal);
      controller.abort(new Error('too late'));
      await assert.rejects(late, /too late/);
    } finally {
      client.disconnect();
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('bad input gets -32602, bad options a RangeError', async () => {
    const { url } = await redis();
    const channel = new RedisTaskResponseChannel(url, { keyPrefix: freshPrefix('rbad') });
    try {
      for (const response of [null, {}, { result: null }, { error: { code: 'x', message: 'y' } }, { result: {}, error: { code: 1, message: 'm' } }]) {
        await assert.rejects(channel.publishResponse('r', response as never), invalid, JSON.stringify(response));
      }
      const cyclic: Record<string, unknown> = {};
      cyclic['self'] = cyclic;
      await assert.rejects(channel.publishResponse('r', { result: cyclic }), invalid);
      await assert.rejects(channel.publishResponse('', { result: {} }), invalid);
      await assert.rejects(channel.waitForResponse(''), invalid);
    } finally {
      await channel.close();
    }
    assert.throws(() => new RedisTaskResponseChannel(url, { responseTtlMs: 0 }), RangeError);
  });
});
