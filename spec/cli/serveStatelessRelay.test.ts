/**
 * Stateless SSE mode: a task's progress (R61) and status notifications reach the requestor on the
 * `tasks/result` stream for that task, only its owner's (R85), never after it ended (R62).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  ElicitRequestSchema,
  ProgressNotificationSchema,
  TaskStatusNotificationSchema,
  type JSONRPCMessage,
  type JSONRPCNotification,
} from '@modelcontextprotocol/sdk/types.js';
import { TaskSupport } from '../../src/server/index.js';

import { MAX_BACKLOG, relayTaskNotifications, TaskStreams, TaskWatch } from '../../src/cli/serve/statelessRelay.js';
import {
  answeringClient,
  cancelTask,
  createTask,
  errorCode,
  getTask,
  httpClient,
  startServe,
  stopServe,
  taskResult,
  textOf,
  within,
  withServer,
} from './serveHelpers.js';

test('stateless (child process): progress with the request token arrives on the tasks/result stream (R61)', async () => {
  const serve = await startServe(['--port', '0', '--stateless']);
  try {
    const client = await httpClient(serve.url);
    const seen: Array<{ token: unknown; progress: number }> = [];
    client.setNotificationHandler(ProgressNotificationSchema, (n) => void seen.push({ token: n.params.progressToken, progress: n.params.progress }));
    const task = await createTask(client, 'tasks_conformance_progress', { steps: 3, delayMs: 400 }, { progressToken: 'stateless-1' });
    assert.equal(textOf(await taskResult(client, task.taskId)), 'done');
    assert.deepEqual(seen, [1, 2, 3].map((progress) => ({ token: 'stateless-1', progress })));
    await client.close();
  } finally {
    assert.equal(await stopServe(serve), 0);
  }
});

test('stateless: progress and status messages of demo_report reach the open tasks/result stream in order (R61)', async () => {
  await withServer({ stateless: true, demoAuth: true }, async (server) => {
    const client = await httpClient(server.url!, { token: 'heidi' });
    const events: string[] = [];
    client.setNotificationHandler(ProgressNotificationSchema, (n) => void events.push(`progress ${String(n.params.progressToken)} ${n.params.progress}/${n.params.total}`));
    client.setNotificationHandler(TaskStatusNotificationSchema, (n) => void events.push(`status ${n.params.status} ${n.params.statusMessage ?? ''}`));
    const task = await createTask(client, 'demo_report', { topic: 'tides', sections: 3, delayMs: 300 }, { progressToken: 7 });
    assert.match(textOf(await taskResult(client, task.taskId)), /## Section 3/);
    const progress = events.filter((e) => e.startsWith('progress'));
    assert.deepEqual(progress, ['progress 7 1/3', 'progress 7 2/3', 'progress 7 3/3']);
    for (const i of [1, 2, 3]) assert.ok(events.includes(`status working writing section ${i}/3`), events.join('\n'));
    // Progress i comes before the status message of section i.
    assert.ok(events.indexOf('progress 7 2/3') < events.indexOf('status working writing section 2/3'));
    await client.close();
  });
});

test('stateless: notifications sent while no stream was open wait for the owner\'s tasks/result; another requestor gets none (R85)', async () => {
  await withServer({ stateless: true, demoAuth: true }, async (server) => {
    const owner = await answeringClient(server.url!, { token: 'ivan' });
    const other = await httpClient(server.url!, { token: 'judy' });
    const ownerEvents: string[] = [];
    const otherEvents: string[] = [];
    owner.client.setNotificationHandler(TaskStatusNotificationSchema, (n) => void ownerEvents.push(`status ${n.params.status} ${n.params.statusMessage ?? ''}`));
    other.setNotificationHandler(TaskStatusNotificationSchema, (n) => void otherEvents.push(n.params.taskId));
    owner.client.setRequestHandler(ElicitRequestSchema, async () => {
      ownerEvents.push('elicitation');
      return { action: 'accept', content: { confirm: true } };
    });
    const task = await createTask(owner.client, 'demo_confirm', { action: 'launch' });
    // Poll (as a requestor would) until the task waits for input: its notifications had no stream.
    for (let i = 0; (await getTask(owner.client, task.taskId)).status !== 'input_required'; i++) assert.ok(i < 1000, 'never input_required');
    assert.equal(await errorCode(taskResult(other, task.taskId)), -32602);
    assert.equal(textOf(await taskResult(owner.client, task.taskId)), 'performed: launch');
    assert.deepEqual(ownerEvents.slice(0, 3), ['status working waiting for confirmation', 'status input_required waiting for confirmation', 'elicitation']);
    assert.deepEqual(otherEvents, []);
    await Promise.all([owner.client.close(), other.close()]);
  });
});

test('stateless: a task cancelled while nobody listens drops what was kept for it (R62)', async () => {
  await withServer({ stateless: true }, async (server) => {
    const client = await httpClient(server.url!);
    const seen: unknown[] = [];
    client.setNotificationHandler(ProgressNotificationSchema, (n) => void seen.push(n.params.progress));
    const task = await createTask(client, 'tasks_conformance_progress', { steps: 1000, delayMs: 5 }, { progressToken: 'dropped' });
    for (let i = 0; (await getTask(client, task.taskId)).statusMessage === undefined; i++) assert.ok(i < 1000, 'no progress made');
    assert.equal((await cancelTask(client, task.taskId)).status, 'cancelled');
    assert.equal(await errorCode(taskResult(client, task.taskId)), -32602);
    assert.deepEqual(seen, []);
    await client.close();
  });
});

/** A transport that records what is sent through it and lets the test deliver inbound messages. */
class RecordingTransport implements Transport {
  onmessage?: Transport['onmessage'];
  onclose?: () => void;
  onerror?: (error: Error) => void;
  readonly sent: Array<{ message: JSONRPCMessage; options: TransportSendOptions | undefined }> = [];
  async start(): Promise<void> {}
  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    this.sent.push({ message, options });
  }
  async close(): Promise<void> {
    this.onclose?.();
  }
  receive(message: JSONRPCMessage, authInfo?: { clientId: string }): void {
    this.onmessage?.(message, authInfo === undefined ? undefined : { authInfo: { token: authInfo.clientId, clientId: authInfo.clientId, scopes: [] } });
  }
}

