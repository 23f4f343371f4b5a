/**
 * Randomized interleavings of "read version → change" against "read version → wait": a store that
 * can lose a wake-up hangs one of them, which the kit turns into a failure naming the seed (the
 * lost wake-up of python-sdk #2535). Also: cancel racing completion (R72).
 */
import assert from 'node:assert/strict';
import { TaskTerminalError } from '../../core/errors.js';
import type { TaskState, TaskStore } from '../../core/taskStore.js';
import { describeError, withDeadline } from '../guards.js';
import { deriveSeed, randomInt, randomYield, seededRandom, type Random } from '../random.js';
import { storeCheck, toolResult, type StoreSuite } from './harness.js';

/** One kind of change, and what a woken waiter must then see. */
interface Change {
  name: string;
  apply(store: TaskStore, taskId: string, tag: string): Promise<unknown>;
  /** Checks the state a waiter woke with (`null` means the task is gone). */
  expect(state: TaskState | null, tag: string): void;
}

const seen = (status: string, message?: string) => (state: TaskState | null, tag: string) => {
  assert.ok(state, 'the waiter must see the task');
  assert.equal(state.task.status, status);
  assert.equal(state.task.statusMessage, message ?? tag);
};

const CHANGES: Change[] = [
  { name: 'updateTask(message)', apply: (s, id, tag) => s.updateTask(id, { statusMessage: tag }), expect: seen('working') },
  { name: 'updateTask(input_required)', apply: (s, id, tag) => s.updateTask(id, { status: 'input_required', statusMessage: tag }), expect: seen('input_required') },
  { name: 'updateTask(cancelled)', apply: (s, id, tag) => s.updateTask(id, { status: 'cancelled', statusMessage: tag }), expect: seen('cancelled') },
  { name: 'finishTask', apply: (s, id, tag) => s.finishTask(id, { status: 'completed', outcome: { kind: 'result', result: toolResult(tag) }, statusMessage: tag }), expect: seen('completed') },
  { name: 'storeTaskResult', apply: (s, id) => s.storeTaskResult(id, 'failed', toolResult('x', true)), expect: seen('failed', 'start') },
  { name: 'updateTaskStatus', apply: (s, id, tag) => s.updateTaskStatus(id, 'input_required', tag), expect: seen('input_required') },
  {
    name: 'deleteTask',
    apply: (s, id) => s.deleteTask(id),
    expect: (state) => assert.equal(state, null, 'a waiter of a deleted task resolves with null'),
  },
];

/** A promise with its resolve function, to hand a "step done" signal between actors. */
function signal(): { promise: Promise<void>; fire: () => void } {
  let fire!: () => void;
  const promise = new Promise<void>((resolve) => (fire = resolve));
  return { promise, fire };
}

async function interleaving(store: TaskStore, random: Random, round: number, log: string[]): Promise<void> {
  const { taskId } = await store.createTask({}, `race-${round}`, { method: 'tools/call', params: { name: 'race' } });
  await store.updateTask(taskId, { statusMessage: 'start' });
  const change = CHANGES[randomInt(random, CHANGES.length)]!;
  const waiters = 1 + randomInt(random, 3);
  const tag = `round ${round}`;
  log.push(`round ${round}: ${change.name}, ${waiters} waiter(s)`);
  const reads = Array.from({ length: waiters }, signal);
  const waiting = reads.map(async (read, index) => {
    await randomYield(random);
    const state = await store.getTaskState(taskId);
    assert.ok(state, 'the task exists before the change');
    read.fire();
    await randomYield(random);
    const woken = await store.waitForUpdate(taskId, state.version);
    log.push(`round ${round}: waiter ${index} woke`);
    return woken;
  });
  const changing = (async () => {
    await Promise.all(reads.map((read) => read.promise));
    await randomYield(random);
    await change.apply(store, taskId, tag);
    log.push(`round ${round}: changed`);
  })();
  const [states] = await Promise.all([Promise.all(waiting), changing]);
  for (const state of states) change.expect(state, tag);
  if (change.name !== 'deleteTask') await store.deleteTask(taskId);
}

/** Registers the race checks. */
export function raceChecks(suite: StoreSuite): void {
  const { interleavings, hangTimeoutMs } = suite.options;

  storeCheck(suite, `no lost wake-up: ${interleavings} randomized interleavings of read version → change / wait all finish`, async ({ store, t }) => {
    const seed = deriveSeed(suite.options.seed, 'store wake-up races');
    t.diagnostic(`seed ${seed} (set ContractOptions.seed or MCP_TASKS_CONTRACT_SEED=${suite.options.seed} to replay)`);
    const random = seededRandom(seed);
    for (let round = 0; round < interleavings; round++) {
      const log: string[] = [];
      try {
        await withDeadline(interleaving(store, random, round, log), hangTimeoutMs, `interleaving ${round}`);
      } catch (error) {
        assert.fail(`interleaving ${round} of ${interleavings} failed (seed ${seed}, run seed ${suite.options.seed}): ${describeError(error)}\n  ${log.join('\n  ')}`);
      }
    }
  });

  storeCheck(suite, 'R72: cancel racing completion: exactly one wins, and the loser changes nothing', async ({ store, create, t }) => {
    const seed = deriveSeed(suite.options.seed, 'cancel vs finish');
    t.diagnostic(`seed ${seed}`);
    const random = seededRandom(seed);
    const rounds = Math.max(20, Math.floor(interleavings / 20));
    const wins = { cancel: 0, finish: 0 };
    for (let round = 0; round < rounds; round++) {
      const { taskId } = await create();
      const cancel = (async () => {
        await randomYield(random);
        return store.updateTask(taskId, { status: 'cancelled', statusMessage: 'cancelled' });
      })();
      const finish = (async () => {
        await randomYield(random);
        return store.finishTask(taskId, { status: 'completed', outcome: { kind: 'result', result: toolResult('won') }, statusMessage: 'completed' });
      })();
      const [c, f] = await withDeadline(Promise.allSettled([cancel, finish]), hangTimeoutMs, `cancel/finish round ${round}`);
      const where = `round ${round} (seed ${seed})`;
      assert.ok((c.status === 'fulfilled') !== (f.status === 'fulfilled'), `${where}: exactly one of cancel and finish must succeed`);
      const loser = c.status === 'rejected' ? c : (f as PromiseRejectedResult);
      assert.ok(loser.reason instanceof TaskTerminalError, `${where}: the loser throws TaskTerminalError, got ${describeError(loser.reason)}`);
      const task = (await store.getTask(taskId))!;
      const outcome = await store.getTaskOutcome(taskId);
      if (c.status === 'fulfilled') {
        wins.cancel++;
        assert.equal(task.status, 'cancelled', where);
        assert.equal(task.statusMessage, 'cancelled', where);
        assert.equal(outcome, null, `${where}: a cancelled task keeps no outcome`);
      } else {
        wins.finish++;
        assert.equal(task.status, 'completed', where);
        assert.equal(task.statusMessage, 'completed', where);
        assert.deepEqual(outcome, { kind: 'result', result: toolResult('won') }, where);
      }
      await store.deleteTask(taskId);
    }
    t.diagnostic(`cancel won ${wins.cancel}, finish won ${wins.finish} of ${rounds}`);
  });
}
