/**
 * Task lifecycle over InMemoryTransport with the SDK's real Client: capability, creation, results,
 * errors, lookups.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { RELATED_TASK_META_KEY, type Notification, type Task } from '@modelcontextprotocol/sdk/types.js';
import { enableTasks, TaskServer, TaskSupport } from '../../src/server/index.js';
import {
  callAsTask,
  cancelTask,
  getTask,
  inMemory,
  listTasks,
  rejectsWithCode,
  taskResult,
  textOf,
  toolTaskResult,
} from './harness.js';

const isStatus = (taskId: string, status: string) => (n: Notification) =>
  n.method === 'notifications/tasks/status' && (n.params as Task | undefined)?.taskId === taskId && (n.params as Task).status === status;

test('R1 R2 R87: enableTasks declares tasks.requests.tools.call, tasks.cancel and tasks.list', async (t) => {
  const h = await inMemory();
  t.after(() => h.close());
  assert.deepEqual(h.client.getServerCapabilities()?.tasks, { list: {}, cancel: {}, requests: { tools: { call: {} } } });
});

test('R87: list: false does not declare tasks.list and tasks/list is not served', async (t) => {
  const h = await inMemory({ enable: { list: false } });
  t.after(() => h.close());
  assert.deepEqual(h.client.getServerCapabilities()?.tasks, { cancel: {}, requests: { tools: { call: {} } } });
  await rejectsWithCode(listTasks(h.client), -32601);
});

test('R1: enableTasks twice, or after connect, is a clear error', async (t) => {
  const h = await inMemory();
  t.after(() => h.close());
  assert.throws(() => enableTasks(h.server), /already enabled/);
  const connected = new Server({ name: 's', version: '1' }, { capabilities: {} });
  const other = await inMemory({ fixtures: false });
  t.after(() => other.close());
  assert.throws(() => enableTasks(other.server), /already enabled/);
  // a server that is connected but has no tasks yet
  const { InMemoryTransport } = await import('@modelcontextprotocol/sdk/inMemory.js');
  const [, serverSide] = InMemoryTransport.createLinkedPair();
  await connected.connect(serverSide);
  t.after(() => connected.close());
  assert.throws(() => enableTasks(connected), /before connect/);
});

test('R1: TaskServer offers server.experimental.enableTasks(options?)', async (t) => {
  const support = TaskSupport.inMemory();
  t.after(() => support.close());
  const server = new TaskServer({ name: 'ts', version: '1' }, { capabilities: {} });
  assert.equal(server.experimental.serverTasks, undefined);
  const tasks = server.experimental.enableTasks({ taskSupport: support });
  assert.equal(server.experimental.serverTasks, tasks);
  assert.equal(tasks.taskSupport, support);
  assert.ok(server.experimental.tasks, 'the SDK experimental API stays available');
  assert.throws(() => server.experimental.enableTasks(), /already enabled/);
});

test('R15 R16 R26 R41 R43: a task-augmented call returns CreateTaskResult in working at once, ttl and pollInterval set', async (t) => {
  const h = await inMemory({ enable: { pollInterval: 250 } });
  t.after(() => h.close());
  const task = await callAsTask(h.client, 'tasks_conformance_hold', { holdMs: 60_000 }, { ttl: 30_000 });
  assert.equal(task.status, 'working');
  assert.equal(task.ttl, 30_000);
  assert.equal(task.pollInterval, 250);
  assert.match(task.taskId, /^[0-9a-f]{32}$/);
  const got = await getTask(h.client, task.taskId);
  assert.equal(got.status, 'working');
  assert.equal(got.ttl, 30_000);
  await cancelTask(h.client, task.taskId);
});

test('R48 R49 R51: tasks/result blocks until completed and returns the result with related-task _meta', async (t) => {
  const h = await inMemory();
  t.after(() => h.close());
  const task = await callAsTask(h.client, 'tasks_conformance_optional', { text: 'hello', delayMs: 20 });
  const result = await toolTaskResult(h.client, task.taskId);
  assert.equal(textOf(result), 'hello');
  assert.deepEqual(result._meta?.[RELATED_TASK_META_KEY], { taskId: task.taskId });
  assert.equal((await getTask(h.client, task.taskId)).status, 'completed');
  // again, once terminal: the same answer
  assert.equal(textOf(await toolTaskResult(h.client, task.taskId)), 'hello');
});

test('R11: an optional tool without task runs directly and returns a plain CallToolResult', async (t) => {
  const h = await inMemory();
  t.after(() => h.close());
  const result = await h.client.callTool({ name: 'tasks_conformance_optional', arguments: { text: 'direct' } });
  assert.equal(textOf(result), 'direct');
  assert.equal((result as { task?: unknown }).task, undefined);
});

test('R80 R50: isError: true makes the task failed, and tasks/result returns that result as a success', async (t) => {
  const h = await inMemory();
  t.after(() => h.close());
  const task = await callAsTask(h.client, 'tasks_conformance_tool_error', { message: 'bad thing' });
  const result = await toolTaskResult(h.client, task.taskId);
  assert.equal(result.isError, true);
  assert.equal(textOf(result), 'bad thing');
  const got = await getTask(h.client, task.taskId);
  assert.equal(got.status, 'failed');
  assert.match(got.statusMessage ?? '', /bad thing/);
});

test('R50 R81: a thrown JSON-RPC error makes the task failed; tasks/result returns the same code, message and data', async (t) => {
  const h = await inMemory();
  t.after(() => h.close());
  const task = await callAsTask(h.client, 'tasks_conformance_protocol_error', { code: -32042, message: 'custom failure' });
  const error = await rejectsWithCode(taskResult(h.client, task.taskId), -32042);
  assert.match(error.message, /custom failure$/);
  assert.deepEqual(error.data, { fixture: true });
  const got = await getTask(h.client, task.taskId);
  assert.equal(got.status, 'failed');
  assert.equal(got.statusMessage, 'custom failure');
  // the same call without task gives the same JSON-RPC error
  const direct = await rejectsWithCode(
    h.client.callTool({ name: 'tasks_conformance_protocol_error', arguments: { code: -32042, message: 'custom failure' } }),
    -32042,
  );
  assert.deepEqual(direct.data, { fixture: true });
});

test('R81 R76: any other throw makes the task failed with -32603 and a statusMessage', async (t) => {
  const h = await inMemory({
    setup: (tasks) =>
      tasks.registerTool(
        { name: 'boom', inputSchema: { type: 'object' }, execution: { taskSupport: 'required' } },
        async () => {
          throw new Error('kaboom');
        },
      ),
  });
  t.after(() => h.close());
  const task = await callAsTask(h.client, 'boom', {});
  const error = await rejectsWithCode(taskResult(h.client, task.taskId), -32603);
  assert.match(error.message, /kaboom/);
  const got = await getTask(h.client, task.taskId);
  assert.equal(got.status, 'failed');
  assert.match(got.statusMessage ?? '', /kaboom/);
});

test('R50: a tool result that is not a CallToolResult fails the task with -32602', async (t) => {
  const h = await inMemory({
    setup: (tasks) =>
      tasks.registerTool(
        { name: 'malformed', inputSchema: { type: 'object' }, execution: { taskSupport: 'required' } },
        async () => ({ content: 'not an array' }) as never,
      ),
  });
  t.after(() => h.close());
  const task = await callAsTask(h.client, 'malformed', {});
  await rejectsWithCode(taskResult(h.client, task.taskId), -32602);
  assert.equal((await getTask(h.client, task.taskId)).status, 'failed');
});

test('R70: unknown task ids get -32602 from tasks/get, tasks/result and tasks/cancel', async (t) => {
  const h = await inMemory();
  t.after(() => h.close());
  const unknown = '0'.repeat(32);
  await rejectsWithCode(getTask(h.client, unknown), -32602);
  await rejectsWithCode(taskResult(h.client, unknown), -32602);
  await rejectsWithCode(cancelTask(h.client, unknown), -32602);
});

test('R63 R66 R68: tasks/list lists the tasks tasks/get can retrieve, paginated', async (t) => {
  const support = TaskSupport.inMemory({ pageSize: 2 });
  const h = await inMemory({ enable: { taskSupport: support } });
  t.after(async () => {
    await h.close();
    await support.close();
  });
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) ids.push((await callAsTask(h.client, 'tasks_conformance_optional', { text: `t${i}` })).taskId);
  const first = await listTasks(h.client);
  assert.equal(first.tasks.length, 2);
  assert.ok(first.nextCursor);
  const second = await listTasks(h.client, first.nextCursor);
  assert.deepEqual([...first.tasks, ...second.tasks].map((task) => task.taskId), ids);
  assert.equal(second.nextCursor, undefined);
  await rejectsWithCode(listTasks(h.client, 'bogus'), -32602);
});

test('R57 R60: notifications/tasks/status with the full task, no related-task _meta, on changes to terminal', async (t) => {
  const h = await inMemory();
  t.after(() => h.close());
  const task = await callAsTask(h.client, 'tasks_conformance_optional', { text: 'x', delayMs: 5 });
  const done = await h.nextNotification(isStatus(task.taskId, 'completed'));
  const params = done.params as Task & { _meta?: Record<string, unknown> };
  assert.equal(params.taskId, task.taskId);
  assert.equal(typeof params.createdAt, 'string');
  assert.equal(typeof params.lastUpdatedAt, 'string');
  assert.ok('ttl' in params);
  assert.equal(params._meta?.[RELATED_TASK_META_KEY], undefined);
});

test('R94: malformed params of tasks/* and tools/call get -32602 with a readable message, not -32603', async (t) => {
  const h = await inMemory();
  t.after(() => h.close());
  const { z } = await import('zod');
  const any = z.looseObject({});
  for (const method of ['tasks/get', 'tasks/result', 'tasks/cancel'] as const) {
    const error = await rejectsWithCode(h.client.request({ method, params: { taskId: 5 } } as never, any), -32602);
    assert.match(error.message, new RegExp(`Invalid params for ${method}`));
  }
  await rejectsWithCode(h.client.request({ method: 'tasks/list', params: { cursor: 7 } } as never, any), -32602);
  await rejectsWithCode(h.client.request({ method: 'tools/call', params: { name: 'tasks_conformance_optional', arguments: [], task: {} } } as never, any), -32602);
  await rejectsWithCode(h.client.request({ method: 'tools/call', params: { name: 'tasks_conformance_optional', arguments: {}, task: 'x' } } as never, any), -32602);
});
