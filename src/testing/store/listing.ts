/** Checks on `listTasks`: pagination, order, cursor stability and invalid cursors (R63–R68). */
import assert from 'node:assert/strict';
import type { Task } from '@modelcontextprotocol/sdk/types.js';
import { InvalidCursorError } from '../../core/errors.js';
import type { TaskScope, TaskStore } from '../../core/taskStore.js';
import { assertTaskShape } from '../assertions.js';
import { rejectsWith, sleepUntil } from '../guards.js';
import { storeCheck, type StoreSuite } from './harness.js';

/** One page as read, for the page-size checks. */
export interface ListedPage {
  tasks: Task[];
  nextCursor?: string;
}

/** Follows `nextCursor` from `cursor` to the end; fails after `maxPages` pages (a cursor loop). */
export async function listPages(store: TaskStore, scope?: TaskScope, cursor?: string, maxPages = 1_000): Promise<ListedPage[]> {
  const pages: ListedPage[] = [];
  let next = cursor;
  do {
    const page = await store.listTasks(next, scope);
    assert.ok(Array.isArray(page.tasks), 'listTasks returns { tasks: [] }');
    assert.ok(page.nextCursor === undefined || (typeof page.nextCursor === 'string' && page.nextCursor.length > 0), 'nextCursor is absent or a non-empty string');
    pages.push(page);
    assert.ok(pages.length <= maxPages, `listTasks did not end after ${maxPages} pages (cursor loop?)`);
    next = page.nextCursor;
  } while (next !== undefined);
  return pages;
}

/** Every task of a scope, reached by following the cursors. */
export async function listAll(store: TaskStore, scope?: TaskScope, cursor?: string): Promise<Task[]> {
  return (await listPages(store, scope, cursor)).flatMap((page) => page.tasks);
}

const ids = (tasks: readonly Task[]) => tasks.map((task) => task.taskId);

/** Registers the listing checks. */
export function listingChecks(suite: StoreSuite): void {
  storeCheck(suite, 'R63: an empty scope lists no tasks and no nextCursor', async ({ store, newScope }) => {
    assert.deepEqual(await store.listTasks(undefined, newScope()), { tasks: [] });
    assert.deepEqual(await store.listTasks(), { tasks: [] }, 'a fresh store has no anonymous tasks');
  });

  storeCheck(
    suite,
    'R65, R66, R68: following nextCursor reaches every task of the scope once, oldest first, in full pages of pageSize',
    async ({ store, create, newScope }) => {
      const scope = newScope();
      const other = newScope('other');
      const mine: Task[] = [];
      for (let i = 0; i < 10; i++) {
        mine.push(await create(scope));
        if (i % 3 === 0) await create(other);
      }
      await store.updateTask(mine[4]!.taskId, { status: 'input_required', statusMessage: 'listed as it is now' }, scope);
      await store.updateTask(mine[7]!.taskId, { status: 'cancelled' }, scope);
      const pages = await listPages(store, scope);
      const sizes = pages.map((page) => page.tasks.length);
      assert.deepEqual(sizes.slice(0, 4), [3, 3, 3, 1], `pages must hold pageSize (3) tasks until the last; got ${JSON.stringify(sizes)}`);
      assert.ok(sizes.slice(4).every((size) => size === 0), 'nothing after the last task');
      assert.equal(pages.at(-1)!.nextCursor, undefined, 'the last page has no nextCursor');
      const listed = pages.flatMap((page) => page.tasks);
      assert.deepEqual(ids(listed), ids(mine), 'every task once, oldest first');
      for (const task of listed) {
        assertTaskShape(task, 'listed task');
        assert.deepEqual(task, await store.getTask(task.taskId, scope), 'a listed task is the task as getTask shows it (R68)');
      }
    },
    { pageSize: 3 },
  );

  storeCheck(
    suite,
    'R64, R66: a cursor stays valid when tasks expire, including the very task it was derived from',
    async ({ store, create, newScope }) => {
      const scope = newScope();
      const short = suite.options.shortTtlMs;
      const lives = [0, 0, 1, 1, 0, 1, 0, 0, 1].map((dies) => (dies ? short : undefined));
      const tasks: Task[] = [];
      for (const ttl of lives) tasks.push(await create(scope, ttl === undefined ? {} : { ttl }));
      const first = await store.listTasks(undefined, scope);
      assert.deepEqual(ids(first.tasks), ids(tasks.slice(0, 3)), 'first page (raise shortTtlMs if the store is slow)');
      assert.ok(first.nextCursor, 'more tasks follow the first page');
      const second = await store.listTasks(first.nextCursor, scope);
      assert.deepEqual(ids(second.tasks), ids(tasks.slice(3, 6)), 'second page (raise shortTtlMs if the store is slow)');
      assert.ok(second.nextCursor, 'more tasks follow the second page');
      await sleepUntil(Math.max(...tasks.filter((task) => task.ttl === short).map((task) => Date.parse(task.createdAt) + short)));
      const survivors = tasks.filter((task) => task.ttl !== short);
      assert.deepEqual(ids(await listAll(store, scope, first.nextCursor)), ids(survivors.filter((task) => tasks.indexOf(task) > 2)), 'from the first cursor: the survivors after it, in order');
      assert.deepEqual(ids(await listAll(store, scope, second.nextCursor)), ids(survivors.filter((task) => tasks.indexOf(task) > 5)), 'from the second cursor: the survivors after it, in order');
      assert.deepEqual(ids(await listAll(store, scope)), ids(survivors), 'from the start: every survivor');
    },
    { pageSize: 3 },
  );

  storeCheck(
    suite,
    'R64: a cursor stays valid when later tasks are deleted, and reaches tasks created after it was issued',
    async ({ store, create, newScope }) => {
      const scope = newScope();
      const tasks: Task[] = [];
      for (let i = 0; i < 4; i++) tasks.push(await create(scope));
      const first = await store.listTasks(undefined, scope);
      assert.ok(first.nextCursor);
      assert.equal(await store.deleteTask(tasks[1]!.taskId, scope), true);
      assert.equal(await store.deleteTask(tasks[2]!.taskId, scope), true);
      assert.equal(await store.deleteTask(tasks[3]!.taskId, scope), true);
      assert.deepEqual(await listAll(store, scope, first.nextCursor), [], 'every later task is gone: an empty listing, no error');
      const later = [await create(scope), await create(scope)];
      assert.deepEqual(ids(await listAll(store, scope, first.nextCursor)), ids(later), 'tasks created after the cursor are reached');
      assert.deepEqual(ids(await listAll(store, scope)), ids([tasks[0]!, ...later]));
    },
    { pageSize: 2 },
  );

  storeCheck(
    suite,
    'R64: an unknown or malformed cursor throws InvalidCursorError (-32602)',
    async ({ store, create }) => {
      for (let i = 0; i < 3; i++) await create();
      const { nextCursor } = await store.listTasks();
      assert.ok(nextCursor);
      for (const cursor of ['garbage', '', ' ', '!!!', `${nextCursor}!`, `${nextCursor}${nextCursor}`, 'x'.repeat(10_000), '{"position":1}']) {
        const error = await rejectsWith(store.listTasks(cursor), InvalidCursorError, `listTasks(${JSON.stringify(cursor.slice(0, 40))})`);
        assert.equal(error.code, -32602);
      }
    },
    { pageSize: 2 },
  );
}
