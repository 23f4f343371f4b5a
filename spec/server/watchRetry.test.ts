/**
 * The runtime's watch of a running task survives a failing store: a cancel made by another process
 * (here: straight in the shared store) still aborts the work after waitForUpdate failed.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TaskState } from '../../src/core/taskStore.js';
import { InMemoryTaskMessageQueue, InMemoryTaskResponseChannel, InMemoryTaskStore } from '../../src/stores/memory/index.js';
import { TaskAbortedError } from '../../src/runtime/errors.js';
import { TaskSupport } from '../../src/runtime/taskSupport.js';

/**
 * An in-memory store whose next `failures` waits reject, as a backend does while it reconnects.
 * Such a backend cannot hold a subscription either (`subscribe` fails the same way), so the runtime
 * follows its tasks by waiting, which is what these tests exercise.
 */
class FlakyStore extends InMemoryTaskStore {
  failures = 0;
  waits = 0;
  readonly #reached = new Map<number, () => void>();
  /** Resolves once `waitForUpdate` has been called `n` times. */
  waitCalls(n: number): Promise<void> {
    return this.waits >= n ? Promise.resolve() : new Promise((resolve) => this.#reached.set(n, resolve));
  }
  override subscribe(): never {
    throw new Error('backend unavailable: no subscriptions');
  }
  override async waitForUpdate(taskId: string, afterVersion: number, signal?: AbortSignal): Promise<TaskState | null> {
    this.waits++;
    this.#reached.get(this.waits)?.();
    if (this.failures > 0) {
      this.failures--;
      throw new Error('backend unavailable for a moment');
    }
    return super.waitForUpdate(taskId, afterVersion, signal);
  }
}

function support(store: InMemoryTaskStore): TaskSupport {
  return new TaskSupport({
    store,
    queue: new InMemoryTaskMessageQueue(),
    responseChannel: new InMemoryTaskResponseChannel(),
    ownsBackends: true,
  });
}

test('R71: a cancel made elsewhere aborts the work even after the store failed the watch twice', { timeout: 10_000 }, async () => {
  const store = new FlakyStore();
  store.failures = 2;
  const tasks = support(store);
  const task = await store.createTask({}, 1, { method: 'tools/call' });
  const aborted = new Promise<unknown>((resolve) => {
    tasks.spawn(task.taskId, 1, (signal) => new Promise<void>((done) => signal.addEventListener('abort', () => {
      resolve(signal.reason);
      done();
    })));
  });
  // the watch has failed twice and waits again: then the task is cancelled by "another process"
  await store.waitCalls(3);
  await store.updateTask(task.taskId, { status: 'cancelled' });
  const reason = await aborted;
  assert.ok(reason instanceof TaskAbortedError);
  assert.equal(reason.reason, 'cancelled');
  await tasks.close();
});

test('a closed store ends the watch at once (no retries)', { timeout: 10_000 }, async () => {
  const store = new FlakyStore();
  const tasks = support(store);
  const task = await store.createTask({}, 1, { method: 'tools/call' });
  const stopped = tasks.watchTask(task.taskId, 1, () => undefined);
  await store.close();
  await stopped;
  assert.equal(store.waits, 1);
  await tasks.close();
});
