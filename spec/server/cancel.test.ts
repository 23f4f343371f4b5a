/** tasks/cancel, abort of the work, TTL expiry, cross-process cancel (R69–R72, R42). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Notification, Task } from '@modelcontextprotocol/sdk/types.js';
import { Resolver } from '../support/resolver.js';
import { TaskSupport, type ServerTaskBinding } from '../../src/server/index.js';
import { callAsTask, cancelTask, getTask, inMemory, rejectsWithCode, taskResult, textOf, toolTaskResult } from './harness.js';

const isStatus = (taskId: string, status: string) => (n: Notification) =>
  n.method === 'notifications/tasks/status' && (n.params as Task).taskId === taskId && (n.params as Task).status === status;

/** Registers `watch`: a task that waits for its signal and reports the abort reason. */
function watchTool(tasks: ServerTaskBinding, aborted: Resolver<unknown>): void {
  tasks.registerTool({ name: 'watch', inputSchema: { type: 'object' }, execution: { taskSupport: 'required' } }, async (_args, ctx) => {
    await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
    aborted.setResult(ctx.signal.reason);
    return { content: [{ type: 'text', text: 'after abort' }] };
  });
}

test('R71 F3: tasks/cancel sets cancelled before it answers, aborts the work, and notifies the status', async (t) => {
  const aborted = new Resolver<unknown>();
  const h = await inMemory({ setup: (tasks) => watchTool(tasks, aborted) });
  t.after(() => h.close());
  const task = await callAsTask(h.client, 'watch', {});
  const cancelled = await cancelTask(h.client, task.taskId);
  assert.equal(cancelled.status, 'cancelled');
  assert.equal(cancelled.taskId, task.taskId);
  assert.ok('ttl' in cancelled);
  const reason = (await aborted.wait()) as { reason?: string };
  assert.equal(reason.reason, 'cancelled');
  const notified = await h.nextNotification(isStatus(task.taskId, 'cancelled'));
  assert.equal((notified.params as Task).status, 'cancelled');
  await h.support.settled(task.taskId);
  assert.equal((await getTask(h.client, task.taskId)).status, 'cancelled');
});

test('R72: a stubborn task that completes after cancel stays cancelled (nothing overwritten, no unhandled rejection)', async (t) => {
  const h = await inMemory();
  t.after(() => h.close());
  const task = await callAsTask(h.client, 'tasks_conformance_stubborn', { holdMs: 30 });
  await cancelTask(h.client, task.taskId);
  await h.support.settled(task.taskId);
  const got = await getTask(h.client, task.taskId);
  assert.equal(got.status, 'cancelled');
  const error = await rejectsWithCode(taskResult(h.client, task.taskId), -32602);
  assert.deepEqual(error.data, { taskId: task.taskId, status: 'cancelled' });
});

test('R71: the hold fixture honours cancellation and stops at once', async (t) => {
  const h = await inMemory();
  t.after(() => h.close());
  const task = await callAsTask(h.client, 'tasks_conformance_hold', { holdMs: 600_000 });
  await cancelTask(h.client, task.taskId);
  await h.support.settled(task.taskId);
  assert.equal(h.support.isRunning(task.taskId), false);
});

test('R69: cancelling a terminal task → -32602 (completed, and a second cancel)', async (t) => {
  const h = await inMemory();
  t.after(() => h.close());
  const done = await callAsTask(h.client, 'tasks_conformance_optional', { text: 'x' });
  await toolTaskResult(h.client, done.taskId);
  await rejectsWithCode(cancelTask(h.client, done.taskId), -32602);
  const held = await callAsTask(h.client, 'tasks_conformance_hold', { holdMs: 600_000 });
  await cancelTask(h.client, held.taskId);
  await rejectsWithCode(cancelTask(h.client, held.taskId), -32602);
});

test('R71 R72: a task cancelled by another process (shared store) has its work aborted here', async (t) => {
  const aborted = new Resolver<unknown>();
  const a = await inMemory({ fixtures: false, setup: (tasks) => watchTool(tasks, aborted) });
  t.after(() => a.close());
  // a second runtime on the same store: another process of a horizontally scaled server
  const other = new TaskSupport({ store: a.support.store, queue: a.support.queue, responseChannel: a.support.responseChannel });
  const b = await inMemory({ enable: { taskSupport: other } });
  t.after(() => b.close());
  const task = await callAsTask(a.client, 'watch', {});
  await cancelTask(b.client, task.taskId);
  assert.equal(((await aborted.wait()) as { reason?: string }).reason, 'cancelled');
  await a.support.settled(task.taskId);
  assert.equal((await getTask(a.client, task.taskId)).status, 'cancelled');
});

test('R42 G4: TTL expiry aborts the running work; a blocked tasks/result and later lookups get -32602', async (t) => {
  const aborted = new Resolver<unknown>();
  const support = TaskSupport.inMemory({ ttl: { minTtl: 1, defaultTtl: 60_000 } });
  const h = await inMemory({ enable: { taskSupport: support }, setup: (tasks) => watchTool(tasks, aborted) });
  t.after(async () => {
    await h.close();
    await support.close();
  });
  const task = await callAsTask(h.client, 'watch', {}, { ttl: 40 });
  assert.equal(task.ttl, 40);
  const pending = taskResult(h.client, task.taskId);
  assert.equal(((await aborted.wait()) as { reason?: string }).reason, 'expired');
  await rejectsWithCode(pending, -32602);
  await rejectsWithCode(getTask(h.client, task.taskId), -32602);
});

test('R62: no progress after the task ends; updateStatus after the end changes nothing', async (t) => {
  let captured: { reportProgress(p: number): Promise<void> } | undefined;
  const h = await inMemory({
    setup: (tasks) =>
      tasks.registerTool({ name: 'capture', inputSchema: { type: 'object' }, execution: { taskSupport: 'required' } }, async (_args, ctx) => {
        captured = ctx;
        await ctx.reportProgress(1, 2);
        return { content: [{ type: 'text', text: 'captured' }] };
      }),
  });
  t.after(() => h.close());
  const progress: number[] = [];
  const created = await h.client.request(
    { method: 'tools/call', params: { name: 'capture', arguments: {}, task: {} } },
    (await import('@modelcontextprotocol/sdk/types.js')).CreateTaskResultSchema,
    { onprogress: (p) => progress.push(p.progress) },
  );
  assert.equal(textOf(await toolTaskResult(h.client, created.task.taskId)), 'captured');
  await captured!.reportProgress(99);
  await h.client.ping(); // anything sent before the pong would have arrived by now (ordered transport)
  assert.deepEqual(progress, [1]);
});
