/**
 * R31 for requestors that never open `tasks/result` while a task waits: the task's requests go out
 * on the session after `pushDelay`, and a `tasks/result` opened later takes over; no request is
 * delivered twice.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolResultSchema,
  CreateTaskResultSchema,
  ElicitRequestSchema,
  GetTaskResultSchema,
  TaskStatusNotificationSchema,
  type RequestId,
} from '@modelcontextprotocol/sdk/types.js';
import { enableTasks, TaskSupport } from '../../src/server/index.js';
import { TransportProxy } from '../../src/transport/transportProxy.js';
import { Resolver } from '../support/resolver.js';

interface Sent {
  method: string;
  relatedRequestId: RequestId | undefined;
}

async function setUp(t: import('node:test').TestContext, options: { pushInputRequests?: boolean } = {}) {
  const support = TaskSupport.inMemory();
  t.after(() => support.close());
  const gate = new Resolver<void>();
  const server = new Server({ name: 'push', version: '1' }, { capabilities: {} });
  const tasks = enableTasks(server, { taskSupport: support, ...options });
  tasks.registerTool({ name: 'two-questions', inputSchema: { type: 'object' }, execution: { taskSupport: 'required' } }, async (_args, ctx) => {
    const schema = { type: 'object' as const, properties: { ok: { type: 'boolean' as const } } };
    const first = await ctx.elicit('first?', schema);
    await gate.wait();
    const second = await ctx.elicit('second?', schema);
    return { content: [{ type: 'text', text: `${first.action} ${second.action}` }] };
  });
  const sent: Sent[] = [];
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const recording = new TransportProxy(serverSide, {
    send(message, sendOptions, send) {
      if ('method' in message && 'id' in message) sent.push({ method: message.method, relatedRequestId: sendOptions?.relatedRequestId });
      return send(message, sendOptions);
    },
  });
  await server.connect(recording);
  const client = new Client({ name: 'push', version: '1' }, { capabilities: { elicitation: {} } });
  const asked: string[] = [];
  const firstAsked = new Resolver<void>();
  const waiting = new Resolver<void>();
  client.setNotificationHandler(TaskStatusNotificationSchema, (notification) => {
    if (notification.params.status === 'input_required' && !waiting.done()) waiting.setResult();
  });
  client.setRequestHandler(ElicitRequestSchema, async (request) => {
    asked.push(request.params.message);
    if (asked.length === 1) firstAsked.setResult();
    return { action: 'accept', content: { ok: true } };
  });
  await client.connect(clientSide);
  t.after(() => client.close());
  const created = await client.request({ method: 'tools/call', params: { name: 'two-questions', arguments: {}, task: {} } }, CreateTaskResultSchema);
  return { client, gate, sent, asked, firstAsked, inputRequired: waiting.wait(), taskId: created.task.taskId };
}

test('R31: a waiting task whose requestor only polls gets its request on the session; a later tasks/result takes over, nothing twice', async (t) => {
  const { client, gate, sent, asked, firstAsked, taskId } = await setUp(t);
  await firstAsked.wait(); // nobody opened tasks/result: the request came on the session
  const result = client.request({ method: 'tasks/result', params: { taskId } }, CallToolResultSchema);
  // handlers run in arrival order: once tasks/get is answered, the tasks/result handler is running
  await client.request({ method: 'tasks/get', params: { taskId } }, GetTaskResultSchema);
  gate.setResult();
  assert.deepEqual((await result).content, [{ type: 'text', text: 'accept accept' }]);
  assert.deepEqual(asked, ['first?', 'second?'], 'each request reached the client once');
  const elicitations = sent.filter((message) => message.method === 'elicitation/create');
  assert.equal(elicitations.length, 2);
  assert.equal(elicitations[0]!.relatedRequestId, undefined, 'the first went on the session (no related request)');
  assert.notEqual(elicitations[1]!.relatedRequestId, undefined, 'the second rode the tasks/result request');
});

test('R31: with pushInputRequests: false a request waits for a tasks/result, and goes on its stream', async (t) => {
  const { client, gate, sent, asked, taskId, inputRequired } = await setUp(t, { pushInputRequests: false });
  await inputRequired;
  assert.equal((await client.request({ method: 'tasks/get', params: { taskId } }, GetTaskResultSchema)).status, 'input_required');
  assert.deepEqual(asked, [], 'nothing pushed');
  gate.setResult();
  const result = await client.request({ method: 'tasks/result', params: { taskId } }, CallToolResultSchema);
  assert.deepEqual(result.content, [{ type: 'text', text: 'accept accept' }]);
  assert.ok(sent.filter((message) => message.method === 'elicitation/create').every((message) => message.relatedRequestId !== undefined));
});

test('pushDelay must be a non-negative number', () => {
  assert.throws(() => enableTasks(new Server({ name: 'x', version: '1' }), { pushDelay: -1 }), /pushDelay must be a non-negative number/);
});
