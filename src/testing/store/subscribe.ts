/** Checks on the optional `subscribe` (skipped for a store without it). */
import assert from 'node:assert/strict';
import { StoreClosedError } from '../../core/errors.js';
import type { TaskState, TaskStore, TaskSubscriber } from '../../core/taskStore.js';
import { macrotasks, withDeadline } from '../guards.js';
import { storeCheck, type StoreSuite } from './harness.js';

/** A subscriber that records what it gets and lets a check wait for it. */
function recorder(): TaskSubscriber & { states: (TaskState | null)[]; closed: boolean; until(done: () => boolean, what: string, ms: number): Promise<void> } {
  const waiting = new Set<() => void>();
  const wake = (): void => {
    for (const check of [...waiting]) check();
  };
  const self = {
    states: [] as (TaskState | null)[],
    closed: false,
    onState(state: TaskState | null) {
      self.states.push(state);
      wake();
    },
    onClose() {
      self.closed = true;
      wake();
    },
    until(done: () => boolean, what: string, ms: number): Promise<void> {
      const reached = new Promise<void>((resolve) => {
        const check = (): void => {
          if (!done()) return;
          waiting.delete(check);
          resolve();
        };
        waiting.add(check);
        check();
      });
      return withDeadline(reached, ms, what);
    },
  };
  return self;
}

/** The store's `subscribe`, or `undefined` (the check is skipped) when it has none. */
function subscribeOf(store: TaskStore): TaskStore['subscribe'] {
  return store.subscribe?.bind(store);
}

/** Registers the subscription checks. */
export function subscribeChecks(suite: StoreSuite): void {
  const { hangTimeoutMs } = suite.options;

  storeCheck(suite, 'subscribe: the current state first when past afterVersion, then each later one in order, never from inside the call; unsubscribing stops it', async ({ store, create, t }) => {
    const subscribe = subscribeOf(store);
    if (subscribe === undefined) return t.skip('the store has no subscribe (optional)');
    const task = await create();
    const seen = recorder();
    const stop = subscribe(task.taskId, 0, seen);
    assert.equal(seen.states.length, 0, 'nothing is delivered from inside subscribe');
    await seen.until(() => seen.states.length >= 1, 'the current state', hangTimeoutMs);
    assert.deepEqual(seen.states[0], await store.getTaskState(task.taskId));
    await store.updateTask(task.taskId, { statusMessage: 'one' });
    await store.updateTask(task.taskId, { statusMessage: 'two' });
    await seen.until(() => seen.states.at(-1)?.task.statusMessage === 'two', 'the later states', hangTimeoutMs);
    const versions = seen.states.map((state) => state!.version);
    assert.deepEqual(versions, [...versions].sort((a, b) => a - b), 'in order');
    assert.equal(new Set(versions).size, versions.length, 'each state once');
    stop();
    const count = seen.states.length;
    await store.updateTask(task.taskId, { statusMessage: 'after' });
    await macrotasks(20);
    assert.equal(seen.states.length, count, 'nothing after unsubscribing');
  });

  storeCheck(suite, 'subscribe: a change made right after subscribing arrives (no lost wake-up); null once the task is deleted', async ({ store, create, t }) => {
    const subscribe = subscribeOf(store);
    if (subscribe === undefined) return t.skip('the store has no subscribe (optional)');
    const task = await create();
    const { version } = (await store.getTaskState(task.taskId))!;
    const seen = recorder();
    const stop = subscribe(task.taskId, version, seen);
    await store.updateTask(task.taskId, { statusMessage: 'right after' });
    await seen.until(() => seen.states.some((state) => state?.task.statusMessage === 'right after'), 'the change made right after subscribing', hangTimeoutMs);
    assert.ok(seen.states.every((state) => state !== null && state.version > version), 'only states after afterVersion');
    assert.equal(await store.deleteTask(task.taskId), true);
    await seen.until(() => seen.states.at(-1) === null, 'null after deletion', hangTimeoutMs);
    stop();
  });

  storeCheck(suite, 'subscribe: closing the store calls onClose; subscribing after close throws StoreClosedError', async ({ store, create, t }) => {
    const subscribe = subscribeOf(store);
    if (subscribe === undefined) return t.skip('the store has no subscribe (optional)');
    const task = await create();
    const seen = recorder();
    subscribe(task.taskId, 1, seen);
    await store.close();
    await seen.until(() => seen.closed, 'onClose at close', hangTimeoutMs);
    assert.throws(() => subscribe(task.taskId, 0, recorder()), StoreClosedError);
  });
}
