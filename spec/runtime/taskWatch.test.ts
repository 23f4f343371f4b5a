/** `followTask` on a store that offers `subscribe` (the in-memory store): one subscription per follow, ended by terminal, gone, stop(), abort or close. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TaskState } from '../../src/core/taskStore.js';
import { followTask } from '../../src/runtime/taskWatch.js';
import { InMemoryTaskStore } from '../../src/stores/memory/index.js';

const CALL = { method: 'tools/call', params: { name: 'echo' } };

test('followTask: every change until the terminal one, then the subscription is gone', async () => {
  const store = new InMemoryTaskStore();
  const { taskId } = await store.createTask({}, 1, CALL);
  const seen: (TaskState | null)[] = [];
  const controller = new AbortController();
  const followed = followTask(store, taskId, 1, (state) => seen.push(state), controller.signal).done;
  assert.equal(store.subscriptionCount, 1, 'the follow holds one subscription, not a wait per change');
  await store.updateTask(taskId, { status: 'input_required' });
  await store.updateTask(taskId, { status: 'working' });
  await store.finishTask(taskId, { status: 'completed', outcome: { kind: 'result', result: {} } });
  await followed;
  assert.deepEqual(
    seen.map((state) => state?.task.status),
    ['input_required', 'working', 'completed'],
  );
  assert.equal(store.subscriptionCount, 0);
  await store.close();
});

test('followTask: a throwing callback does not end the follow; null ends it once the task is gone', async () => {
  const store = new InMemoryTaskStore();
  const { taskId } = await store.createTask({}, 1, CALL);
  const seen: (TaskState | null)[] = [];
  const followed = followTask(store, taskId, 1, (state) => {
    seen.push(state);
    throw new Error('a careless watcher');
  }).done;
  await store.updateTask(taskId, { statusMessage: 'one' });
  await store.deleteTask(taskId);
  await followed;
  assert.deepEqual(seen.map((state) => state?.task.statusMessage ?? null), ['one', null]);
  assert.equal(store.subscriptionCount, 0);
  await store.close();
});

test('followTask: stop() and an abort end the follow and drop its subscription, even with a change already queued; so does closing the store', async () => {
  const store = new InMemoryTaskStore();
  const { taskId } = await store.createTask({}, 1, CALL);
  const controller = new AbortController();
  const seen: (TaskState | null)[] = [];
  const stopped = followTask(store, taskId, 1, (state) => seen.push(state));
  const aborted = followTask(store, taskId, 1, (state) => seen.push(state), controller.signal);
  const closed = followTask(store, taskId, 1, (state) => seen.push(state), new AbortController().signal);
  assert.equal(store.subscriptionCount, 3);
  // the change is made (its deliveries queued) before the follows end
  const change = store.updateTask(taskId, { statusMessage: 'queued' });
  stopped.stop();
  stopped.stop();
  controller.abort();
  await change;
  await stopped.done;
  await aborted.done;
  assert.equal(store.subscriptionCount, 1);
  assert.deepEqual(seen.map((state) => state?.task.statusMessage), ['queued'], 'only the follow still running saw the change');
  await store.close();
  await closed.done;
  assert.equal(store.subscriptionCount, 0);
  const late = followTask(store, taskId, 1, () => assert.fail('no state from a closed store'));
  assert.equal(await late.done, undefined);
  const preAborted = followTask(store, taskId, 1, () => assert.fail('no state after an abort'), AbortSignal.abort());
  assert.equal(await preAborted.done, undefined);
});
