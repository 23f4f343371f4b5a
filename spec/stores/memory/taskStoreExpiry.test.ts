import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TaskNotFoundError } from '../../../src/core/errors.js';
import { InMemoryTaskStore } from '../../../src/stores/memory/index.js';
import { blockUntil, CALL, within } from './helpers.js';

/** A store whose tasks may live a few milliseconds. */
function shortLived(options: ConstructorParameters<typeof InMemoryTaskStore>[0] = {}): InMemoryTaskStore {
  return new InMemoryTaskStore({ ttl: { minTtl: 0, defaultTtl: 60_000 }, ...options });
}

test('R42 R70: the timer drops a task ttl ms after creation, whatever its status, and wakes waiters with null', async () => {
  const s = shortLived();
  const working = await s.createTask({ ttl: 40 }, 1, CALL);
  const done = await s.createTask({ ttl: 40 }, 2, CALL, 'x');
  await s.storeTaskResult(done.taskId, 'completed', { content: [] }, 'x');
  const keeper = await s.createTask({}, 3, CALL);
  assert.equal(s.timerArmed, true);
  assert.equal(await within(s.waitForUpdate(working.taskId, 1)), null);
  assert.equal(await within(s.waitForUpdate(done.taskId, 2)), null);
  assert.equal(await s.getTask(working.taskId), null);
  assert.equal(await s.getTask(done.taskId, 'x'), null);
  await assert.rejects(s.getTaskResult(done.taskId, 'x'), TaskNotFoundError);
  assert.equal((await s.getTask(keeper.taskId))!.status, 'working');
  assert.equal(s.size, 1);
  assert.equal(s.timerArmed, true, 'still armed for the remaining task');
  await s.deleteTask(keeper.taskId);
  assert.equal(s.timerArmed, false, 'no task with an expiry: no timer');
  await s.close();
});

test('R42: the one timer re-arms for an earlier expiry created later', async () => {
  const s = shortLived();
  const late = await s.createTask({ ttl: 60_000 }, 1, CALL);
  const early = await s.createTask({ ttl: 30 }, 2, CALL);
  assert.equal(await within(s.waitForUpdate(early.taskId, 1)), null);
  assert.ok(await s.getTask(late.taskId));
  assert.equal(s.timerArmed, true);
  await s.close();
});

test('R42 R70: lazy expiry — a read after expiry finds nothing even before the timer has run', async () => {
  const s = shortLived();
  const a = await s.createTask({ ttl: 20 }, 1, CALL);
  const created = Date.parse(a.createdAt);
  const waiter = s.waitForUpdate(a.taskId, 1);
  blockUntil(created + 20); // the event loop does not turn: the timer cannot have fired
  assert.equal(await s.getTask(a.taskId), null, 'getTask expires lazily');
  assert.equal(await waiter, null, 'lazy expiry wakes waiters too');
  assert.equal(s.size, 0);
  assert.equal(s.timerArmed, false);

  const b = await s.createTask({ ttl: 20 }, 2, CALL, 'b');
  blockUntil(Date.parse(b.createdAt) + 20);
  await assert.rejects(s.updateTask(b.taskId, { status: 'cancelled' }, 'b'), TaskNotFoundError);

  const c = await s.createTask({ ttl: 20 }, 3, CALL);
  blockUntil(Date.parse(c.createdAt) + 20);
  assert.equal(await s.waitForUpdate(c.taskId, 0), null, 'waitForUpdate sees the expiry itself');
  await s.close();
});

test('R42 R86: listTasks drops expired tasks lazily', async () => {
  const s = shortLived({ pageSize: 2 });
  const keep1 = await s.createTask({}, 1, CALL, 'o');
  const gone1 = await s.createTask({ ttl: 20 }, 2, CALL, 'o');
  const gone2 = await s.createTask({ ttl: 20 }, 3, CALL, 'o');
  const keep2 = await s.createTask({}, 4, CALL, 'o');
  blockUntil(Date.parse(gone2.createdAt) + 20);
  const page = await s.listTasks(undefined, 'o');
  assert.deepEqual(page.tasks.map((t) => t.taskId), [keep1.taskId, keep2.taskId]);
  assert.equal(page.nextCursor, undefined);
  assert.equal(s.size, 2);
  assert.equal(await s.getTask(gone1.taskId, 'o'), null);
  await s.close();
});

test('R89: limits are checked after dropping expired tasks', async () => {
  const s = shortLived({ limits: { maxTasks: 2, maxActiveTasksPerScope: 1 } });
  const a = await s.createTask({ ttl: 20 }, 1, CALL);
  const b = await s.createTask({ ttl: 25 }, 2, CALL, 'b');
  blockUntil(Date.parse(b.createdAt) + 25);
  // both are expired but only the sweep at creation can know: no read happened in between
  const c = await s.createTask({}, 3, CALL);
  const d = await s.createTask({}, 4, CALL, 'b');
  assert.equal(s.size, 2);
  assert.equal(await s.getTask(a.taskId), null);
  assert.ok(await s.getTask(c.taskId));
  assert.ok(await s.getTask(d.taskId, 'b'));
  await s.close();
});

test('R42: a cursor stays valid after the task it was derived from expired', async () => {
  const s = shortLived({ pageSize: 1 });
  const first = await s.createTask({ ttl: 20 }, 1, CALL);
  const second = await s.createTask({}, 2, CALL);
  const page1 = await s.listTasks();
  assert.deepEqual(page1.tasks.map((t) => t.taskId), [first.taskId]);
  assert.ok(page1.nextCursor);
  assert.equal(await within(s.waitForUpdate(first.taskId, 1)), null);
  const page2 = await s.listTasks(page1.nextCursor);
  assert.deepEqual(page2.tasks.map((t) => t.taskId), [second.taskId]);
  await s.close();
});

test('R89: many early deletions do not let the expiry heap grow without bound', async () => {
  const s = shortLived();
  const ids: string[] = [];
  for (let i = 0; i < 300; i++) ids.push((await s.createTask({ ttl: 60_000 + i }, i, CALL)).taskId);
  const last = await s.createTask({ ttl: 30 }, 999, CALL);
  for (const id of ids) assert.equal(await s.deleteTask(id), true);
  assert.equal(s.timerArmed, true);
  assert.equal(await within(s.waitForUpdate(last.taskId, 1)), null, 'the remaining expiry still fires after the rebuild');
  assert.equal(s.size, 0);
  assert.equal(s.timerArmed, false);
  await s.close();
});

test('R42: an expiry beyond the longest setTimeout delay still arms one timer', async () => {
  const s = new InMemoryTaskStore({ ttl: { maxTtl: null } });
  const task = await s.createTask({ ttl: 30 * 86_400_000 }, 1, CALL);
  assert.equal(task.ttl, 30 * 86_400_000);
  assert.equal(s.timerArmed, true);
  await s.close();
  assert.equal(s.timerArmed, false);
});