const status = (taskId: string, statusMessage: string): JSONRPCNotification => ({
  jsonrpc: '2.0',
  method: 'notifications/tasks/status',
  params: { taskId, status: 'working', statusMessage },
});

test('TaskStreams: only the owner\'s streams get a task\'s notifications; the backlog is bounded, flushed once, dropped at the end', async () => {
  const streams = new TaskStreams();
  const got: string[] = [];
  const sink = (name: string) => async (message: JSONRPCNotification) => void got.push(`${name}:${String((message.params as { statusMessage?: string }).statusMessage)}`);
  streams.deliver('unknown', status('unknown', 'x'));
  assert.deepEqual(streams.size, { tasks: 0, backlogs: 0 });
  streams.created('t1', 'alice');
  for (let i = 0; i < MAX_BACKLOG + 3; i++) streams.deliver('t1', status('t1', `m${i}`));
  assert.deepEqual(streams.size, { tasks: 1, backlogs: 1 });
  const closeBob = streams.open('t1', 'bob', sink('bob'));
  assert.equal(got.length, 0);
  const closeAlice = streams.open('t1', 'alice', sink('alice'));
  await Promise.resolve();
  assert.equal(got.length, MAX_BACKLOG);
  assert.equal(got[0], 'alice:m3');
  streams.deliver('t1', status('t1', 'live'));
  assert.equal(got.at(-1), 'alice:live');
  assert.ok(!got.some((g) => g.startsWith('bob')));
  closeAlice();
  closeBob();
  closeBob();
  streams.deliver('t1', status('t1', 'later'));
  assert.deepEqual(streams.size, { tasks: 1, backlogs: 1 });
  streams.ended('t1');
  assert.deepEqual(streams.size, { tasks: 0, backlogs: 0 });
  // A failing stream does not stop delivery.
  streams.created('t2', undefined);
  streams.open('t2', undefined, async () => Promise.reject(new Error('gone')));
  streams.deliver('t2', status('t2', 'y'));
});

