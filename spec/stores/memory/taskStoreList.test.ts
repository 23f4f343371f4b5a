import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeCursor } from '../../../src/core/cursor.js';
import { InvalidCursorError } from '../../../src/core/errors.js';
import { InMemoryTaskStore } from '../../../src/stores/memory/index.js';
import { CALL } from './helpers.js';

async function listAll(s: InMemoryTaskStore, scope?: string): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await s.listTasks(cursor, scope);
    pages++;
    ids.push(...page.tasks.map((t) => t.taskId));
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return { ids, pages };
}

test('R66 R68: pages in creation order; nextCursor exactly when more tasks exist', async () => {
  const s = new InMemoryTaskStore({ pageSize: 3 });
  const created: string[] = [];
  for (let i = 0; i < 7; i++) created.push((await s.createTask({}, i, CALL, 'o')).taskId);
  const p1 = await s.listTasks(undefined, 'o');
  assert.deepEqual(p1.tasks.map((t) => t.taskId), created.slice(0, 3));
  assert.equal(typeof p1.nextCursor, 'string');
  const p2 = await s.listTasks(p1.nextCursor, 'o');
  assert.deepEqual(p2.tasks.map((t) => t.taskId), created.slice(3, 6));
  const p3 = await s.listTasks(p2.nextCursor, 'o');
  assert.deepEqual(p3.tasks.map((t) => t.taskId), created.slice(6));
  assert.ok(!('nextCursor' in p3));
  // exactly one full page: no nextCursor
  const exact = new InMemoryTaskStore({ pageSize: 2 });
  await exact.createTask({}, 1, CALL);
  await exact.createTask({}, 2, CALL);
  assert.equal((await exact.listTasks()).nextCursor, undefined);
  // R68: everything getTask returns is listed
  for (const id of created) assert.ok(await s.getTask(id, 'o'));
  assert.deepEqual((await listAll(s, 'o')).ids, created);
  await s.close();
  await exact.close();
});

test('listing shows terminal tasks with their current status', async () => {
  const s = new InMemoryTaskStore();
  const a = await s.createTask({}, 1, CALL);
  await s.storeTaskResult(a.taskId, 'completed', {});
  const b = await s.createTask({}, 2, CALL);
  await s.updateTask(b.taskId, { status: 'cancelled' });
  assert.deepEqual((await s.listTasks()).tasks.map((t) => t.status), ['completed', 'cancelled']);
  await s.close();
});

test('R64: an empty string is not a cursor this store issued', async () => {
  const s = new InMemoryTaskStore();
  await s.createTask({}, 1, CALL);
  await assert.rejects(s.listTasks(''), InvalidCursorError);
  await s.close();
});

test('R86: an empty or unknown scope lists nothing; listing never crosses scopes', async () => {
  const s = new InMemoryTaskStore({ pageSize: 2 });
  assert.deepEqual(await s.listTasks(), { tasks: [] });
  const a: string[] = [];
  const b: string[] = [];
  for (let i = 0; i < 5; i++) {
    a.push((await s.createTask({}, i, CALL, 'a')).taskId);
    b.push((await s.createTask({}, i, CALL, 'b')).taskId);
  }
  assert.deepEqual((await listAll(s, 'a')).ids, a);
  assert.deepEqual((await listAll(s, 'b')).ids, b);
  assert.deepEqual((await listAll(s)).ids, []);
  assert.deepEqual((await listAll(s, 'c')).ids, []);
  // a cursor is a position; used in another scope it just continues that scope after the position
  const cursorA = (await s.listTasks(undefined, 'a')).nextCursor!;
  const fromB = await s.listTasks(cursorA, 'b');
  assert.ok(fromB.tasks.every((t) => b.includes(t.taskId)));
  await s.close();
});

test('R64: garbage, tampered and never-issued cursors → InvalidCursorError (-32602)', async () => {
  const s = new InMemoryTaskStore({ pageSize: 1 });
  await s.createTask({}, 1, CALL);
  await s.createTask({}, 2, CALL);
  const good = (await s.listTasks()).nextCursor!;
  const bad = ['garbage', `${good}x`, good.slice(1), encodeCursor(1_000), 42 as unknown as string, 'c1.1.abc'];
  for (const cursor of bad) {
    await assert.rejects(s.listTasks(cursor), (e: unknown) => e instanceof InvalidCursorError && e.code === -32602, String(cursor));
  }
  await s.close();
});

test('R66: cursors skip deleted tasks and stay valid when the page-ending task is deleted', async () => {
  const s = new InMemoryTaskStore({ pageSize: 2 });
  const ids: string[] = [];
  for (let i = 0; i < 6; i++) ids.push((await s.createTask({}, i, CALL)).taskId);
  const p1 = await s.listTasks();
  await s.deleteTask(ids[1]!);
  await s.deleteTask(ids[2]!);
  const p2 = await s.listTasks(p1.nextCursor);
  assert.deepEqual(p2.tasks.map((t) => t.taskId), [ids[3], ids[4]]);
  assert.deepEqual((await listAll(s)).ids, [ids[0], ids[3], ids[4], ids[5]]);
  await s.close();
});

test('R89: the per-scope index compacts after many removals and keeps listing right', async () => {
  const s = new InMemoryTaskStore({ pageSize: 10 });
  const ids: string[] = [];
  for (let i = 0; i < 200; i++) ids.push((await s.createTask({}, i, CALL, 'o')).taskId);
  const kept = ids.filter((_, i) => i % 5 === 0);
  for (const [i, id] of ids.entries()) if (i % 5 !== 0) await s.deleteTask(id, 'o');
  assert.deepEqual((await listAll(s, 'o')).ids, kept);
  for (const id of kept) await s.deleteTask(id, 'o');
  assert.deepEqual(await s.listTasks(undefined, 'o'), { tasks: [] });
  // the scope is forgotten when empty; a new task in it lists normally
  const again = await s.createTask({}, 1, CALL, 'o');
  assert.deepEqual((await listAll(s, 'o')).ids, [again.taskId]);
  await s.close();
});

test('R86 R89: 100,000 tasks — every page of one scope, none from another, maxTasks enforced', async () => {
  const total = 100_000;
  const s = new InMemoryTaskStore({ limits: { maxActiveTasksPerScope: total } });
  const big: string[] = [];
  for (let i = 0; i < total - 10; i++) big.push((await s.createTask({}, i, CALL, 'big')).taskId);
  const small: string[] = [];
  for (let i = 0; i < 10; i++) small.push((await s.createTask({}, i, CALL, 'small')).taskId);
  assert.equal(s.size, total);
  await assert.rejects(s.createTask({}, 0, CALL, 'other'), /at most 100000/);
  const all = await listAll(s, 'big');
  assert.equal(all.pages, Math.ceil((total - 10) / s.pageSize));
  assert.deepEqual(all.ids, big);
  assert.deepEqual((await listAll(s, 'small')).ids, small);
  await s.close();
});
