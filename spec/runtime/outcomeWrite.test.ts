/**
 * A task's outcome that cannot be written because the store is unreachable is kept and written
 * again until it lands (docs/redis.md: a non-terminal task always has a lease or a writer), and
 * a refusal (cancelled meanwhile) is final.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Task } from '@modelcontextprotocol/sdk/types.js';
import { StoreUnavailableError } from '../../src/core/errors.js';
import type { FinishTaskInput, TaskScope } from '../../src/core/taskStore.js';
import { TaskSupport } from '../../src/runtime/taskSupport.js';
import { Resolver } from '../support/resolver.js';
import { InMemoryTaskMessageQueue, InMemoryTaskResponseChannel, InMemoryTaskStore } from '../../src/stores/memory/index.js';

/** An in-memory store whose next `failures` outcome writes fail as an unreachable backend's do. */
class UnreachableForAWhile extends InMemoryTaskStore {
  failures = 0;
  attempts = 0;
  /** Resolved by the first failed write. */
  readonly failed = new Resolver<void>();
  override async finishTask(taskId: string, input: FinishTaskInput, scope?: TaskScope): Promise<Task> {
    this.attempts++;
    if (this.failures > 0) {
      this.failures--;
      if (!this.failed.done()) this.failed.setResult();
      throw new StoreUnavailableError('Task backend unavailable: connection lost');
    }
    return super.finishTask(taskId, input, scope);
  }
}

function runtime(store: InMemoryTaskStore): TaskSupport {
  return new TaskSupport({ store, queue: new InMemoryTaskMessageQueue(), responseChannel: new InMemoryTaskResponseChannel(), ownsBackends: true });
}

const call = { request: { method: 'tools/call' }, requestId: 1, scope: undefined } as const;

test('an outcome whose writes fail while the store is unreachable is written once it is back: completed with its result', async (t) => {
  const store = new UnreachableForAWhile();
  store.failures = 3;
  const support = runtime(store);
  t.after(() => support.close());
  const task = await support.startTask({
    ...call,
    work: async () => ({ content: [{ type: 'text', text: 'done' }] }),
    settle: (result) => ({ status: 'completed', outcome: { kind: 'result', result } }),
  });
  const state = await store.waitForUpdate(task.taskId, 1);
  assert.equal(state?.task.status, 'completed');
  assert.equal(store.attempts, 4, 'three failed writes, then the one that landed');
  assert.deepEqual(await store.getTaskOutcome(task.taskId), { kind: 'result', result: { content: [{ type: 'text', text: 'done' }] } });
});

test('a task cancelled while its outcome could not be written stays cancelled (the refusal is final)', async (t) => {
  const store = new UnreachableForAWhile();
  store.failures = 1;
  const support = runtime(store);
  t.after(() => support.close());
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const task = await support.startTask({
    ...call,
    work: async () => {
      await gate;
      return { content: [] };
    },
    settle: (result) => ({ status: 'completed', outcome: { kind: 'result', result } }),
  });
  release();
  // the first write fails; the cancel lands before the retry (100 ms later)
  await store.failed.wait();
  await store.updateTask(task.taskId, { status: 'cancelled' });
  await support.settled(task.taskId);
  assert.equal((await store.getTask(task.taskId))?.status, 'cancelled');
  assert.equal(store.attempts, 2, 'one retry, refused');
});

test('an outcome the store cannot hold is not retried: the task fails with that error instead of staying working', async (t) => {
  const store = new UnreachableForAWhile();
  const support = runtime(store);
  t.after(() => support.close());
  const task = await support.startTask({
    ...call,
    // a result that cannot be copied into the store (a function inside)
    work: async () => ({ content: [], extra: () => undefined }),
    settle: (result) => ({ status: 'completed', outcome: { kind: 'result', result } }),
  });
  await support.settled(task.taskId);
  assert.equal(store.attempts, 2, 'the refused outcome, then the failure');
  const failed = await store.getTask(task.taskId);
  assert.equal(failed?.status, 'failed');
  assert.match(failed?.statusMessage ?? '', /outcome could not be stored: .*cannot be stored/);
});
