/** `InMemoryTaskStore.subscribe`: every change after a version, in order, asynchronously; `null` when gone; close; unsubscribe. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StoreClosedError, TaskError } from '../../../src/core/errors.js';
import type { TaskState, TaskSubscriber } from '../../../src/core/taskStore.js';
import { InMemoryTaskStore } from '../../../src/stores/memory/index.js';
import { blockUntil, CALL } from './helpers.js';

/** A subscriber that records what it is told. */
function recorder(): TaskSubscriber & { states: (TaskState | null)[]; closed: number } {
  const seen = {
    states: [] as (TaskState | null)[],
    closed: 0,
    onState(state: TaskState | null) {
      seen.states.push(state);
    },
    onClose() {
      seen.closed++;
    },
  };
  return seen;
}

/** Lets the queued microtasks run. */
const drain = () => new Promise<void>((resolve) => setImmediate(resolve));

test('subscribe: the current state first when it is past afterVersion, then every change in order, never synchronously', async () => {
  const s = new InMemoryTaskStore();
  const { taskId } = await s.createTask({}, 1, CALL);
  await s.updateTask(taskId, { statusMessage: 'first' });
  const seen = recorder();
  s.subscribe(taskId, 1, seen);
  assert.equal(seen.states.length, 0, 'nothing is delivered from inside subscribe');
  await drain();
  assert.deepEqual(seen.states.map((state) => state?.version), [2]);
  assert.equal(seen.states[0]?.task.statusMessage, 'first');
  const changing = s.updateTask(taskId, { status: 'input_required' });
  assert.equal(seen.states.length, 1, 'nothing is delivered from inside the change');
  await changing;
  await s.updateTask(taskId, { status: 'working', statusMessage: 'back' });
  await s.finishTask(taskId, { status: 'completed', outcome: { kind: 'result', result: {} } });
  await drain();
  assert.deepEqual(
    seen.states.map((state) => [state?.version, state?.task.status]),
    [
      [2, 'working'],
      [3, 'input_required'],
      [4, 'working'],
      [5, 'completed'],
    ],
  );
  assert.equal(seen.closed, 0);
  await s.close();
});

test('subscribe: nothing for a version already seen; a change of another task does not reach the subscriber', async () => {
  const s = new InMemoryTaskStore();
  const { taskId } = await s.createTask({}, 1, CALL);
  const other = await s.createTask({}, 2, CALL);
  const seen = recorder();
  s.subscribe(taskId, 1, seen);
  await s.updateTask(other.taskId, { statusMessage: 'someone else' });
  await drain();
  assert.deepEqual(seen.states, []);
  await s.close();
});

test('subscribe: null for an unknown task, and once a task is deleted or expired; its subscriptions are dropped then', async () => {
  const s = new InMemoryTaskStore({ ttl: { minTtl: 0, defaultTtl: 60_000 } });
  const unknown = recorder();
  s.subscribe('0'.repeat(32), 0, unknown);
  await drain();
  assert.deepEqual(unknown.states, [null]);

  const { taskId } = await s.createTask({}, 1, CALL);
  const deleted = recorder();
  s.subscribe(taskId, 1, deleted);
  assert.equal(s.subscriptionCount, 1);
  await s.deleteTask(taskId);
  await drain();
  assert.deepEqual(deleted.states, [null]);
  assert.equal(s.subscriptionCount, 0, 'a deleted task keeps no subscriptions');

  const short = await s.createTask({ ttl: 20 }, 2, CALL);
  const expired = recorder();
  s.subscribe(short.taskId, 1, expired);
  blockUntil(Date.parse(short.createdAt) + 25);
  assert.equal(await s.getTask(short.taskId), null);
  await drain();
  assert.deepEqual(expired.states, [null]);
  assert.equal(s.subscriptionCount, 0);
  await s.close();
});

test('subscribe: unsubscribing stops every later delivery, even one already queued', async () => {
  const s = new InMemoryTaskStore();
  const { taskId } = await s.createTask({}, 1, CALL);
  const seen = recorder();
  const unsubscribe = s.subscribe(taskId, 1, seen);
  // the change is made (and its delivery queued) before the returned promise is awaited
  const change = s.updateTask(taskId, { statusMessage: 'queued, then unsubscribed' });
  unsubscribe();
  await change;
  unsubscribe();
  await s.updateTask(taskId, { statusMessage: 'after' });
  await drain();
  assert.deepEqual(seen.states, []);
  assert.equal(s.subscriptionCount, 0);
  await s.close();
});

test('subscribe: close tells every subscriber once; a closed store refuses subscriptions; afterVersion must be a number', async () => {
  const s = new InMemoryTaskStore();
  const { taskId } = await s.createTask({}, 1, CALL);
  const seen = recorder();
  s.subscribe(taskId, 1, seen);
  assert.throws(() => s.subscribe(taskId, Number.NaN, recorder()), TaskError);
  await s.close();
  await s.close();
  await drain();
  assert.equal(seen.closed, 1);
  assert.deepEqual(seen.states, []);
  assert.throws(() => s.subscribe(taskId, 1, recorder()), StoreClosedError);
});
