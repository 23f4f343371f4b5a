/**
 * `ServerTaskContext.elicitAsTask` / `createMessageAsTask` (the Python SDK's elicit_as_task / create_message_as_task): a running
 * server task asks the client to run the elicitation / sampling as a client-side task. The creating
 * request goes through the task's side channel (delivered by `tasks/result`), the follow-up polls
 * go from the server to the client. End to end with `TaskClient` + `client.experimental.enableTasks()`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  ElicitRequestSchema,
  RELATED_TASK_META_KEY,
  type CallToolResult,
  type ClientCapabilities,
  type JSONRPCMessage,
  type JSONRPCRequest,
  type Notification,
  type Task,
} from '@modelcontextprotocol/sdk/types.js';
import { TaskClient, type ClientTasksOptions } from '../../src/client/index.js';
import { Resolver } from '../support/resolver.js';
import { enableTasks, TaskSupport, type ClientTaskOptions, type ServerTaskContext, type ServerTaskBinding } from '../../src/server/index.js';
import { callAsTask, cancelTask, rejectsWithCode, textOf, toolTaskResult } from './harness.js';

const text = (value: string): CallToolResult => ({ content: [{ type: 'text', text: value }] });
const schema = { type: 'object' as const, properties: { confirm: { type: 'boolean' as const } } };

/** Tools whose task asks the client to elicit / sample as a client-side task. */
function registerAskTools(tasks: ServerTaskBinding, options: ClientTaskOptions, seen: Seen): void {
  const taskOf = (ctx: { task: ServerTaskContext | undefined }): ServerTaskContext => {
    if (!ctx.task) throw new Error('runs as a task only');
    return ctx.task;
  };
  tasks.registerTool({ name: 'ask', inputSchema: { type: 'object' }, execution: { taskSupport: 'required' } }, async (_args, ctx) => {
    const handle = await taskOf(ctx).elicitAsTask({ mode: 'form', message: 'Proceed?', requestedSchema: schema }, { ...options, ttl: 30_000 });
    seen.handles.push(handle.returnedImmediately);
    const answer = await handle.result({ signal: ctx.signal });
    return text(`${answer.action}:${String(answer.content?.['confirm'])}`);
  });
  tasks.registerTool({ name: 'sample', inputSchema: { type: 'object' }, execution: { taskSupport: 'required' } }, async (_args, ctx) => {
    const handle = await taskOf(ctx).createMessageAsTask(
      { messages: [{ role: 'user', content: { type: 'text', text: 'hi' } }], maxTokens: 8 },
      options,
    );
    seen.handles.push(handle.returnedImmediately);
    const reply = await handle.result({ signal: ctx.signal });
    const blocks = Array.isArray(reply.content) ? reply.content : [reply.content];
    return text(blocks.map((block) => (block.type === 'text' ? block.text : '')).join(''));
  });
  tasks.registerTool({ name: 'ask-late', inputSchema: { type: 'object' }, execution: { taskSupport: 'required' } }, async (_args, ctx) => {
    await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
    const errors: unknown[] = [];
    await taskOf(ctx).elicitAsTask({ mode: 'form', message: 'late', requestedSchema: schema }).catch((error: unknown) => errors.push(error));
    await taskOf(ctx).createMessageAsTask({ messages: [], maxTokens: 1 }).catch((error: unknown) => errors.push(error));
    seen.afterCancel.setResult(errors);
    return text('late');
  });
}

interface Seen {
  handles: boolean[];
  /** What elicitAsTask / createMessageAsTask threw in a task that was cancelled first. */
  afterCancel: Resolver<unknown[]>;
}

interface Setup {
  client: Client;
  support: TaskSupport;
  /** Requests the server sent to the client, in order. */
  serverSent: JSONRPCRequest[];
  notifications: Notification[];
  seen: Seen;
  close(): Promise<void>;
}

/** A `Server` with the ask tools, and a client: a `TaskClient` hosting tasks, or a plain SDK `Client`. */
async function connect(
  client: { hosted: ClientTasksOptions } | { plain: ClientCapabilities },
  options: ClientTaskOptions = {},
): Promise<Setup> {
  const support = TaskSupport.inMemory();
  const server = new Server({ name: 'asks', version: '1.0.0' }, { capabilities: {} });
  const seen: Seen = { handles: [], afterCancel: new Resolver<unknown[]>() };
  registerAskTools(enableTasks(server, { taskSupport: support }), options, seen);
  let sdkClient: Client;
  let hosted: { close(): Promise<void> } | undefined;
  if ('hosted' in client) {
    const taskClient = new TaskClient({ name: 'hosting-client', version: '1.0.0' });
    hosted = taskClient.experimental.enableTasks(client.hosted);
    sdkClient = taskClient;
  } else {
    sdkClient = new Client({ name: 'plain-client', version: '1.0.0' }, { capabilities: client.plain });
    sdkClient.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: { confirm: false } }));
  }
  const notifications: Notification[] = [];
  sdkClient.fallbackNotificationHandler = async (n) => {
    notifications.push(n);
  };
  const serverSent: JSONRPCRequest[] = [];
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  const send = serverTransport.send.bind(serverTransport);
  serverTransport.send = (message: JSONRPCMessage, opts) => {
    if ('method' in message && 'id' in message) serverSent.push(message);
    return send(message, opts);
  };
  await server.connect(serverTransport);
  await sdkClient.connect(clientTransport);
  return {
    client: sdkClient,
    support,
    serverSent,
    notifications,
    seen,
    async close() {
      await sdkClient.close();
      await server.close();
      await hosted?.close();
      await support.close();
    },
  };
}

