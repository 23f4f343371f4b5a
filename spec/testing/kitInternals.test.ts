/** Unit tests of the kit's own building blocks: options, seeded randomness, guards and shape checks. */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { resolveContractOptions } from '../../src/testing/index.js';
import { assertIsoTimestamp, assertNotOlder, assertTaskShape, estimateIdEntropyBits, observableError } from '../../src/testing/assertions.js';
import { ContractHangError, describeError, macrotasks, rejection, rejectsWith, settle, sleepUntil, track, withDeadline } from '../../src/testing/guards.js';
import { deriveSeed, randomInt, randomYield, seededRandom, shuffled } from '../../src/testing/random.js';
import { TaskNotFoundError } from '../../src/core/errors.js';

const task = { taskId: 'a'.repeat(32), status: 'working' as const, ttl: 1_000, createdAt: '2026-01-01T00:00:00.000Z', lastUpdatedAt: '2026-01-01T00:00:01Z', pollInterval: 5 };

describe('contract kit: options', () => {
  it('fills in the documented defaults', () => {
    const options = resolveContractOptions({ seed: 5 });
    assert.deepEqual({ ...options }, { interleavings: 10_000, concurrency: 25, seed: 5, timeoutMs: 60_000, hangTimeoutMs: 5_000, shortTtlMs: 100, clockToleranceMs: 1_000, idSamples: 1_000 });
    assert.ok(Object.isFrozen(options));
  });

  it('takes the seed from MCP_TASKS_CONTRACT_SEED, else a random one', () => {
    const saved = process.env.MCP_TASKS_CONTRACT_SEED;
    try {
      process.env.MCP_TASKS_CONTRACT_SEED = '1234';
      assert.equal(resolveContractOptions().seed, 1234);
      process.env.MCP_TASKS_CONTRACT_SEED = 'x';
      assert.throws(() => resolveContractOptions(), RangeError);
      process.env.MCP_TASKS_CONTRACT_SEED = ' ';
      const seed = resolveContractOptions().seed;
      assert.ok(Number.isSafeInteger(seed) && seed >= 0 && seed < 2 ** 32);
    } finally {
      if (saved === undefined) delete process.env.MCP_TASKS_CONTRACT_SEED;
      else process.env.MCP_TASKS_CONTRACT_SEED = saved;
    }
  });

  it('rejects bad values with a RangeError naming the option', () => {
    assert.throws(() => resolveContractOptions({ interleavings: 0 }), /interleavings/);
    assert.throws(() => resolveContractOptions({ concurrency: 1 }), /concurrency/);
    assert.throws(() => resolveContractOptions({ hangTimeoutMs: 1.5 }), /hangTimeoutMs/);
    assert.throws(() => resolveContractOptions({ seed: -1 }), /seed/);
    assert.throws(() => resolveContractOptions({ idSamples: 10 }), /idSamples/);
    assert.equal(resolveContractOptions({ clockToleranceMs: 0 }).clockToleranceMs, 0);
  });
});

describe('contract kit: seeded randomness', () => {
  it('replays the same sequence for the same seed, and differs for another', () => {
    const draw = (seed: number) => Array.from({ length: 5 }, seededRandom(seed));
    assert.deepEqual(draw(9), draw(9));
    assert.notDeepEqual(draw(9), draw(10));
    for (const x of draw(11)) assert.ok(x >= 0 && x < 1);
  });

  it('derives distinct per-check seeds from one run seed', () => {
    assert.equal(deriveSeed(1, 'a'), deriveSeed(1, 'a'));
    assert.notEqual(deriveSeed(1, 'a'), deriveSeed(1, 'b'));
    assert.notEqual(deriveSeed(1, 'a'), deriveSeed(2, 'a'));
  });

  it('randomInt stays in range and shuffled is a permutation', () => {
    const random = seededRandom(3);
    for (let i = 0; i < 100; i++) {
      const n = randomInt(random, 4);
      assert.ok(Number.isInteger(n) && n >= 0 && n < 4);
    }
    const items = [1, 2, 3, 4, 5, 6];
    assert.deepEqual(shuffled(random, items).sort(), items);
  });

  it('randomYield takes every kind of turn and always returns', async () => {
    const random = seededRandom(4);
    for (let i = 0; i < 400; i++) await randomYield(random);
  });
});

