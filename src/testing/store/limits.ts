/** Checks on the store's limits: maxTasks and maxActiveTasksPerScope (R89a). */
import assert from 'node:assert/strict';
import { TaskLimitError } from '../../core/errors.js';
import type { TaskScope } from '../../core/taskStore.js';
import { rejectsWith, sleepUntil } from '../guards.js';
import { storeCheck, toolResult, type StoreCheck, type StoreSuite } from './harness.js';
import { listAll } from './listing.js';

async function expectLimit(check: StoreCheck, scope: TaskScope, limit: 'maxTasks' | 'maxActiveTasksPerScope', max: number, what: string): Promise<void> {
  const before = (await listAll(check.store, scope)).length;
  const error = await rejectsWith(check.create(scope), TaskLimitError, what);
  assert.equal(error.limit, limit, `${what}: TaskLimitError.limit`);
  assert.equal(error.max, max, `${what}: TaskLimitError.max`);
  assert.equal(error.code, -32600, `${what}: code -32600`);
  assert.equal((await listAll(check.store, scope)).length, before, `${what}: nothing was created`);
}

/** Creates `count` tasks in `scope`, then expects the next creation there to hit `limit`. */
async function fillUp(check: StoreCheck, scope: TaskScope, count: number, limit: 'maxTasks' | 'maxActiveTasksPerScope', max: number, what: string): Promise<void> {
  for (let i = 0; i < count; i++) await check.create(scope);
  await expectLimit(check, scope, limit, max, what);
}

/** Registers the limit checks. */
export function limitChecks(suite: StoreSuite): void {
  storeCheck(
    suite,
    'R89a: maxTasks bounds all tasks of all scopes, terminal ones included; deleting frees a place',
    async (check) => {
      const { store, create, newScope } = check;
      const [scopeA, scopeB] = [newScope(), newScope()];
      const a = await create(scopeA);
      await store.finishTask(a.taskId, { status: 'completed', outcome: { kind: 'result', result: toolResult('x') } }, scopeA);
      await create(undefined);
      const b = await create(scopeB);
      await store.updateTask(b.taskId, { status: 'cancelled' }, scopeB);
      await expectLimit(check, newScope(), 'maxTasks', 3, 'a 4th task with maxTasks 3');
      await expectLimit(check, undefined, 'maxTasks', 3, 'a 4th anonymous task with maxTasks 3');
      assert.equal(await store.deleteTask(a.taskId), false, 'deleteTask is scoped: the anonymous scope cannot delete it');
      assert.equal(await store.deleteTask(b.taskId), false);
      const freed = (await listAll(store)).map((t) => t.taskId);
      assert.equal(freed.length, 1);
      assert.equal(await store.deleteTask(freed[0]!), true);
      await create(newScope());
      await expectLimit(check, undefined, 'maxTasks', 3, 'full again');
    },
    { limits: { maxTasks: 3, maxActiveTasksPerScope: 10 } },
  );

  storeCheck(
    suite,
    'R89a: maxActiveTasksPerScope counts only non-terminal tasks of that scope',
    async (check) => {
      const { store, create, newScope } = check;
      for (const scope of [newScope(), undefined]) {
        const first = await create(scope);
        const second = await create(scope);
        await store.updateTask(second.taskId, { status: 'input_required' }, scope);
        await expectLimit(check, scope, 'maxActiveTasksPerScope', 2, `a 3rd active task in ${scope ?? 'the anonymous scope'}`);
        await store.finishTask(first.taskId, { status: 'completed', outcome: { kind: 'result', result: toolResult('x') } }, scope);
        const third = await create(scope);
        await expectLimit(check, scope, 'maxActiveTasksPerScope', 2, 'full again after finishTask freed a place');
        await store.updateTask(third.taskId, { status: 'cancelled' }, scope);
        const fourth = await create(scope);
        await store.updateTaskStatus(fourth.taskId, 'failed', undefined, scope);
        const fifth = await create(scope);
        await expectLimit(check, scope, 'maxActiveTasksPerScope', 2, 'full again after cancel and failed freed places');
        assert.equal(await store.deleteTask(fifth.taskId, scope), true);
        await create(scope);
      }
      await fillUp(check, newScope(), 2, 'maxActiveTasksPerScope', 2, 'another scope has its own limit');
    },
    { limits: { maxTasks: 100, maxActiveTasksPerScope: 2 } },
  );

  storeCheck(
    suite,
    'R89a, R89c: expired tasks free their places',
    async (check) => {
      const { create, newScope } = check;
      const scope = newScope();
      const ttl = suite.options.shortTtlMs;
      const tasks = [await create(scope, { ttl }), await create(newScope(), { ttl })];
      await expectLimit(check, scope, 'maxTasks', 2, 'a 3rd task with maxTasks 2');
      await sleepUntil(Math.max(...tasks.map((task) => Date.parse(task.createdAt) + ttl)));
      await fillUp(check, scope, 2, 'maxTasks', 2, 'full again');
    },
    { limits: { maxTasks: 2, maxActiveTasksPerScope: 3 } },
  );

  storeCheck(
    suite,
    'R89a: concurrent creations never exceed the limits',
    async ({ store, create, newScope }) => {
      const n = suite.options.concurrency;
      const scope = newScope();
      const settled = await Promise.allSettled(Array.from({ length: n }, () => create(scope)));
      const created = settled.filter((s) => s.status === 'fulfilled').length;
      assert.equal(created, Math.min(n, 5), `exactly maxActiveTasksPerScope tasks are created, got ${created}`);
      for (const s of settled) if (s.status === 'rejected') assert.ok(s.reason instanceof TaskLimitError, `a refused creation throws TaskLimitError, got ${String(s.reason)}`);
      assert.equal((await listAll(store, scope)).length, created);
      const everywhere = await Promise.allSettled(Array.from({ length: n }, () => create(newScope())));
      const total = created + everywhere.filter((s) => s.status === 'fulfilled').length;
      assert.equal(total, Math.min(created + n, 8), `exactly maxTasks tasks are held, got ${total}`);
    },
    { limits: { maxTasks: 8, maxActiveTasksPerScope: 5 } },
  );
}
