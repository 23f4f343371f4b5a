import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import type { TaskQueuedMessage } from '../../../src/core/messageQueue.js';
import { QueueFullError } from '../../../src/core/errors.js';
import { InMemoryTaskMessageQueue } from '../../../src/stores/memory/index.js';
import { StoreClosedError } from '../../../src/core/errors.js';
import { isSettled } from './helpers.js';

function note(n: number): TaskQueuedMessage {
  return { type: 'notification', timestamp: n, message: { jsonrpc: '2.0', method: 'notifications/message', params: { n } } };
}

function request(id: string): TaskQueuedMessage {
  return { type: 'request', timestamp: 0, message: { jsonrpc: '2.0', id, method: 'elicitation/create', params: {} } };
}

test('per-task FIFO: messages come out in order, tasks are independent', async () => {
  const q = new InMemoryTaskMessageQueue();
  assert.equal(q.maxMessagesPerTask, 100);
  await q.enqueue('a', note(1));
  await q.enqueue('b', request('r1'));
  await q.enqueue('a', note(2));
  assert.equal(await q.size('a'), 2);
  assert.equal(await q.size('b'), 1);
  assert.deepEqual(await q.dequeue('a'), note(1));
  assert.deepEqual(await q.dequeue('b'), request('r1'));
  assert.deepEqual(await q.dequeue('a'), note(2));
  assert.equal(await q.dequeue('a'), undefined);
  assert.equal(await q.dequeue('never'), undefined);
  assert.equal(await q.size('never'), 0);
  await q.close();
});

test('R89: the bound is enforced atomically; a full queue stores nothing', async () => {
  const q = new InMemoryTaskMessageQueue({ maxMessagesPerTask: 2 });
  // concurrent enqueues: exactly two succeed
  const results = await Promise.allSettled([q.enqueue('t', note(1)), q.enqueue('t', note(2)), q.enqueue('t', note(3))]);
  assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'fulfilled', 'rejected']);
  const rejected = results[2] as PromiseRejectedResult;
  assert.ok(rejected.reason instanceof QueueFullError);
  assert.equal(rejected.reason.code, -32603);
  assert.equal(rejected.reason.taskId, 't');
  assert.equal(rejected.reason.maxSize, 2);
  assert.equal(await q.size('t'), 2);
  await q.dequeue('t');
  await q.enqueue('t', note(4));
  assert.deepEqual((await q.dequeueAll('t')).map((m) => m.timestamp), [2, 4]);
  await q.close();
});

test('constructor rejects a bad bound', () => {
  for (const bad of [0, -1, 1.5, Number.NaN]) assert.throws(() => new InMemoryTaskMessageQueue({ maxMessagesPerTask: bad }), RangeError);
});

test('R89: emptied queues are deleted (no leak)', async () => {
  const q = new InMemoryTaskMessageQueue();
  for (let t = 0; t < 50; t++) await q.enqueue(`t${t}`, note(t));
  assert.equal(q.taskCount, 50);
  for (let t = 0; t < 25; t++) await q.dequeue(`t${t}`);
  for (let t = 25; t < 50; t++) assert.equal((await q.dequeueAll(`t${t}`)).length, 1);
  assert.equal(q.taskCount, 0);
  assert.deepEqual(await q.dequeueAll('t0'), []);
  await q.close();
});

test('stored messages are copies', async () => {
  const q = new InMemoryTaskMessageQueue();
  const m = note(1);
  await q.enqueue('t', m);
  (m.message.params as { n: number }).n = 99;
  const out = (await q.dequeue('t'))!;
  assert.deepEqual(out, note(1));
  await q.close();
});

test('a long queue keeps FIFO order through many enqueue/dequeue rounds', async () => {
  const q = new InMemoryTaskMessageQueue({ maxMessagesPerTask: 1_000 });
  let next = 0;
  let expected = 0;
  for (let round = 0; round < 20; round++) {
    for (let i = 0; i < 100; i++) await q.enqueue('t', note(next++));
    for (let i = 0; i < 60; i++) assert.equal((await q.dequeue('t'))!.timestamp, expected++);
  }
  assert.equal(await q.size('t'), next - expected);
  for (const m of await q.dequeueAll('t')) assert.equal(m.timestamp, expected++);
  assert.equal(expected, next);
  await q.close();
});

test('waitForMessage resolves at once when messages wait, else on the next enqueue', async () => {
  const q = new InMemoryTaskMessageQueue();
  await q.enqueue('t', note(1));
  await q.waitForMessage('t');
  await q.dequeue('t');
  const pending = q.waitForMessage('t');
  const other = q.waitForMessage('u');
  assert.equal(await isSettled(pending), false);
  void q.enqueue('t', note(2)); // right after the wait began: cannot be lost
  await pending;
  assert.equal(await isSettled(other), false, 'another task is not woken');
  await q.enqueue('u', note(3));
  await other;
  await q.close();
});

test('waitForMessage: abort rejects with the reason; reused signals accumulate no listeners', async () => {
  const q = new InMemoryTaskMessageQueue();
  const controller = new AbortController();
  const pending = q.waitForMessage('t', controller.signal);
  controller.abort('stop');
  await assert.rejects(pending, (e: unknown) => e === 'stop');
  assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
  await assert.rejects(q.waitForMessage('t', controller.signal), (e: unknown) => e === 'stop');
  const longLived = new AbortController().signal;
  for (let i = 0; i < 100; i++) {
    const wait = q.waitForMessage('t', longLived);
    await q.enqueue('t', note(i));
    await wait;
    await q.dequeue('t');
  }
  assert.equal(getEventListeners(longLived, 'abort').length, 0);
  await q.close();
});

test('close() rejects waiters, is idempotent, and later calls reject with StoreClosedError', async () => {
  const q = new InMemoryTaskMessageQueue();
  await q.enqueue('x', note(0));
  const pending = q.waitForMessage('t');
  await q.close();
  await q.close();
  await assert.rejects(pending, StoreClosedError);
  for (const call of [q.enqueue('t', note(1)), q.dequeue('t'), q.dequeueAll('t'), q.size('t'), q.waitForMessage('t')]) {
    await assert.rejects(call, StoreClosedError);
  }
  assert.equal(q.taskCount, 0);
});
