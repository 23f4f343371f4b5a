import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { TaskError } from '../../../src/core/errors.js';
import { InMemoryTaskStore } from '../../../src/stores/memory/index.js';
import { StoreClosedError } from '../../../src/core/errors.js';
import { CALL, isSettled } from './helpers.js';

test('waitForUpdate resolves at once when the version is already past afterVersion', async () => {
  const s = new InMemoryTaskStore();
  const { taskId } = await s.createTask({}, 1, CALL, 'scope');
  await s.updateTask(taskId, { statusMessage: 'x' }, 'scope');
  const state = await s.waitForUpdate(taskId, 1);
  assert.equal(state!.version, 2);
  assert.equal(state!.task.statusMessage, 'x');
  assert.deepEqual(Object.keys(state!).sort(), ['task', 'version']);
  await s.close();
});

test('waitForUpdate resolves on the next change, with the new state', async () => {
  const s = new InMemoryTaskStore();
  const { taskId } = await s.createTask({}, 1, CALL);
  const pending = s.waitForUpdate(taskId, 1);
  const far = s.waitForUpdate(taskId, 2);
  assert.equal(await isSettled(pending), false);
  await s.updateTask(taskId, { status: 'input_required' });
  const state = await pending;
  assert.equal(state!.version, 2);
  assert.equal(state!.task.status, 'input_required');
  assert.equal(await isSettled(far), false, 'a waiter for a later version keeps waiting');
  await s.finishTask(taskId, { status: 'completed', outcome: { kind: 'result', result: {} } });
  assert.equal((await far)!.task.status, 'completed');
  await s.close();
});

test('waitForUpdate cannot lose a wake-up: a change right after the call resolves it', async () => {
  const s = new InMemoryTaskStore();
  const { taskId } = await s.createTask({}, 1, CALL);
  const { version } = (await s.getTaskState(taskId))!;
  const pending = s.waitForUpdate(taskId, version);
  void s.updateTask(taskId, { status: 'cancelled' }); // races the wait's own check
  assert.equal((await pending)!.task.status, 'cancelled');
  await s.close();
});

test('waitForUpdate gives null for unknown and deleted tasks', async () => {
  const s = new InMemoryTaskStore();
  assert.equal(await s.waitForUpdate('unknown', 0), null);
  const { taskId } = await s.createTask({}, 1, CALL, 'o');
  const pending = s.waitForUpdate(taskId, 1);
  await s.deleteTask(taskId, 'o');
  assert.equal(await pending, null);
  await s.close();
});

test('waitForUpdate does not check scope (callers check it when reading the version)', async () => {
  const s = new InMemoryTaskStore();
  const { taskId } = await s.createTask({}, 1, CALL, 'owner');
  const state = await s.waitForUpdate(taskId, 0);
  assert.equal(state!.task.taskId, taskId);
  await s.close();
});

test('abort rejects with signal.reason and leaves no listener or waiter behind', async () => {
  const s = new InMemoryTaskStore();
  const { taskId } = await s.createTask({}, 1, CALL);
  const controller = new AbortController();
  const pending = s.waitForUpdate(taskId, 1, controller.signal);
  assert.equal(getEventListeners(controller.signal, 'abort').length, 1);
  const reason = new Error('client went away');
  controller.abort(reason);
  await assert.rejects(pending, (e: unknown) => e === reason);
  assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
  // a change after the abort does not touch the settled waiter
  await s.updateTask(taskId, { statusMessage: 'later' });
  await s.close();
});

test('an already aborted signal rejects at once', async () => {
  const s = new InMemoryTaskStore();
  const { taskId } = await s.createTask({}, 1, CALL);
  const signal = AbortSignal.abort('gone');
  await assert.rejects(s.waitForUpdate(taskId, 0, signal), (e: unknown) => e === 'gone');
  assert.equal(getEventListeners(signal, 'abort').length, 0);
  await s.close();
});

test('many waits on one long-lived signal accumulate no listeners', async () => {
  const s = new InMemoryTaskStore();
  const { taskId } = await s.createTask({}, 1, CALL);
  const signal = new AbortController().signal;
  for (let v = 1; v <= 200; v++) {
    const pending = s.waitForUpdate(taskId, v, signal);
    await s.updateTask(taskId, {});
    assert.equal((await pending)!.version, v + 1);
  }
  // also waits that resolve at once
  for (let i = 0; i < 50; i++) await s.waitForUpdate(taskId, 0, signal);
  assert.equal(getEventListeners(signal, 'abort').length, 0);
  await s.close();
});

test('close() rejects pending waiters with StoreClosedError and removes their listeners', async () => {
  const s = new InMemoryTaskStore();
  const { taskId } = await s.createTask({}, 1, CALL);
  const controller = new AbortController();
  const a = s.waitForUpdate(taskId, 1, controller.signal);
  const b = s.waitForUpdate(taskId, 1);
  await s.close();
  await assert.rejects(a, StoreClosedError);
  await assert.rejects(b, StoreClosedError);
  assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
});

test('waitForUpdate rejects a non-numeric afterVersion instead of waiting forever', async () => {
  const s = new InMemoryTaskStore();
  const { taskId } = await s.createTask({}, 1, CALL);
  for (const bad of [Number.NaN, '1' as unknown as number, undefined as unknown as number]) {
    await assert.rejects(s.waitForUpdate(taskId, bad), (e: unknown) => e instanceof TaskError && e.code === -32602);
  }
  await s.close();
});