test('relayTaskNotifications: learns tasks and tokens from tools/call, routes server-level notifications, passes everything else', async () => {
  const streams = new TaskStreams();
  const created: string[] = [];
  const creator = new RecordingTransport();
  const wrapped = relayTaskNotifications(creator, streams, { scopeOf: (extra) => extra?.authInfo?.clientId, created: (id) => created.push(id) });
  const inbound: JSONRPCMessage[] = [];
  wrapped.onmessage = (message) => void inbound.push(message);
  creator.receive({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'x', task: {}, _meta: { progressToken: 'tok' } } }, { clientId: 'kim' });
  creator.receive({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'y', task: {} } }, { clientId: 'kim' });
  creator.receive({ jsonrpc: '2.0', method: 'notifications/initialized' });
  assert.equal(inbound.length, 3);
  // The work starts before the CreateTaskResult goes out: its first notifications wait for it.
  await wrapped.send({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 'tok', progress: 0 } });
  await wrapped.send(status('T1', 'early'));
  assert.equal(creator.sent.length, 0);
  await wrapped.send({ jsonrpc: '2.0', id: 1, result: { task: { taskId: 'T1' } } });
  await wrapped.send({ jsonrpc: '2.0', id: 2, error: { code: -32601, message: 'no' } });
  await wrapped.send({ jsonrpc: '2.0', id: 3, result: {} });
  assert.deepEqual(created, ['T1']);
  // A tasks/result stream of the owner on another server.
  const reader = new RecordingTransport();
  const readerWrapped = relayTaskNotifications(reader, streams, { scopeOf: (extra) => extra?.authInfo?.clientId, created: () => undefined });
  readerWrapped.onmessage = () => undefined;
  reader.receive({ jsonrpc: '2.0', id: 9, method: 'tasks/result', params: { taskId: 'T1' } }, { clientId: 'kim' });
  reader.receive({ jsonrpc: '2.0', id: 9, method: 'tasks/result', params: { taskId: 'T1' } }, { clientId: 'kim' });
  await wrapped.send({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 'tok', progress: 1 } });
  await wrapped.send({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 'other', progress: 1 } });
  await wrapped.send({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 'tok', progress: 2 } }, { relatedRequestId: 1 });
  await wrapped.send(status('T1', 'hello'));
  await wrapped.send({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'x' } });
  assert.deepEqual(
    reader.sent.map((s) => [s.message, s.options?.relatedRequestId]),
    [
      [{ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 'tok', progress: 0 } }, 9],
      [status('T1', 'early'), 9],
      [{ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 'tok', progress: 1 } }, 9],
      [status('T1', 'hello'), 9],
    ],
  );
  assert.deepEqual(
    creator.sent.slice(3).map((s) => ('method' in s.message ? s.message.method : 'response')),
    ['notifications/progress', 'notifications/progress', 'notifications/message'],
  );
  // The tasks/result response closes the stream; later notifications wait in the backlog.
  await readerWrapped.send({ jsonrpc: '2.0', id: 9, result: {} });
  await wrapped.send(status('T1', 'after'));
  assert.equal(reader.sent.length, 5);
  assert.deepEqual(streams.size, { tasks: 1, backlogs: 1 });
  // Closing a transport closes its open streams.
  reader.receive({ jsonrpc: '2.0', id: 10, method: 'tasks/result', params: { taskId: 'T1' } }, { clientId: 'kim' });
  assert.equal(reader.sent.length, 6);
  await reader.close();
  await wrapped.send(status('T1', 'closed'));
  assert.equal(reader.sent.length, 6);
});

test('TaskWatch: ends when each task is terminal or gone; stop() ends the watch at once', async () => {
  const support = TaskSupport.inMemory();
  const store = support.store;
  const ended: string[] = [];
  const watch = new TaskWatch(support, (id) => ended.push(id));
  const a = await store.createTask({ ttl: 60_000 }, 1, { method: 'tools/call' }, undefined);
  const b = await store.createTask({ ttl: 60_000 }, 2, { method: 'tools/call' }, undefined);
  watch.add(a.taskId);
  watch.add(b.taskId);
  watch.add('missing');
  await store.updateTask(a.taskId, { statusMessage: 'busy' }, undefined);
  await store.finishTask(a.taskId, { status: 'completed', outcome: { kind: 'result', result: { content: [] } } }, undefined);
  await store.deleteTask(b.taskId, undefined);
  await within(watch.settled(), 5_000, 'watch did not settle');
  assert.deepEqual(ended.sort(), [a.taskId, b.taskId, 'missing'].sort());
  const stopped = new TaskWatch(support, () => undefined);
  const c = await store.createTask({ ttl: 60_000 }, 3, { method: 'tools/call' }, undefined);
  stopped.add(c.taskId);
  stopped.stop();
  await within(stopped.settled(), 5_000, 'stopped watch did not settle');
  assert.equal(support.watchingCount, 0);
  await support.close();
});
