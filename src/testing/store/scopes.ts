/** Checks on owner scopes: no cross-scope access, no existence oracle, no cross-scope listing (R70, R82–R86). */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Task } from '@modelcontextprotocol/sdk/types.js';
import { InvalidCursorError, TaskNotFoundError } from '../../core/errors.js';
import type { TaskScope, TaskStore } from '../../core/taskStore.js';
import { observableError } from '../assertions.js';
import { rejection, rejectsWith } from '../guards.js';
import { storeCheck, toolResult, type StoreSuite } from './harness.js';
import { listAll } from './listing.js';

/** Every scoped operation that must answer "not found" for a task outside the caller's scope. */
function scopedOperations(store: TaskStore, id: string, scope: TaskScope): Array<[string, () => Promise<unknown>]> {
  return [
    ['updateTask(statusMessage)', () => store.updateTask(id, { statusMessage: 'intruder' }, scope)],
    ['updateTask(cancelled)', () => store.updateTask(id, { status: 'cancelled' }, scope)],
    ['finishTask', () => store.finishTask(id, { status: 'completed', outcome: { kind: 'result', result: toolResult('intruder') } }, scope)],
    ['getTaskOutcome', () => store.getTaskOutcome(id, scope)],
    ['getTaskResult', () => store.getTaskResult(id, scope)],
    ['storeTaskResult', () => store.storeTaskResult(id, 'completed', toolResult('intruder'), scope)],
    ['updateTaskStatus(cancelled)', () => store.updateTaskStatus(id, 'cancelled', 'intruder', scope)],
    ['updateTaskStatus(completed)', () => store.updateTaskStatus(id, 'completed', 'intruder', scope)],
  ];
}

/** Fails unless, for `scope`, the task `id` answers exactly like an id that never existed. */
async function assertInvisible(store: TaskStore, id: string, scope: TaskScope, what: string): Promise<void> {
  const unknown = randomBytes(16).toString('hex');
  assert.equal(await store.getTask(id, scope), null, `${what}: getTask`);
  assert.equal(await store.getTaskState(id, scope), null, `${what}: getTaskState`);
  const foreign = scopedOperations(store, id, scope);
  const never = scopedOperations(store, unknown, scope);
  for (const [index, [name, attempt]] of foreign.entries()) {
    const error = await rejectsWith(attempt(), TaskNotFoundError, `${what}: ${name}`);
    assert.equal(error.code, -32602, `${what}: ${name} code`);
    const reference = await rejection(never[index]![1](), `${name} on an unknown id`);
    assert.deepEqual(observableError(error, id), observableError(reference, unknown), `${what}: ${name} must fail exactly as for an unknown id (no oracle, R85)`);
  }
  assert.equal(await store.deleteTask(id, scope), false, `${what}: deleteTask`);
  assert.ok(!(await listAll(store, scope)).some((task) => task.taskId === id), `${what}: listTasks (R86)`);
}

/** Registers the scope checks. */
export function scopeChecks(suite: StoreSuite): void {
  for (const status of ['working', 'input_required', 'completed', 'cancelled'] as const) {
    storeCheck(suite, `R70, R85: a ${status} task is "not found" from every other scope, exactly like an unknown id, and stays unchanged`, async ({ store, create, newScope }) => {
      const alice = newScope('alice');
      const scopes: TaskScope[] = [undefined, alice, newScope('bob'), alice.toUpperCase(), `${alice}|x`];
      for (const owner of scopes.slice(0, 2)) {
        const task = await create(owner);
        if (status === 'input_required') await store.updateTask(task.taskId, { status }, owner);
        if (status === 'cancelled') await store.updateTask(task.taskId, { status }, owner);
        if (status === 'completed') await store.finishTask(task.taskId, { status, outcome: { kind: 'result', result: toolResult('mine') } }, owner);
        const state = await store.getTaskState(task.taskId, owner);
        const outcome = await store.getTaskOutcome(task.taskId, owner);
        for (const other of scopes) {
          if (other === owner) continue;
          await assertInvisible(store, task.taskId, other, `task of ${owner ?? 'anonymous'} seen from ${other ?? 'anonymous'}`);
        }
        assert.deepEqual(await store.getTaskState(task.taskId, owner), state, 'the owner sees its task unchanged');
        assert.deepEqual(await store.getTaskOutcome(task.taskId, owner), outcome, 'the owner sees its outcome unchanged');
      }
    });
  }

  storeCheck(
    suite,
    'R82, R86: each scope lists exactly its own tasks (anonymous and named alike); a cursor never leaks another scope',
    async ({ store, create, newScope }) => {
      const alice = newScope('alice');
      const scopes: TaskScope[] = [undefined, alice, newScope('bob'), alice.toUpperCase()];
      const owned = new Map<TaskScope, Task[]>(scopes.map((scope) => [scope, []]));
      for (let round = 0; round < 4; round++) {
        for (const scope of scopes.slice(0, round + 1)) owned.get(scope)!.push(await create(scope));
      }
      for (const scope of scopes) {
        assert.deepEqual((await listAll(store, scope)).map((t) => t.taskId), owned.get(scope)!.map((t) => t.taskId), `tasks of ${scope ?? 'anonymous'}`);
      }
      const aliceCursor = (await store.listTasks(undefined, alice)).nextCursor;
      assert.ok(aliceCursor);
      for (const scope of scopes.filter((s) => s !== alice)) {
        let leaked: Task[] = [];
        try {
          leaked = await listAll(store, scope, aliceCursor);
        } catch (error) {
          assert.ok(error instanceof InvalidCursorError, `another scope's cursor gives a page of one's own tasks or InvalidCursorError, got ${String(error)}`);
        }
        const aliceIds = new Set(owned.get(alice)!.map((t) => t.taskId));
        assert.ok(!leaked.some((t) => aliceIds.has(t.taskId)), `a cursor from alice's listing must not show alice's tasks to ${scope ?? 'anonymous'}`);
      }
    },
    { pageSize: 2 },
  );

  storeCheck(suite, 'R70: unknown ids are not found everywhere', async ({ store }) => {
    const unknown = randomBytes(16).toString('hex');
    assert.equal(await store.getTask(unknown), null);
    assert.equal(await store.getTaskState(unknown), null);
    for (const [name, attempt] of scopedOperations(store, unknown, undefined)) {
      const error = await rejectsWith(attempt(), TaskNotFoundError, `${name} on an unknown id`);
      assert.equal(error.code, -32602);
      assert.equal(error.taskId, unknown);
    }
    assert.equal(await store.deleteTask(unknown), false);
    assert.equal(await store.deleteTask('not even hex / with odd chars {}'), false);
    assert.equal(await store.getTask(''), null);
  });
}
