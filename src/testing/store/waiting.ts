/** Checks on `waitForUpdate`: wake-ups, many waiters, deletion, abort, listener hygiene and close. */
import assert from 'node:assert/strict';
import { getEventListeners, setMaxListeners } from 'node:events';
import { StoreClosedError } from '../../core/errors.js';
import { macrotasks, rejection, rejectsWith, settle, track, withDeadline } from '../guards.js';
import { storeCheck, toolResult, type StoreSuite } from './harness.js';

/** Registers the waiting checks. */
export function waitingChecks(suite: StoreSuite): void {
  const { hangTimeoutMs, concurrency } = suite.options;
  const deadline = <T>(promise: Promise<T>, what: string) => withDeadline(promise, hangTimeoutMs, what);

  storeCheck(suite, 'waitForUpdate resolves at once when the version is already past afterVersion; null for an unknown task', async ({ store, create }) => {
    const task = await create();
    assert.deepEqual(await deadline(store.waitForUpdate(task.taskId, 0), 'wait after version 0'), await store.getTaskState(task.taskId));
    await store.updateTask(task.taskId, { statusMessage: 'changed' });
    const state = await deadline(store.waitForUpdate(task.taskId, 1), 'wait after version 1 once changed');
    assert.ok(state && state.version > 1);
    assert.equal(state.task.statusMessage, 'changed');
    assert.equal(await deadline(store.waitForUpdate('0'.repeat(32), 0), 'wait on an unknown task'), null);
  });

  storeCheck(suite, 'a change wakes the waiter with the new state; an unchanged task does not wake it', async ({ store, create }) => {
    const task = await create();
    const other = await create();
    const { version } = (await store.getTaskState(task.taskId))!;
    const waiter = track(store.waitForUpdate(task.taskId, version));
    await store.updateTask(other.taskId, { statusMessage: 'someone else' });
    await macrotasks(20);
    assert.equal(waiter.settled, false, 'a change of another task must not wake the waiter');
    await store.updateTask(task.taskId, { status: 'input_required', statusMessage: 'now' });
    const woken = await deadline(waiter.promise, 'waiter after updateTask');
    assert.ok(woken && woken.version > version);
    assert.equal(woken.task.status, 'input_required');
    assert.equal(woken.task.statusMessage, 'now');
  });

  storeCheck(suite, 'waitForUpdate serves tasks of every scope (the caller checks the scope when it reads the version)', async ({ store, create, newScope }) => {
    const scope = newScope();
    const task = await create(scope);
    const { version } = (await store.getTaskState(task.taskId, scope))!;
    const waiter = store.waitForUpdate(task.taskId, version);
    await store.updateTask(task.taskId, { statusMessage: 'scoped change' }, scope);
    assert.equal((await deadline(waiter, 'wait on a scoped task'))?.task.statusMessage, 'scoped change');
  });

  storeCheck(suite, `${concurrency} concurrent waiters on one task all wake on one change`, async ({ store, create }) => {
    const task = await create();
    const { version } = (await store.getTaskState(task.taskId))!;
    const shared = new AbortController();
    setMaxListeners(concurrency + 10, shared.signal); // many waiters share this signal on purpose
    const waiters = Array.from({ length: concurrency }, (_, i) => store.waitForUpdate(task.taskId, version, i % 2 ? shared.signal : new AbortController().signal));
    await macrotasks(2);
    await store.finishTask(task.taskId, { status: 'completed', outcome: { kind: 'result', result: toolResult('x') }, statusMessage: 'done' });
    const woken = await deadline(Promise.all(waiters), `${concurrency} waiters`);
    for (const state of woken) {
      assert.ok(state && state.version > version);
      assert.equal(state.task.status, 'completed');
      assert.equal(state.task.statusMessage, 'done');
    }
    assert.equal(getEventListeners(shared.signal, 'abort').length, 0, 'woken waiters leave no abort listener behind');
  });

  storeCheck(suite, 'deleteTask wakes every waiter with null, and the task and its outcome are gone', async ({ store, create }) => {
    for (const finished of [false, true]) {
      const task = await create();
      if (finished) await store.finishTask(task.taskId, { status: 'completed', outcome: { kind: 'result', result: toolResult('x') } });
      const { version } = (await store.getTaskState(task.taskId))!;
      const waiters = Array.from({ length: concurrency }, () => store.waitForUpdate(task.taskId, version));
      await macrotasks(2);
      assert.equal(await store.deleteTask(task.taskId), true);
      assert.deepEqual(await deadline(Promise.all(waiters), 'waiters of a deleted task'), waiters.map(() => null));
      assert.equal(await store.getTask(task.taskId), null);
      assert.equal(await store.deleteTask(task.taskId), false, 'a second delete finds nothing');
      assert.equal(await deadline(store.waitForUpdate(task.taskId, 0), 'wait on a deleted task'), null);
    }
  });

  storeCheck(suite, 'abort rejects waitForUpdate with the signal’s reason (before and while waiting); others keep waiting', async ({ store, create }) => {
    const task = await create();
    const { version } = (await store.getTaskState(task.taskId))!;
    const reason = new Error('contract: stop waiting');
    const pre = new AbortController();
    pre.abort(reason);
    assert.equal(await rejection(store.waitForUpdate(task.taskId, version, pre.signal), 'wait with an aborted signal'), reason);
    const controller = new AbortController();
    const aborted = store.waitForUpdate(task.taskId, version, controller.signal);
    const bystander = store.waitForUpdate(task.taskId, version);
    await macrotasks(2);
    controller.abort(reason);
    assert.equal(await deadline(rejection(aborted, 'aborted wait'), 'aborted wait'), reason, 'rejects with the very reason');
    const plain = new AbortController();
    const byDefault = store.waitForUpdate(task.taskId, version, plain.signal);
    plain.abort();
    assert.equal(await deadline(rejection(byDefault, 'wait aborted without reason'), 'aborted wait'), plain.signal.reason);
    await store.updateTask(task.taskId, { statusMessage: 'after aborts' });
    assert.equal((await deadline(bystander, 'bystander'))?.task.statusMessage, 'after aborts');
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
  });

  storeCheck(suite, 'a reused AbortSignal accumulates no listeners over many waits', async ({ store, create }) => {
    const task = await create();
    const controller = new AbortController();
    const { signal } = controller;
    const baseline = getEventListeners(signal, 'abort').length;
    for (let i = 0; i < 3 * concurrency; i++) {
      const { version } = (await store.getTaskState(task.taskId))!;
      const pending = store.waitForUpdate(task.taskId, version, signal);
      await store.updateTask(task.taskId, { statusMessage: `round ${i}` });
      await deadline(pending, 'wait with a reused signal');
      await deadline(store.waitForUpdate(task.taskId, 0, signal), 'immediate wait with a reused signal');
      await deadline(store.waitForUpdate('f'.repeat(32), 0, signal), 'wait on an unknown task with a reused signal');
    }
    const doomed = await create();
    const waiting = store.waitForUpdate(doomed.taskId, 1, signal);
    await store.deleteTask(doomed.taskId);
    await deadline(waiting, 'wait on a deleted task with a reused signal');
    assert.equal(getEventListeners(signal, 'abort').length, baseline, 'every finished wait removed its abort listener');
  });

  storeCheck(suite, 'close rejects pending waiters with StoreClosedError, later calls fail the same way, and close is idempotent', async ({ store, create }) => {
    const task = await create();
    const waiter = store.waitForUpdate(task.taskId, 1);
    await macrotasks(2);
    await store.close();
    await deadline(rejectsWith(waiter, StoreClosedError, 'a waiter when the store closes'), 'waiter at close');
    const calls: Array<[string, () => Promise<unknown>]> = [
      ['createTask', () => store.createTask({}, 'after-close', { method: 'tools/call', params: { name: 'x' } })],
      ['getTask', () => store.getTask(task.taskId)],
      ['updateTask', () => store.updateTask(task.taskId, { statusMessage: 'x' })],
      ['waitForUpdate', () => store.waitForUpdate(task.taskId, 1)],
      ['listTasks', () => store.listTasks()],
    ];
    for (const [name, call] of calls) await deadline(rejectsWith(settle(call), StoreClosedError, `${name} after close`), `${name} after close`);
    await store.close();
  });
}
