import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Resolver } from '../support/resolver.js';
import { generateTaskId } from '../../src/core/ids.js';

test('Resolver settles once with a value', async () => {
  const r = new Resolver<number>();
  assert.equal(r.done(), false);
  r.setResult(7);
  assert.equal(r.done(), true);
  assert.equal(await r.wait(), 7);
  assert.throws(() => r.setResult(8), /already completed/);
  assert.throws(() => r.setException(new Error('x')), /already completed/);
});

test('Resolver settles once with an error, and an unawaited rejection is not unhandled', async () => {
  const unawaited = new Resolver<void>();
  unawaited.setException(new Error('nobody waits'));
  const r = new Resolver<number>();
  r.setException(new Error('bad'));
  await assert.rejects(r.wait(), /bad/);
});

test('R22/R24/R84: ids are 128-bit hex strings without collisions', () => {
  const ids = new Set<string>();
  for (let i = 0; i < 10_000; i++) {
    const id = generateTaskId();
    assert.match(id, /^[0-9a-f]{32}$/);
    ids.add(id);
  }
  assert.equal(ids.size, 10_000);
});
