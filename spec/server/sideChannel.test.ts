/**
 * Side-channel requests from inside a task (elicitation, sampling) delivered by tasks/result, over
 * InMemoryTransport with the SDK's real Client.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CallToolResultSchema, McpError, RELATED_TASK_META_KEY, type ElicitRequest, type Notification, type Task } from '@modelcontextprotocol/sdk/types.js';
import { Resolver } from '../support/resolver.js';
import { TaskSupport } from '../../src/server/index.js';
import { callAsTask, cancelTask, getTask, inMemory, rejectsWithCode, taskResult, textOf, toolTaskResult } from './harness.js';

const statusesOf = (notifications: Notification[], taskId: string) =>
  notifications
    .filter((n) => n.method === 'notifications/tasks/status' && (n.params as Task).taskId === taskId)
    .map((n) => (n.params as Task).status);

test('R29 R30 R32 F2: elicit queues a request with related-task _meta, input_required while unanswered, then working and completed', async (t) => {
  const answer = new Resolver<void>();
  const received: ElicitRequest[] = [];
  const asked = new Resolver<void>();
  const h = await inMemory({
    answers: {
      elicit: async (request) => {
        received.push(request);
        asked.setResult();
        await answer.wait();
        return { action: 'accept', content: { confirm: true } };
      },
    },
  });
  t.after(() => h.close());
  const task = await callAsTask(h.client, 'tasks_conformance_elicit', { message: 'Proceed?' });
  const pending = toolTaskResult(h.client, task.taskId);
  await asked.wait();
  assert.equal((await getTask(h.client, task.taskId)).status, 'input_required');
  assert.equal(received.length, 1);
  const request = received[0]!;
  assert.equal(request.params.message, 'Proceed?');
  assert.deepEqual(request.params._meta?.[RELATED_TASK_META_KEY], { taskId: task.taskId });
  assert.deepEqual((request.params as { requestedSchema: { required?: string[] } }).requestedSchema.required, ['confirm']);
  answer.setResult();
  const result = await pending;
  assert.equal(textOf(result), 'confirmed: true');
  await h.nextNotification((n) => n.method === 'notifications/tasks/status' && (n.params as Task).status === 'completed');
  assert.deepEqual(statusesOf(h.notifications, task.taskId), ['input_required', 'working', 'completed']);
});

test('R32: decline and cancel answers reach the task', async (t) => {
  let action: 'decline' | 'cancel' = 'decline';
  const h = await inMemory({ answers: { elicit: () => ({ action }) } });
  t.after(() => h.close());
  const declined = await callAsTask(h.client, 'tasks_conformance_elicit', { message: 'm' });
  assert.equal(textOf(await toolTaskResult(h.client, declined.taskId)), 'declined');
  action = 'cancel';
  const cancelled = await callAsTask(h.client, 'tasks_conformance_elicit', { message: 'm' });
  assert.equal(textOf(await toolTaskResult(h.client, cancelled.taskId)), 'cancelled');
});

test('R29 R30: createMessage queues sampling/createMessage with related-task _meta and returns the reply', async (t) => {
  const seen: unknown[] = [];
  const h = await inMemory({
    answers: {
      sample: (request) => {
        seen.push(request.params);
        return { role: 'assistant', model: 'm', content: { type: 'text', text: `echo ${(request.params.messages[0]!.content as { text: string }).text}` } };
      },
    },
  });
  t.after(() => h.close());
  const task = await callAsTask(h.client, 'tasks_conformance_sample', { prompt: 'hi' });
  assert.equal(textOf(await toolTaskResult(h.client, task.taskId)), 'echo hi');
  const params = seen[0] as { maxTokens: number; _meta: Record<string, unknown> };
  assert.equal(params.maxTokens, 64);
  assert.deepEqual(params._meta[RELATED_TASK_META_KEY], { taskId: task.taskId });
});

test('R31: interop with the SDK client.experimental.tasks.callToolStream on a tool that elicits inside a task', async (t) => {
  const h = await inMemory();
  t.after(() => h.close());
  await h.client.listTools();
  const kinds: string[] = [];
  let final: unknown;
  for await (const message of h.client.experimental.tasks.callToolStream(
    { name: 'tasks_conformance_elicit', arguments: { message: 'ok?' } },
    CallToolResultSchema,
  )) {
    kinds.push(message.type);
    if (message.type === 'result') final = message.result;
    if (message.type === 'error') throw message.error;
  }
  assert.equal(kinds[0], 'taskCreated');
  assert.equal(kinds.at(-1), 'result');
  assert.equal(textOf(final), 'confirmed: true');
});

test('R49: concurrent tasks/result calls for one task are safe: each side-channel request is delivered once, all get the result', async (t) => {
  let asked = 0;
  const answer = new Resolver<void>();
  const h = await inMemory({
    answers: {
      elicit: async () => {
        asked += 1;
        await answer.wait();
        return { action: 'accept', content: { confirm: false } };
      },
    },
  });
  t.after(() => h.close());
  const task = await callAsTask(h.client, 'tasks_conformance_elicit', { message: 'once?' });
  const results = [toolTaskResult(h.client, task.taskId), toolTaskResult(h.client, task.taskId), toolTaskResult(h.client, task.taskId)];
  await h.nextNotification((n) => n.method === 'notifications/tasks/status' && (n.params as Task).status === 'input_required');
  answer.setResult();
  const texts = (await Promise.all(results)).map(textOf);
  assert.deepEqual(texts, ['confirmed: false', 'confirmed: false', 'confirmed: false']);
  assert.equal(asked, 1);
});

test('R71 G3: cancel while input_required: cancelled at once, tasks/result answers -32602 with data { taskId, status }', async (t) => {
  const asked = new Resolver<void>();
  const answer = new Resolver<void>();
  const h = await inMemory({
    answers: {
      elicit: async () => {
        asked.setResult();
        await answer.wait();
        return { action: 'accept', content: { confirm: true } };
      },
    },
  });
  t.after(async () => {
    if (!answer.done()) answer.setResult();
    await h.close();
  });
  const task = await callAsTask(h.client, 'tasks_conformance_elicit', { message: 'wait' });
  const pending = taskResult(h.client, task.taskId);
  await asked.wait();
  const cancelled = await cancelTask(h.client, task.taskId);
  assert.equal(cancelled.status, 'cancelled');
  const error = await rejectsWithCode(pending, -32602);
  assert.deepEqual(error.data, { taskId: task.taskId, status: 'cancelled' });
  assert.equal((await getTask(h.client, task.taskId)).status, 'cancelled');
  // the late answer changes nothing
  answer.setResult();
  await rejectsWithCode(taskResult(h.client, task.taskId), -32602);
  assert.equal((await getTask(h.client, task.taskId)).status, 'cancelled');
});

test('R71: cancel while input_required before any tasks/result: the queued request is never delivered', async (t) => {
  let asked = 0;
  const h = await inMemory({ answers: { elicit: () => ((asked += 1), { action: 'accept', content: { confirm: true } }) } });
  t.after(() => h.close());
  const task = await callAsTask(h.client, 'tasks_conformance_elicit', { message: 'never' });
  await h.nextNotification((n) => n.method === 'notifications/tasks/status' && (n.params as Task).status === 'input_required');
  await cancelTask(h.client, task.taskId);
  await rejectsWithCode(taskResult(h.client, task.taskId), -32602);
  assert.equal(asked, 0);
});

test('G15: cancelling the tasks/result request does not cancel the task', async (t) => {
  const h = await inMemory();
  t.after(() => h.close());
  const task = await callAsTask(h.client, 'tasks_conformance_optional', { text: 'survives', delayMs: 100 });
  const controller = new AbortController();
  const pending = taskResult(h.client, task.taskId, { signal: controller.signal });
  controller.abort(new Error('requestor gave up'));
  await assert.rejects(pending);
  assert.notEqual((await getTask(h.client, task.taskId)).status, 'cancelled');
  assert.equal(textOf(await toolTaskResult(h.client, task.taskId)), 'survives');
});

test('R29: without the client elicitation capability, elicit fails clearly (-32600) and the task fails', async (t) => {
  const h = await inMemory({ clientOptions: { capabilities: {} } });
  t.after(() => h.close());
  const task = await callAsTask(h.client, 'tasks_conformance_elicit', { message: 'no' });
  const error = await rejectsWithCode(taskResult(h.client, task.taskId), -32600);
  assert.match(error.message, /does not support elicitation/);
  assert.equal((await getTask(h.client, task.taskId)).status, 'failed');
  const sample = await callAsTask(h.client, 'tasks_conformance_sample', { prompt: 'no' });
  await rejectsWithCode(taskResult(h.client, sample.taskId), -32600);
});

test('F4: a side-channel request nobody answers fails the task elicit with a clear error after sideChannelTimeout', async (t) => {
  const never = new Resolver<void>();
  const h = await inMemory({
    enable: { sideChannelTimeout: 50 },
    answers: {
      elicit: async () => {
        await never.wait();
        return { action: 'cancel' };
      },
    },
  });
  t.after(async () => {
    never.setResult();
    await h.close();
  });
  const task = await callAsTask(h.client, 'tasks_conformance_elicit', { message: 'silence' });
  const error = await rejectsWithCode(taskResult(h.client, task.taskId), -32001);
  assert.match(error.message, /was not answered within 50 ms/);
  assert.equal((await getTask(h.client, task.taskId)).status, 'failed');
});

test('R50: an error answer from the client reaches the task, and tasks/result returns the error the work threw', async (t) => {
  const h = await inMemory({
    answers: {
      elicit: () => {
        throw new McpError(-32050, 'user agent refused');
      },
    },
  });
  t.after(() => h.close());
  const task = await callAsTask(h.client, 'tasks_conformance_elicit', { message: 'x' });
  const error = await rejectsWithCode(taskResult(h.client, task.taskId), -32050);
  assert.match(error.message, /user agent refused/);
});

test('R29 R32: two concurrent elicitations in one task: input_required until both are answered', async (t) => {
  const answers: Resolver<void>[] = [new Resolver(), new Resolver()];
  let n = 0;
  const bothAsked = new Resolver<void>();
  const h = await inMemory({
    answers: {
      elicit: async () => {
        const mine = answers[n++]!;
        if (n === 2) bothAsked.setResult();
        await mine.wait();
        return { action: 'accept', content: { confirm: true } };
      },
    },
    setup: (tasks) =>
      tasks.registerTool(
        { name: 'twice', inputSchema: { type: 'object' }, execution: { taskSupport: 'required' } },
        async (_args, ctx) => {
          const [a, b] = await Promise.all([
            ctx.elicit('a', { type: 'object', properties: {} }),
            ctx.elicit('b', { type: 'object', properties: {} }),
          ]);
          return { content: [{ type: 'text', text: `${a.action}/${b.action}` }] };
        },
      ),
  });
  t.after(() => h.close());
  const task = await callAsTask(h.client, 'twice', {});
  const pending = toolTaskResult(h.client, task.taskId);
  await bothAsked.wait();
  answers[0]!.setResult();
  assert.equal((await getTask(h.client, task.taskId)).status, 'input_required');
  answers[1]!.setResult();
  assert.equal(textOf(await pending), 'accept/accept');
});

test('R89: the per-task message queue is bounded: queueing beyond it fails that elicit clearly', async (t) => {
  const support = TaskSupport.inMemory({ maxMessagesPerTask: 1 });
  const h = await inMemory({
    enable: { taskSupport: support },
    setup: (tasks) =>
      tasks.registerTool(
        { name: 'flood', inputSchema: { type: 'object' }, execution: { taskSupport: 'required' } },
        async (_args, ctx) => {
          const settled = await Promise.allSettled([
            ctx.elicit('1', { type: 'object', properties: {} }),
            ctx.elicit('2', { type: 'object', properties: {} }),
          ]);
          const codes = settled.map((s) => (s.status === 'fulfilled' ? s.value.action : String((s.reason as { code?: number }).code)));
          return { content: [{ type: 'text', text: codes.sort().join(',') }] };
        },
      ),
  });
  t.after(async () => {
    await h.close();
    await support.close();
  });
  const task = await callAsTask(h.client, 'flood', {});
  assert.equal(textOf(await toolTaskResult(h.client, task.taskId)), '-32603,accept');
});
