/** Progress and status messages of tasks (R61, R62, R81). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateTaskResultSchema, type Notification, type Task } from '@modelcontextprotocol/sdk/types.js';
import { getTask, inMemory, textOf, toolTaskResult } from './harness.js';

test('R61: progress keeps the original progressToken after CreateTaskResult, for the task’s whole life', async (t) => {
  const h = await inMemory();
  t.after(() => h.close());
  const progress: { progress: number; total?: number; message?: string }[] = [];
  const created = await h.client.request(
    { method: 'tools/call', params: { name: 'tasks_conformance_progress', arguments: { steps: 3, delayMs: 5 }, task: {} } },
    CreateTaskResultSchema,
    { onprogress: (p) => progress.push(p) },
  );
  assert.equal(textOf(await toolTaskResult(h.client, created.task.taskId)), 'done');
  assert.deepEqual(
    progress.map((p) => [p.progress, p.total, p.message]),
    [
      [1, 3, 'step 1/3'],
      [2, 3, 'step 2/3'],
      [3, 3, 'step 3/3'],
    ],
  );
  const got = await getTask(h.client, created.task.taskId);
  assert.equal(got.status, 'completed');
  assert.equal(got.statusMessage, 'step 3/3');
});

test('R57: updateStatus sets the statusMessage and notifies it', async (t) => {
  const h = await inMemory();
  t.after(() => h.close());
  const created = await h.client.request(
    { method: 'tools/call', params: { name: 'tasks_conformance_progress', arguments: { steps: 2, delayMs: 1 }, task: {} } },
    CreateTaskResultSchema,
  );
  await toolTaskResult(h.client, created.task.taskId);
  const isStep = (n: Notification) =>
    n.method === 'notifications/tasks/status' && (n.params as Task).taskId === created.task.taskId && (n.params as Task).statusMessage === 'step 2/2';
  const notified = await h.nextNotification(isStep);
  assert.equal((notified.params as Task).statusMessage, 'step 2/2');
});

test('R11: progress of an optional tool called without task goes with the request (no task, no status message)', async (t) => {
  const h = await inMemory();
  t.after(() => h.close());
  const progress: number[] = [];
  const result = await h.client.callTool({ name: 'tasks_conformance_progress', arguments: { steps: 2, delayMs: 1 } }, undefined, {
    onprogress: (p) => progress.push(p.progress),
  });
  assert.equal(textOf(result), 'done');
  assert.deepEqual(progress, [1, 2]);
});

test('R61: a task without a progressToken sends no progress, but still updates its statusMessage', async (t) => {
  const h = await inMemory();
  t.after(() => h.close());
  const errors: Error[] = [];
  h.client.onerror = (error) => errors.push(error); // a progress notification without a known token lands here
  const created = await h.client.request(
    { method: 'tools/call', params: { name: 'tasks_conformance_progress', arguments: { steps: 1, delayMs: 1 }, task: {} } },
    CreateTaskResultSchema,
  );
  await toolTaskResult(h.client, created.task.taskId);
  assert.equal((await getTask(h.client, created.task.taskId)).statusMessage, 'step 1/1');
  assert.deepEqual(errors, []);
});
