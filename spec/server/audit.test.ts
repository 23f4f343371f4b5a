/** The audit hook `onTaskEvent` (R90a/b/c): typed events with task id, scope and time; never breaks the runtime. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TaskSupport, type TaskEvent } from '../../src/server/index.js';
import { emitTaskEvent } from '../../src/runtime/audit.js';
import { callAsTask, cancelTask, getTask, inMemory, rejectsWithCode, taskResult, textOf, toolTaskResult } from './harness.js';

const AUTH = { token: 't', clientId: 'acme', scopes: [], extra: { sub: 'user-1' } };

/** The events of one task, without the time (checked separately). */
const eventsOf = (events: TaskEvent[], taskId: string) =>
  events.filter((e) => e.taskId === taskId).map(({ time: _time, ...rest }) => rest);

test('R90a R90b: created, status changes, finished and result retrieval, each with the auth scope and an ISO time', async (t) => {
  const events: TaskEvent[] = [];
  const support = TaskSupport.inMemory({ onTaskEvent: (event) => void events.push(event) });
  const h = await inMemory({ enable: { taskSupport: support }, authInfo: AUTH });
  t.after(async () => {
    await h.close();
    await support.close();
  });
  const task = await callAsTask(h.client, 'tasks_conformance_elicit', { message: 'ok?' }, { ttl: 60_000 });
  assert.equal(textOf(await toolTaskResult(h.client, task.taskId)), 'confirmed: true');
  await support.settled(task.taskId);
  const scope = 'acme|user-1';
  const seen = eventsOf(events, task.taskId);
  assert.deepEqual(seen.slice(0, 3), [
    { type: 'created', taskId: task.taskId, scope, method: 'tools/call', ttl: 60_000 },
    { type: 'status', taskId: task.taskId, scope, status: 'input_required' },
    { type: 'status', taskId: task.taskId, scope, status: 'working' },
  ]);
  // the work's end and the waiting tasks/result are woken by the same change: either may report first
  assert.deepEqual(
    seen.slice(3).sort((a, b) => a.type.localeCompare(b.type)),
    [
      { type: 'finished', taskId: task.taskId, scope, status: 'completed', outcome: 'result' },
      { type: 'result-retrieved', taskId: task.taskId, scope, outcome: 'result' },
    ],
  );
  for (const event of events) assert.equal(new Date(event.time).toISOString(), event.time);
});

test('R90a: failures (isError result, JSON-RPC error), a cancel and the retrieval of their outcomes', async (t) => {
  const events: TaskEvent[] = [];
  const h = await inMemory({ enable: { onTaskEvent: (event) => void events.push(event) } });
  t.after(() => h.close());
  const toolError = await callAsTask(h.client, 'tasks_conformance_tool_error', { message: 'bad' });
  await toolTaskResult(h.client, toolError.taskId);
  const protocolError = await callAsTask(h.client, 'tasks_conformance_protocol_error', { code: -32050, message: 'nope' });
  await rejectsWithCode(taskResult(h.client, protocolError.taskId), -32050);
  const held = await callAsTask(h.client, 'tasks_conformance_hold', { holdMs: 600_000 });
  await cancelTask(h.client, held.taskId);
  await rejectsWithCode(taskResult(h.client, held.taskId), -32602);
  await h.support.settled(toolError.taskId);
  await h.support.settled(protocolError.taskId);
  await h.support.settled(held.taskId);
  const finished = (taskId: string) => eventsOf(events, taskId).find((e) => e.type === 'finished');
  assert.deepEqual(finished(toolError.taskId), { type: 'finished', taskId: toolError.taskId, scope: undefined, status: 'failed', outcome: 'result' });
  assert.deepEqual(finished(protocolError.taskId), { type: 'finished', taskId: protocolError.taskId, scope: undefined, status: 'failed', outcome: 'error' });
  assert.equal(finished(held.taskId), undefined); // cancelled: its work stores nothing
  const retrieved = (taskId: string) => eventsOf(events, taskId).find((e) => e.type === 'result-retrieved');
  assert.equal((retrieved(toolError.taskId) as { outcome: string }).outcome, 'result');
  assert.equal((retrieved(protocolError.taskId) as { outcome: string }).outcome, 'error');
  assert.equal((retrieved(held.taskId) as { outcome: string }).outcome, 'error');
  assert.deepEqual(
    eventsOf(events, held.taskId).map((e) => e.type),
    ['created', 'cancelled', 'result-retrieved'],
  );
});

test('R90c: lookups of unknown ids are reported with the method (get, result, cancel)', async (t) => {
  const events: TaskEvent[] = [];
  const h = await inMemory({ enable: { onTaskEvent: (event) => void events.push(event) }, authInfo: AUTH });
  t.after(() => h.close());
  await rejectsWithCode(getTask(h.client, 'no-such-task'), -32602);
  await rejectsWithCode(taskResult(h.client, 'no-such-task'), -32602);
  await rejectsWithCode(cancelTask(h.client, 'no-such-task'), -32602);
  assert.deepEqual(eventsOf(events, 'no-such-task'), [
    { type: 'unknown-task', taskId: 'no-such-task', scope: 'acme|user-1', method: 'tasks/get' },
    { type: 'unknown-task', taskId: 'no-such-task', scope: 'acme|user-1', method: 'tasks/result' },
    { type: 'unknown-task', taskId: 'no-such-task', scope: 'acme|user-1', method: 'tasks/cancel' },
  ]);
});

test('R90: a throwing or rejecting hook never breaks the runtime; both hooks (TaskSupport and server) are called', async (t) => {
  let supportCalls = 0;
  let serverCalls = 0;
  const support = TaskSupport.inMemory({
    onTaskEvent: () => {
      supportCalls += 1;
      throw new Error('audit sink down');
    },
  });
  const h = await inMemory({
    enable: {
      taskSupport: support,
      onTaskEvent: async () => {
        serverCalls += 1;
        throw new Error('async audit sink down');
      },
    },
  });
  t.after(async () => {
    await h.close();
    await support.close();
  });
  const task = await callAsTask(h.client, 'tasks_conformance_optional', { text: 'still works' });
  assert.equal(textOf(await toolTaskResult(h.client, task.taskId)), 'still works');
  await rejectsWithCode(getTask(h.client, 'unknown'), -32602);
  await support.settled(task.taskId);
  assert.ok(supportCalls >= 3);
  assert.equal(serverCalls, supportCalls);
  emitTaskEvent(undefined, { type: 'cancelled', taskId: 'x', scope: undefined, time: new Date().toISOString() }); // no hook: nothing
});