const hostedElicitation = (taskIds: Array<string | undefined>): ClientTasksOptions => ({
  elicitation: async (_request, ctx) => {
    taskIds.push(ctx.taskId);
    return { action: 'accept', content: { confirm: true } };
  },
  sampling: async (_request, ctx) => {
    taskIds.push(ctx.taskId);
    return { role: 'assistant', model: 'm', content: { type: 'text', text: 'sampled as a task' } };
  },
  pollInterval: 5,
});

test('R3 R29 R30: elicitAsTask — the creating request rides the side channel, the client runs it as its own task, the server task completes', async (t) => {
  const clientTaskIds: Array<string | undefined> = [];
  const s = await connect({ hosted: hostedElicitation(clientTaskIds) });
  t.after(() => s.close());
  const task = await callAsTask(s.client, 'ask', {});
  // tasks/result delivers the queued elicitation/create, then waits for the task
  assert.equal(textOf(await toolTaskResult(s.client, task.taskId)), 'accept:true');
  const sent = s.serverSent.find((m) => m.method === 'elicitation/create');
  assert.ok(sent, 'elicitation/create was sent');
  assert.deepEqual((sent.params as { task?: unknown }).task, { ttl: 30_000 });
  assert.deepEqual(sent.params?._meta?.[RELATED_TASK_META_KEY], { taskId: task.taskId });
  assert.equal(clientTaskIds.length, 1);
  assert.equal(typeof clientTaskIds[0], 'string'); // it ran as a client-side task
  assert.ok(s.serverSent.some((m) => m.method === 'tasks/get' || m.method === 'tasks/result'), 'the server followed up on the client task');
  assert.deepEqual(s.seen.handles, [false]);
  const statuses = s.notifications
    .filter((n) => n.method === 'notifications/tasks/status' && (n.params as Task).taskId === task.taskId)
    .map((n) => (n.params as Task).status);
  assert.ok(statuses.indexOf('input_required') >= 0 && statuses.indexOf('input_required') < statuses.indexOf('completed'), statuses.join());
});

test('R4 R30: createMessageAsTask — sampling runs as a client-side task and its reply reaches the server task', async (t) => {
  const clientTaskIds: Array<string | undefined> = [];
  const s = await connect({ hosted: hostedElicitation(clientTaskIds) });
  t.after(() => s.close());
  const task = await callAsTask(s.client, 'sample', {});
  assert.equal(textOf(await toolTaskResult(s.client, task.taskId)), 'sampled as a task');
  const sent = s.serverSent.find((m) => m.method === 'sampling/createMessage');
  assert.deepEqual((sent?.params as { task?: unknown }).task, {});
  assert.deepEqual(sent?.params?._meta?.[RELATED_TASK_META_KEY], { taskId: task.taskId });
  assert.equal(typeof clientTaskIds[0], 'string');
});

test('R3: a client without tasks.requests.elicitation.create → CapabilityMissingError (-32600) before anything is sent', async (t) => {
  const s = await connect({ plain: { elicitation: { form: {} } } });
  t.after(() => s.close());
  const task = await callAsTask(s.client, 'ask', {});
  const error = await rejectsWithCode(toolTaskResult(s.client, task.taskId), -32600);
  assert.match(error.message, /tasks\.requests\.elicitation\.create/);
  assert.equal(s.serverSent.filter((m) => m.method === 'elicitation/create').length, 0);
});

test('R4: a client without sampling at all → CapabilityMissingError (-32600)', async (t) => {
  const s = await connect({ plain: { elicitation: { form: {} } } });
  t.after(() => s.close());
  const task = await callAsTask(s.client, 'sample', {});
  const error = await rejectsWithCode(toolTaskResult(s.client, task.taskId), -32600);
  assert.match(error.message, /sampling/);
});

test('R20: requireTask false — a client that cannot host the task gets a plain request (through the side channel), handle returnedImmediately', async (t) => {
  const s = await connect({ plain: { elicitation: { form: {} } } }, { requireTask: false });
  t.after(() => s.close());
  const task = await callAsTask(s.client, 'ask', {});
  assert.equal(textOf(await toolTaskResult(s.client, task.taskId)), 'accept:false');
  const sent = s.serverSent.find((m) => m.method === 'elicitation/create');
  assert.equal((sent?.params as { task?: unknown }).task, undefined);
  assert.deepEqual(sent?.params?._meta?.[RELATED_TASK_META_KEY], { taskId: task.taskId });
  assert.deepEqual(s.seen.handles, [true]);
});

test('R71: a cancelled task asks nothing: elicitAsTask / createMessageAsTask reject with the abort reason', async (t) => {
  const s = await connect({ hosted: hostedElicitation([]) });
  t.after(() => s.close());
  const task = await callAsTask(s.client, 'ask-late', {});
  await cancelTask(s.client, task.taskId);
  const errors = (await s.seen.afterCancel.wait()) as Array<{ reason?: string }>;
  assert.deepEqual(errors.map((e) => e.reason), ['cancelled', 'cancelled']);
  assert.equal(s.serverSent.filter((m) => m.method === 'elicitation/create' || m.method === 'sampling/createMessage').length, 0);
});
