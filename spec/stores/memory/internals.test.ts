import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExpiryHeap } from '../../../src/stores/memory/expiryHeap.js';
import { Fifo } from '../../../src/stores/memory/fifo.js';
import { KeyedWaiters } from '../../../src/stores/keyedWaiters.js';
import { ScopeIndex } from '../../../src/stores/memory/scopeIndex.js';

test('ExpiryHeap pops entries earliest first', () => {
  const heap = new ExpiryHeap();
  assert.equal(heap.pop(), undefined);
  const ats = [50, 10, 40, 10, 30, 20, 60, 5, 45, 25];
  ats.forEach((at, seq) => heap.push({ at, seq }));
  assert.equal(heap.size, ats.length);
  assert.equal(heap.peek()!.at, 5);
  const out: number[] = [];
  for (let e = heap.pop(); e !== undefined; e = heap.pop()) out.push(e.at);
  assert.deepEqual(out, [...ats].sort((a, b) => a - b));
  heap.rebuild([{ at: 3, seq: 1 }, { at: 1, seq: 2 }]);
  assert.equal(heap.pop()!.seq, 2);
  heap.clear();
  assert.equal(heap.size, 0);
});

test('Fifo keeps order across compaction and drains', () => {
  const fifo = new Fifo<number>();
  assert.equal(fifo.shift(), undefined);
  for (let i = 0; i < 100; i++) fifo.push(i);
  for (let i = 0; i < 70; i++) assert.equal(fifo.shift(), i);
  assert.equal(fifo.length, 30);
  fifo.push(100);
  assert.deepEqual(fifo.drain(), Array.from({ length: 31 }, (_, i) => i + 70));
  assert.equal(fifo.length, 0);
  fifo.push(1);
  assert.equal(fifo.shift(), 1);
  assert.equal(fifo.length, 0);
});

test('ScopeIndex finds positions by binary search and compacts removed entries', () => {
  const index = new ScopeIndex();
  const live = new Set<number>();
  for (let seq = 2; seq <= 200; seq += 2) {
    index.add(seq);
    live.add(seq);
  }
  assert.equal(index.firstAfter(0), 0);
  assert.equal(index.at(index.firstAfter(2)), 4);
  assert.equal(index.at(index.firstAfter(3)), 4);
  assert.equal(index.at(index.firstAfter(200)), undefined);
  for (let seq = 2; seq <= 160; seq += 2) {
    live.delete(seq);
    index.remove((s) => live.has(s));
  }
  assert.equal(index.live, 20);
  const kept: number[] = [];
  let stored = 0;
  for (let i = index.firstAfter(0); index.at(i) !== undefined; i++) {
    stored++;
    if (live.has(index.at(i)!)) kept.push(index.at(i)!);
  }
  assert.deepEqual(kept, [...live]);
  assert.ok(stored <= 2 * index.live + 33, `dead entries are compacted away (${stored} stored for ${index.live} live)`);
  assert.ok(stored < 100);
});

test('KeyedWaiters: filters, counts, settles once', async () => {
  const waiters = new KeyedWaiters<string, number>();
  const big = waiters.add('k', undefined, (v) => v > 5);
  const any = waiters.add('k');
  const other = waiters.add('other');
  assert.equal(waiters.size, 3);
  assert.equal(waiters.keyCount, 2);
  assert.equal(waiters.wake('k', 1), 1);
  assert.equal(await any.promise, 1);
  assert.equal(waiters.wake('k', 9), 1);
  assert.equal(await big.promise, 9);
  big.resolve(10); // settled already: nothing happens
  big.reject(new Error('late'));
  assert.equal(waiters.wake('none', 1), 0);
  waiters.rejectAll(new Error('closed'));
  await assert.rejects(other.promise, /closed/);
  assert.equal(waiters.size, 0);
  assert.equal(waiters.keyCount, 0);
});
