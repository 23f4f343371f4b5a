/** Checks on expiry: a task is "not found" once its ttl has passed, whatever its status (R40–R42, R70). */
import assert from 'node:assert/strict';
import type { Task } from '@modelcontextprotocol/sdk/types.js';
import { TaskNotFoundError } from '../../core/errors.js';
import type { TaskStore } from '../../core/taskStore.js';
import { rejectsWith, sleepUntil, withDeadline } from '../guards.js';
import { storeCheck, toolResult, type StoreSuite } from './harness.js';
import { listAll } from './listing.js';

/** Fails unless every operation treats `taskId` as unknown. */
export async function assertGone(store: TaskStore, taskId: string, what: string, hangTimeoutMs: number): Promise<void> {
  assert.equal(await store.getTask(taskId), null, `${what}: getTask`);
  assert.equal(await store.getTaskState(taskId), null, `${what}: getTaskState`);
  await rejectsWith(store.updateTask(taskId, { statusMessage: 'x' }), TaskNotFoundError, `${what}: updateTask`);
  await rejectsWith(store.finishTask(taskId, { status: 'completed', outcome: { kind: 'result', result: toolResult('x') } }), TaskNotFoundError, `${what}: finishTask`);
  await rejectsWith(store.getTaskOutcome(taskId), TaskNotFoundError, `${what}: getTaskOutcome`);
  await rejectsWith(store.getTaskResult(taskId), TaskNotFoundError, `${what}: getTaskResult`);
  await rejectsWith(store.storeTaskResult(taskId, 'completed', toolResult('x')), TaskNotFoundError, `${what}: storeTaskResult`);
  await rejectsWith(store.updateTaskStatus(taskId, 'cancelled'), TaskNotFoundError, `${what}: updateTaskStatus`);
  assert.equal(await withDeadline(store.waitForUpdate(taskId, 0), hangTimeoutMs, `${what}: waitForUpdate`), null, `${what}: waitForUpdate resolves with null`);
  assert.equal(await store.deleteTask(taskId), false, `${what}: deleteTask`);
}

/** The epoch ms at which `task` expires by its own createdAt and ttl. */
export function expiry(task: Task): number {
  assert.ok(task.ttl !== null, 'the task must have a ttl');
  return Date.parse(task.createdAt) + task.ttl;
}

/** Registers the expiry checks. */
export function expiryChecks(suite: StoreSuite): void {
  const { shortTtlMs: ttl, hangTimeoutMs } = suite.options;

  storeCheck(suite, 'R42, R70: after its ttl a task is not found, whatever its status; others live on', async ({ store, create }) => {
    const keeper = await create();
    const doomed: Array<{ status: string; task: Task }> = [];
    const make = async (status: string, drive: (id: string) => Promise<unknown>) => {
      const task = await create(undefined, { ttl });
      assert.equal(task.ttl, ttl, 'the reported ttl is the real one (R41)');
      await drive(task.taskId);
      doomed.push({ status, task });
    };
    await make('working', async () => undefined);
    await make('input_required', (id) => store.updateTask(id, { status: 'input_required' }));
    await make('completed', (id) => store.finishTask(id, { status: 'completed', outcome: { kind: 'result', result: toolResult('x') } }));
    await make('failed', (id) => store.finishTask(id, { status: 'failed', outcome: { kind: 'error', error: { code: -32000, message: 'x' } } }));
    await make('cancelled', (id) => store.updateTask(id, { status: 'cancelled' }));
    for (const { status, task } of doomed) {
      assert.equal((await store.getTask(task.taskId))?.status, status, `the ${status} task is readable before its ttl (raise shortTtlMs if the store is slow)`);
    }
    await sleepUntil(Math.max(...doomed.map(({ task }) => expiry(task))));
    for (const { status, task } of doomed) await assertGone(store, task.taskId, `${status} task after its ttl`, hangTimeoutMs);
    assert.deepEqual((await listAll(store)).map((t) => t.taskId), [keeper.taskId], 'listTasks shows no expired task');
    assert.equal((await store.getTask(keeper.taskId))?.status, 'working', 'a task with a long ttl is still there');
  });

  storeCheck(suite, 'R42: the ttl counts from creation, not from the last change or completion', async ({ store, create }) => {
    const task = await create(undefined, { ttl: ttl * 2 });
    await sleepUntil(Date.parse(task.createdAt) + ttl);
    await store.updateTask(task.taskId, { statusMessage: 'still going' });
    await store.finishTask(task.taskId, { status: 'completed', outcome: { kind: 'result', result: toolResult('x') } });
    assert.equal((await store.getTask(task.taskId))?.ttl, ttl * 2, 'the ttl does not change');
    await sleepUntil(expiry(task));
    await assertGone(store, task.taskId, 'a task changed late in its life, after createdAt + ttl', hangTimeoutMs);
  });

  storeCheck(suite, 'R42: waiters of a task are woken with null when it expires', async ({ store, create }) => {
    const task = await create(undefined, { ttl });
    const state = (await store.getTaskState(task.taskId))!;
    const waiters = Array.from({ length: 3 }, () => store.waitForUpdate(task.taskId, state.version));
    const woken = await withDeadline(Promise.all(waiters), ttl + hangTimeoutMs, 'waitForUpdate on an expiring task');
    assert.deepEqual(woken, [null, null, null]);
    assert.ok(Date.now() >= expiry(task) - suite.options.clockToleranceMs, 'woken with null only once the ttl has passed');
  });
}