describe('contract kit: guards', () => {
  it('withDeadline passes results and errors through and turns a hang into ContractHangError', async () => {
    assert.equal(await withDeadline(Promise.resolve(1), 1_000, 'x'), 1);
    await assert.rejects(withDeadline(Promise.reject(new Error('own')), 1_000, 'x'), /own/);
    const hang = await rejection(withDeadline(new Promise(() => undefined), 5, () => 'the wait'), 'hang');
    assert.ok(hang instanceof ContractHangError);
    assert.match(hang.message, /the wait did not settle within 5 ms/);
  });

  it('track reports settlement without changing the outcome', async () => {
    const ok = track(Promise.resolve('v'));
    assert.equal(ok.settled, false);
    assert.equal(await ok.promise, 'v');
    assert.equal(ok.settled, true);
    const bad = track(Promise.reject(new Error('e')));
    await assert.rejects(bad.promise, /e/);
    assert.equal(bad.settled, true);
    await macrotasks(1);
  });

  it('rejection / rejectsWith fail when the promise fulfils or rejects with another type', async () => {
    await assert.rejects(rejection(Promise.resolve(1), 'op'), /op: expected a rejection/);
    await assert.rejects(rejectsWith(Promise.reject(new Error('plain')), TaskNotFoundError, 'op'), /expected a TaskNotFoundError, got Error: plain/);
    const error = await rejectsWith(Promise.reject(new TaskNotFoundError('t')), TaskNotFoundError, 'op');
    assert.equal(error.taskId, 't');
  });

  it('settle turns a synchronous throw into a rejection and passes promises through', async () => {
    await assert.rejects(settle(() => { throw new Error('sync'); }), /sync/);
    assert.equal(await settle(async () => 2), 2);
  });

  it('describeError describes errors with and without a code, and non-errors', () => {
    assert.equal(describeError(new TaskNotFoundError('t')), 'TaskNotFoundError (code -32602): Failed to retrieve task: Task not found');
    assert.equal(describeError(new Error('m')), 'Error: m');
    assert.equal(describeError('s'), 'non-Error value "s"');
  });

  it('sleepUntil waits until the given time has passed', async () => {
    const target = Date.now() + 15;
    await sleepUntil(target);
    assert.ok(Date.now() >= target);
    await sleepUntil(0);
  });
});

describe('contract kit: shape checks', () => {
  it('accepts a valid task and rejects bad fields', () => {
    assertTaskShape(task);
    assertTaskShape({ ...task, ttl: null, pollInterval: undefined } as never);
    assert.throws(() => assertTaskShape({ ...task, ttl: 1.5 }), /integer or null/);
    assert.throws(() => assertTaskShape({ ...task, taskId: '' }), /must not be empty/);
    assert.throws(() => assertTaskShape({ ...task, lastUpdatedAt: '2025-01-01T00:00:00Z' }), /must not precede createdAt/);
    assert.throws(() => assertTaskShape({ ...task, pollInterval: -1 }), /pollInterval/);
    assert.throws(() => assertTaskShape({ ...task, status: 'done' } as never), /TaskSchema/);
    const { ttl: _ttl, ...withoutTtl } = task;
    assert.throws(() => assertTaskShape(withoutTtl as never), /ttl/);
  });

  it('checks ISO timestamps', () => {
    assert.equal(assertIsoTimestamp('2026-01-01T00:00:00+02:00', 'x'), Date.parse('2026-01-01T00:00:00+02:00'));
    assert.throws(() => assertIsoTimestamp('yesterday', 'x'), /ISO 8601/);
    assert.throws(() => assertIsoTimestamp(5, 'x'), /string/);
    assert.throws(() => assertIsoTimestamp('2026-13-45T99:99:99Z', 'x'), /parse/);
  });

  it('assertNotOlder rejects time going back and a changed createdAt', () => {
    assertNotOlder(task, { ...task, lastUpdatedAt: '2026-01-01T00:00:02Z' }, 'x');
    assert.throws(() => assertNotOlder(task, { ...task, lastUpdatedAt: '2026-01-01T00:00:00Z' }, 'x'), /went back/);
    assert.throws(() => assertNotOlder(task, { ...task, createdAt: '2026-01-01T00:00:00.001Z' }, 'x'), /createdAt/);
  });

  it('estimates id entropy: 128-bit hex and base64url pass, UUIDv4, counters and time-prefixed ids fall short', () => {
    const sample = (make: (i: number) => string) => Array.from({ length: 1_000 }, (_, i) => make(i));
    assert.ok(estimateIdEntropyBits(sample(() => randomBytes(16).toString('hex'))) >= 127.5);
    assert.ok(estimateIdEntropyBits(sample(() => randomBytes(16).toString('base64url'))) >= 127.5);
    assert.ok(estimateIdEntropyBits(sample(() => randomUUID())) < 124);
    assert.ok(estimateIdEntropyBits(sample((i) => `task-${i}`)) < 20);
    assert.ok(estimateIdEntropyBits(sample(() => `${Date.now().toString(16)}${randomBytes(10).toString('hex')}`)) < 100);
  });

  it('observableError masks the task id and keeps class, code, message and data', () => {
    const error = Object.assign(new TaskNotFoundError('abc'), {});
    assert.deepEqual(observableError(error, 'abc'), { class: 'TaskNotFoundError', name: 'TaskNotFoundError', code: -32602, message: 'Failed to retrieve task: Task not found', data: undefined });
    const withId = Object.assign(new Error('task abc gone'), { code: 1, data: { id: 'abc' } });
    assert.deepEqual(observableError(withId, 'abc'), { class: 'Error', name: 'Error', code: 1, message: 'task <id> gone', data: { id: '<id>' } });
    assert.deepEqual(observableError('x', 'abc'), { value: 'x' });
  });
});
