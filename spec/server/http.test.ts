/**
 * The runtime over Streamable HTTP on 127.0.0.1 with the SDK's real Client and transports: SSE and
 * JSON-response mode, one Server per session sharing one TaskSupport, scope per session and per
 * authorization context.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CallToolResultSchema, CreateTaskResultSchema, RELATED_TASK_META_KEY, type Notification, type Task } from '@modelcontextprotocol/sdk/types.js';
import { Resolver } from '../support/resolver.js';
import { callAsTask, cancelTask, getTask, http, listTasks, rejectsWithCode, taskResult, textOf, toolTaskResult } from './harness.js';

const isStatus = (taskId: string, status: string) => (n: Notification) =>
  n.method === 'notifications/tasks/status' && (n.params as Task).taskId === taskId && (n.params as Task).status === status;

for (const jsonResponse of [false, true]) {
  const mode = jsonResponse ? 'JSON-response mode' : 'SSE mode';
  const sideChannel = jsonResponse ? 'standalone-stream' : 'request-stream';

  test(`R48 R51 R57 (HTTP, ${mode}): task result and status notifications reach the SDK client`, async (t) => {
    const server = await http({ jsonResponse });
    t.after(() => server.close());
    const conn = await server.connect();
    const task = await callAsTask(conn.client, 'tasks_conformance_optional', { text: 'over http', delayMs: 20 });
    const result = await toolTaskResult(conn.client, task.taskId);
    assert.equal(textOf(result), 'over http');
    assert.deepEqual(result._meta?.[RELATED_TASK_META_KEY], { taskId: task.taskId });
    await conn.nextNotification(isStatus(task.taskId, 'completed'));
  });

  test(`R61 (HTTP, ${mode}): progress after CreateTaskResult reaches the SDK client`, async (t) => {
    const server = await http({ jsonResponse });
    t.after(() => server.close());
    const conn = await server.connect();
    const progress: number[] = [];
    const allProgress = new Resolver<void>();
    const created = await conn.client.request(
      { method: 'tools/call', params: { name: 'tasks_conformance_progress', arguments: { steps: 3, delayMs: 20 }, task: {} } },
      CreateTaskResultSchema,
      {
        onprogress: (p) => {
          progress.push(p.progress);
          if (progress.length === 3) allProgress.setResult();
        },
      },
    );
    await toolTaskResult(conn.client, created.task.taskId);
    await allProgress.wait();
    assert.deepEqual(progress, [1, 2, 3]);
  });

  test(`R29 R30 R32 F4 (HTTP, ${mode}, sideChannel ${sideChannel}): elicitation inside a task is delivered and answered`, async (t) => {
    const server = await http({ jsonResponse, enable: { sideChannel } });
    t.after(() => server.close());
    let meta: unknown;
    const conn = await server.connect({
      elicit: (request) => {
        meta = request.params._meta?.[RELATED_TASK_META_KEY];
        return { action: 'accept', content: { confirm: true } };
      },
    });
    const task = await callAsTask(conn.client, 'tasks_conformance_elicit', { message: 'http?' });
    assert.equal(textOf(await toolTaskResult(conn.client, task.taskId)), 'confirmed: true');
    assert.deepEqual(meta, { taskId: task.taskId });
    await conn.nextNotification(isStatus(task.taskId, 'completed'));
  });

  test(`R31 (HTTP, ${mode}): interop with the SDK callToolStream on a tool that elicits`, async (t) => {
    const server = await http({ jsonResponse, enable: { sideChannel } });
    t.after(() => server.close());
    const conn = await server.connect();
    await conn.client.listTools();
    let final: unknown;
    for await (const message of conn.client.experimental.tasks.callToolStream(
      { name: 'tasks_conformance_elicit', arguments: { message: 'stream?' } },
      CallToolResultSchema,
    )) {
      if (message.type === 'result') final = message.result;
      if (message.type === 'error') throw message.error;
    }
    assert.equal(textOf(final), 'confirmed: true');
  });

  test(`R10 R13 F1 (HTTP, ${mode}): negotiation mismatches are JSON-RPC -32601 errors`, async (t) => {
    const server = await http({ jsonResponse });
    t.after(() => server.close());
    const conn = await server.connect();
    await rejectsWithCode(callAsTask(conn.client, 'tasks_conformance_forbidden', { text: 'x' }), -32601);
    await rejectsWithCode(
      conn.client.request({ method: 'tools/call', params: { name: 'tasks_conformance_required', arguments: { text: 'x' } } }, CallToolResultSchema),
      -32601,
    );
    assert.equal(textOf(await conn.client.callTool({ name: 'tasks_conformance_optional', arguments: { text: 'sync' } })), 'sync');
  });

  test(`R49 (HTTP, ${mode}): concurrent tasks/result calls each get the result; the elicitation is delivered once`, async (t) => {
    const server = await http({ jsonResponse, enable: { sideChannel } });
    t.after(() => server.close());
    let asked = 0;
    const conn = await server.connect({ elicit: () => ((asked += 1), { action: 'accept', content: { confirm: true } }) });
    const task = await callAsTask(conn.client, 'tasks_conformance_elicit', { message: 'once' });
    const texts = await Promise.all([1, 2, 3].map(() => toolTaskResult(conn.client, task.taskId).then(textOf)));
    assert.deepEqual(texts, ['confirmed: true', 'confirmed: true', 'confirmed: true']);
    assert.equal(asked, 1);
  });

  test(`R29 R30 (HTTP, ${mode}): sampling inside a task`, async (t) => {
    const server = await http({ jsonResponse, enable: { sideChannel } });
    t.after(() => server.close());
    const conn = await server.connect();
    const task = await callAsTask(conn.client, 'tasks_conformance_sample', { prompt: 'hi' });
    assert.equal(textOf(await toolTaskResult(conn.client, task.taskId)), 'sampled reply');
  });

  test(`R71 (HTTP, ${mode}): cancel while input_required`, async (t) => {
    const server = await http({ jsonResponse, enable: { sideChannel } });
    const asked = new Resolver<void>();
    const answer = new Resolver<void>();
    t.after(async () => {
      if (!answer.done()) answer.setResult();
      await server.close();
    });
    const conn = await server.connect({
      elicit: async () => {
        asked.setResult();
        await answer.wait();
        return { action: 'accept', content: { confirm: true } };
      },
    });
    const task = await callAsTask(conn.client, 'tasks_conformance_elicit', { message: 'cancel me' });
    const pending = taskResult(conn.client, task.taskId);
    await asked.wait();
    assert.equal((await getTask(conn.client, task.taskId)).status, 'input_required');
    assert.equal((await cancelTask(conn.client, task.taskId)).status, 'cancelled');
    const error = await rejectsWithCode(pending, -32602);
    assert.deepEqual(error.data, { taskId: task.taskId, status: 'cancelled' });
    await conn.nextNotification(isStatus(task.taskId, 'cancelled'));
  });
}

test('F4 (HTTP, JSON-response mode, sideChannel request-stream): the undeliverable elicitation fails the task clearly, never silently', async (t) => {
  const server = await http({ jsonResponse: true, enable: { sideChannel: 'request-stream', sideChannelTimeout: 100 } });
  t.after(() => server.close());
  let asked = 0;
  const conn = await server.connect({ elicit: () => ((asked += 1), { action: 'accept', content: { confirm: true } }) });
  const task = await callAsTask(conn.client, 'tasks_conformance_elicit', { message: 'lost?' });
  const error = await rejectsWithCode(taskResult(conn.client, task.taskId), -32001);
  assert.match(error.message, /not answered within 100 ms/);
  assert.equal(asked, 0, 'the SDK transport dropped it (F4); the task was told');
  assert.equal((await getTask(conn.client, task.taskId)).status, 'failed');
});

test('R82 R85 R70: tasks are bound to the session: another session gets the same -32602 as for an unknown id', async (t) => {
  const server = await http();
  t.after(() => server.close());
  const a = await server.connect();
  const b = await server.connect();
  const task = await callAsTask(a.client, 'tasks_conformance_hold', { holdMs: 600_000 });
  const unknown = 'f'.repeat(32);
  const foreign = await rejectsWithCode(getTask(b.client, task.taskId), -32602);
  const missing = await rejectsWithCode(getTask(b.client, unknown), -32602);
  assert.equal(foreign.message, missing.message);
  await rejectsWithCode(taskResult(b.client, task.taskId), -32602);
  await rejectsWithCode(cancelTask(b.client, task.taskId), -32602);
  assert.deepEqual((await listTasks(b.client)).tasks, []);
  assert.deepEqual((await listTasks(a.client)).tasks.map((x) => x.taskId), [task.taskId]);
  assert.equal((await getTask(a.client, task.taskId)).status, 'working');
  await cancelTask(a.client, task.taskId);
});

test('R82 R85 R86: with authorization, tasks follow the principal across sessions and are invisible to others', async (t) => {
  const server = await http();
  t.after(() => server.close());
  const alice1 = await server.connect(undefined, { token: 'alice' });
  const alice2 = await server.connect(undefined, { token: 'alice' });
  const bob = await server.connect(undefined, { token: 'bob' });
  const task = await callAsTask(alice1.client, 'tasks_conformance_optional', { text: 'mine' });
  assert.equal(textOf(await toolTaskResult(alice2.client, task.taskId)), 'mine');
  assert.deepEqual((await listTasks(alice2.client)).tasks.map((x) => x.taskId), [task.taskId]);
  await rejectsWithCode(getTask(bob.client, task.taskId), -32602);
  await rejectsWithCode(taskResult(bob.client, task.taskId), -32602);
  assert.deepEqual((await listTasks(bob.client)).tasks, []);
});

test('R86 R87: an anonymous requestor over HTTP (no session, no authorization) gets an empty tasks/list', async (t) => {
  const server = await http({ enable: { scope: () => undefined } });
  t.after(() => server.close());
  const conn = await server.connect();
  const task = await callAsTask(conn.client, 'tasks_conformance_optional', { text: 'anon' });
  assert.equal(textOf(await toolTaskResult(conn.client, task.taskId)), 'anon');
  assert.deepEqual((await listTasks(conn.client)).tasks, []);
});
