import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { InMemoryTaskResponseChannel, DEFAULT_MAX_EARLY_RESPONSES } from '../../../src/stores/memory/index.js';
import { StoreClosedError } from '../../../src/core/errors.js';
import { isSettled } from './helpers.js';

test('a published answer reaches the waiter for that request id only', async () => {
  const ch = new InMemoryTaskResponseChannel();
  assert.equal(ch.maxEarlyResponses, DEFAULT_MAX_EARLY_RESPONSES);
  const a = ch.waitForResponse('a');
  const b = ch.waitForResponse('b');
  await ch.publishResponse('a', { result: { action: 'accept', content: { name: 'x' } } });
  assert.deepEqual(await a, { result: { action: 'accept', content: { name: 'x' } } });
  assert.equal(await isSettled(b), false);
  await ch.publishResponse('b', { error: { code: -32600, message: 'declined' } });
  assert.deepEqual(await b, { error: { code: -32600, message: 'declined' } });
  assert.equal(ch.earlyCount, 0);
  await ch.close();
});

test('an answer published before anyone waits is kept and delivered once', async () => {
  const ch = new InMemoryTaskResponseChannel();
  const answer = { result: { n: 1 } };
  await ch.publishResponse('r', answer);
  answer.result.n = 2; // the publisher's object is not shared
  assert.equal(ch.earlyCount, 1);
  assert.deepEqual(await ch.waitForResponse('r'), { result: { n: 1 } });
  assert.equal(ch.earlyCount, 0);
  const second = ch.waitForResponse('r');
  assert.equal(await isSettled(second), false, 'delivered once');
  await ch.publishResponse('r', { result: { n: 3 } });
  assert.deepEqual(await second, { result: { n: 3 } });
  await ch.close();
});

test('R89: early answers are bounded, oldest evicted first; a re-published id counts once', async () => {
  const ch = new InMemoryTaskResponseChannel({ maxEarlyResponses: 3 });
  for (const id of ['1', '2', '3']) await ch.publishResponse(id, { result: { id } });
  await ch.publishResponse('1', { result: { id: '1b' } }); // replaces and becomes newest
  await ch.publishResponse('4', { result: { id: '4' } }); // evicts '2', the oldest
  assert.equal(ch.earlyCount, 3);
  assert.deepEqual(await ch.waitForResponse('1'), { result: { id: '1b' } });
  assert.deepEqual(await ch.waitForResponse('3'), { result: { id: '3' } });
  assert.deepEqual(await ch.waitForResponse('4'), { result: { id: '4' } });
  const evicted = ch.waitForResponse('2');
  assert.equal(await isSettled(evicted), false);
  await ch.close();
  await assert.rejects(evicted, StoreClosedError);
});

test('maxEarlyResponses 0 keeps nothing; bad values are RangeErrors', async () => {
  const ch = new InMemoryTaskResponseChannel({ maxEarlyResponses: 0 });
  await ch.publishResponse('r', { result: {} });
  assert.equal(ch.earlyCount, 0);
  await ch.close();
  for (const bad of [-1, 1.5]) assert.throws(() => new InMemoryTaskResponseChannel({ maxEarlyResponses: bad }), RangeError);
});

test('abort rejects with the reason and removes the listener; reused signals do not leak', async () => {
  const ch = new InMemoryTaskResponseChannel();
  const controller = new AbortController();
  const pending = ch.waitForResponse('r', controller.signal);
  controller.abort(new Error('cancelled'));
  await assert.rejects(pending, /cancelled/);
  assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
  await ch.publishResponse('r', { result: {} });
  assert.equal(ch.earlyCount, 1, 'an aborted waiter does not consume the answer');
  const signal = new AbortController().signal;
  for (let i = 0; i < 100; i++) {
    const wait = ch.waitForResponse(`q${i}`, signal);
    await ch.publishResponse(`q${i}`, { result: { i } });
    assert.deepEqual(await wait, { result: { i } });
  }
  assert.equal(getEventListeners(signal, 'abort').length, 0);
  await ch.close();
});

test('close() rejects waiters, drops early answers, is idempotent; later calls reject', async () => {
  const ch = new InMemoryTaskResponseChannel();
  await ch.publishResponse('early', { result: {} });
  const pending = ch.waitForResponse('r');
  await ch.close();
  await ch.close();
  await assert.rejects(pending, (e: unknown) => e instanceof StoreClosedError && e.code === -32603);
  assert.equal(ch.earlyCount, 0);
  await assert.rejects(ch.waitForResponse('early'), StoreClosedError);
  await assert.rejects(ch.publishResponse('r', { result: {} }), StoreClosedError);
});
