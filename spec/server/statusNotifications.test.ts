/**
 * Status notifications driven by store changes (R57, R60): a session is told of every change
 * of a task it created, whichever process makes it. Two `TaskSupport`s over one shared in-memory
 * backend stand for two processes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Notification, Task } from '@modelcontextprotocol/sdk/types.js';
import { RELATED_TASK_META_KEY } from '@modelcontextprotocol/sdk/types.js';
import { getEventListeners } from 'node:events';
import { TaskSupport } from '../../src/server/index.js';
import { sessionSignal } from '../../src/server/sessionSignal.js';
import { callAsTask, cancelTask, getTask, http, inMemory, toolTaskResult } from './harness.js';

const isStatus = (taskId: string, status: string) => (n: Notification) =>
  n.method === 'notifications/tasks/status' && (n.params as Task).taskId === taskId && (n.params as Task).status === status;

const statusesOf = (notifications: Notification[], taskId: string) =>
  notifications
    .filter((n) => n.method === 'notifications/tasks/status' && (n.params as Task).taskId === taskId)
    .map((n) => (n.params as Task).status);

/** Lets pending promise callbacks run (the end of a watch is a few promise steps after its cause). */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Rejects if `promise` has not settled within 5 s, so that a missing notification fails instead of hanging. */
function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not received within 5 s`)), 5_000);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** A second "process": its own runtime over the same store, queue and response channel. */
function sibling(support: TaskSupport): TaskSupport {
  return new TaskSupport({ store: support.store, queue: support.queue, responseChannel: support.responseChannel });
}

test('R57 R60: a cancel received by another process reaches the creating client as a status notification (and the cancelling one)', async (t) => {
  const a = await inMemory();
  t.after(() => a.close());
  const other = sibling(a.support);
  t.after(() => other.close());
  const b = await inMemory({ enable: { taskSupport: other } });
  t.after(() => b.close());
  const task = await callAsTask(a.client, 'tasks_conformance_hold', { holdMs: 600_000 });
  await cancelTask(b.client, task.taskId);
  const onA = await within(a.nextNotification(isStatus(task.taskId, 'cancelled')), 'status notification');
  const params = onA.params as Task & { _meta?: Record<string, unknown> };
  assert.equal(params.statusMessage, 'Cancelled by the requestor (tasks/cancel)');
  assert.equal(typeof params.createdAt, 'string');
  assert.ok('ttl' in params);
  assert.equal(params._meta?.[RELATED_TASK_META_KEY], undefined);
  await within(b.nextNotification(isStatus(task.taskId, 'cancelled')), 'status notification');
  await a.support.settled(task.taskId);
  await getTask(a.client, task.taskId); // a round trip: anything sent before it has arrived
  assert.deepEqual(statusesOf(a.notifications, task.taskId), ['cancelled']);
  assert.deepEqual(statusesOf(b.notifications, task.taskId), ['cancelled']);
});

test('R57: a failure set by another process (as its orphan sweeper does) and a status message set there reach the creating client', async (t) => {
  const a = await inMemory();
  t.after(() => a.close());
  const other = sibling(a.support);
  t.after(() => other.close());
  const task = await callAsTask(a.client, 'tasks_conformance_hold', { holdMs: 600_000 });
  await other.store.updateTask(task.taskId, { statusMessage: 'seen by B' });
  const message = await within(a.nextNotification((n) => isStatus(task.taskId, 'working')(n) && (n.params as Task).statusMessage === 'seen by B'), 'status notification');
  assert.equal((message.params as Task).statusMessage, 'seen by B');
  await other.store.updateTaskStatus(task.taskId, 'failed', 'lease expired');
  const failed = await within(a.nextNotification(isStatus(task.taskId, 'failed')), 'status notification');
  assert.equal((failed.params as Task).statusMessage, 'lease expired');
  await a.support.settled(task.taskId); // the work was aborted: the task ended elsewhere
  await flush();
  assert.equal(a.tasks.watchedCount, 0);
  assert.equal(a.support.watchingCount, 0);
});

test('R57: a cancel on the creating session notifies it once (one mechanism, no duplicate)', async (t) => {
  const h = await inMemory();
  t.after(() => h.close());
  const task = await callAsTask(h.client, 'tasks_conformance_hold', { holdMs: 600_000 });
  await cancelTask(h.client, task.taskId);
  await within(h.nextNotification(isStatus(task.taskId, 'cancelled')), 'status notification');
  await h.support.settled(task.taskId);
  await flush();
  await getTask(h.client, task.taskId);
  assert.deepEqual(statusesOf(h.notifications, task.taskId), ['cancelled']);
  assert.equal(h.tasks.watchedCount, 0);
});

test('R57: a completed task is notified once and its watch ends', async (t) => {
  const h = await inMemory();
  t.after(() => h.close());
  const task = await callAsTask(h.client, 'tasks_conformance_optional', { text: 'x' });
  await toolTaskResult(h.client, task.taskId);
  await within(h.nextNotification(isStatus(task.taskId, 'completed')), 'status notification');
  await flush();
  await getTask(h.client, task.taskId);
  assert.deepEqual(statusesOf(h.notifications, task.taskId), ['completed']);
  assert.equal(h.tasks.watchedCount, 0);
  assert.equal(h.support.watchingCount, 0);
});

test('R57: the watch of a session ends when the session closes; the task goes on', async (t) => {
  const support = TaskSupport.inMemory();
  t.after(() => support.close());
  const h = await inMemory({ enable: { taskSupport: support } });
  const task = await callAsTask(h.client, 'tasks_conformance_hold', { holdMs: 600_000 });
  assert.equal(h.tasks.watchedCount, 1);
  assert.equal(support.watchingCount, 1);
  await h.close();
  await flush();
  assert.equal(h.tasks.watchedCount, 0);
  assert.equal(support.watchingCount, 0);
  assert.equal(support.isRunning(task.taskId), true);
});

test('R57: the watches of all a session\'s tasks end together when it closes; the session signal has one listener for them all', async (t) => {
  const support = TaskSupport.inMemory();
  t.after(() => support.close());
  const h = await inMemory({ enable: { taskSupport: support } });
  const session = sessionSignal(h.tasks.server);
  assert.ok(session);
  const listenersBefore = getEventListeners(session, 'abort').length;
  const tasks = [];
  for (let i = 0; i < 3; i++) tasks.push(await callAsTask(h.client, 'tasks_conformance_hold', { holdMs: 600_000 }));
  assert.equal(h.tasks.watchedCount, 3);
  assert.equal(support.watchingCount, 3);
  assert.equal(getEventListeners(session, 'abort').length, listenersBefore + 1, 'one listener for the three watches');
  await h.close();
  await flush();
  assert.equal(h.tasks.watchedCount, 0);
  assert.equal(support.watchingCount, 0);
  for (const task of tasks) assert.equal(support.isRunning(task.taskId), true);
});

test('R57: TaskSupport.close() ends every watch, and a closed runtime starts none', async (t) => {
  const support = TaskSupport.inMemory({ shutdownGrace: 1_000 });
  const h = await inMemory({ enable: { taskSupport: support } });
  t.after(() => h.close());
  await callAsTask(h.client, 'tasks_conformance_hold', { holdMs: 600_000 });
  await callAsTask(h.client, 'tasks_conformance_hold', { holdMs: 600_000 });
  assert.equal(support.watchingCount, 2);
  await support.close();
  await flush();
  assert.equal(support.watchingCount, 0);
  assert.equal(h.tasks.watchedCount, 0);
  await support.watchTask('whatever', 0, () => assert.fail('a closed runtime watches nothing'));
  assert.equal(support.watchingCount, 0);
});

test('watchTask: a throwing callback does not end the watch; an aborted signal starts none', async (t) => {
  const support = TaskSupport.inMemory();
  t.after(() => support.close());
  const aborted = new AbortController();
  aborted.abort();
  await support.watchTask('x', 0, () => assert.fail('not called'), aborted.signal);
  const task = await support.store.createTask({}, 1, { method: 'tools/call' });
  const seen: string[] = [];
  const watch = support.watchTask(task.taskId, 1, (state) => {
    seen.push(`${state.task.status}:${state.task.statusMessage ?? ''}`);
    throw new Error('callback failure');
  });
  await support.store.updateTask(task.taskId, { statusMessage: 'one' });
  await flush();
  await support.store.finishTask(task.taskId, { status: 'completed', outcome: { kind: 'result', result: {} } });
  await watch;
  assert.deepEqual(seen, ['working:one', 'completed:one']);
  const gone = await support.store.createTask({}, 2, { method: 'tools/call' });
  const deleted = support.watchTask(gone.taskId, 1, () => assert.fail('nothing changed'));
  await support.store.deleteTask(gone.taskId);
  await deleted; // ends when the task is gone
});

test('R57 R60: over Streamable HTTP, a cancel sent to another process reaches the creating client on its GET stream', async (t) => {
  const supportA = TaskSupport.inMemory();
  const supportB = sibling(supportA);
  const hostA = await http({ support: supportA });
  const hostB = await http({ support: supportB });
  t.after(async () => {
    await hostA.close();
    await hostB.close();
    await supportB.close();
    await supportA.close();
  });
  // the same principal on both (a session-bound task would be invisible to another session)
  const onA = await hostA.connect({}, { token: 'alice' });
  const onB = await hostB.connect({}, { token: 'alice' });
  const task = await callAsTask(onA.client, 'tasks_conformance_hold', { holdMs: 600_000 });
  await cancelTask(onB.client, task.taskId);
  const notified = await within(onA.nextNotification(isStatus(task.taskId, 'cancelled')), 'status notification');
  assert.equal((notified.params as Task).taskId, task.taskId);
  await within(onB.nextNotification(isStatus(task.taskId, 'cancelled')), 'status notification');
  await onA.close();
  await onB.close();
});
