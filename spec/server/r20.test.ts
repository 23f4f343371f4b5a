/** R20: a server that has not declared tasks.requests.tools.call ignores params.task and runs the call normally. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, CallToolResultSchema, ListToolsRequestSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { ignoreTaskAugmentation, TaskServer, TaskSupport } from '../../src/server/index.js';
import { stripToolCallTask } from '../../src/transport/filters.js';
import { textOf } from './harness.js';

function withEcho(server: Server): string[] {
  const seen: string[] = [];
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [{ name: 'echo', inputSchema: { type: 'object' } }] }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    seen.push(JSON.stringify(request.params.task ?? null));
    return { content: [{ type: 'text', text: 'ran normally' }] };
  });
  return seen;
}

async function link(server: Server, wrap: boolean) {
  const client = new Client({ name: 'r20', version: '1' });
  const [c, s] = InMemoryTransport.createLinkedPair();
  await server.connect(wrap ? ignoreTaskAugmentation(s) : s);
  await client.connect(c);
  return client;
}

test('R20: a TaskServer without enableTasks runs a task-augmented tools/call normally, ignoring params.task', async (t) => {
  const server = new TaskServer({ name: 'no-tasks', version: '1' }, { capabilities: { tools: {} } });
  const seen = withEcho(server);
  const client = await link(server, false);
  t.after(() => client.close());
  assert.equal(client.getServerCapabilities()?.tasks, undefined);
  const result = await client.request({ method: 'tools/call', params: { name: 'echo', arguments: {}, task: { ttl: 1000 } } }, CallToolResultSchema);
  assert.equal(textOf(result), 'ran normally');
  assert.deepEqual(seen, ['null']);
});

test('R20: ignoreTaskAugmentation() gives a plain SDK Server the same behaviour, and proxies the transport', async (t) => {
  const server = new Server({ name: 'plain', version: '1' }, { capabilities: { tools: {} } });
  const seen = withEcho(server);
  const client = await link(server, true);
  t.after(() => client.close());
  const result = await client.request({ method: 'tools/call', params: { name: 'echo', arguments: {}, task: {} } }, CallToolResultSchema);
  assert.equal(textOf(result), 'ran normally');
  assert.deepEqual(seen, ['null']);
  assert.equal(server.transport?.sessionId, undefined);
  assert.equal(typeof server.transport?.onclose, 'function');
  assert.equal(typeof server.transport?.onerror, 'function');
  assert.equal(typeof server.transport?.onmessage, 'function');
  assert.equal(server.transport?.setProtocolVersion, undefined);
  server.transport!.onerror = undefined;
  server.transport!.onmessage = undefined;
  assert.equal(server.transport?.onmessage, undefined);
});

test('R20: stripToolCallTask removes params.task only from tools/call requests', () => {
  const call = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'x', task: {} } } as JSONRPCMessage;
  assert.deepEqual(stripToolCallTask(call), { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'x' } });
  const plain = { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'x' } } as JSONRPCMessage;
  assert.equal(stripToolCallTask(plain), plain);
  const other = { jsonrpc: '2.0', id: 3, method: 'sampling/createMessage', params: { task: {} } } as JSONRPCMessage;
  assert.equal(stripToolCallTask(other), other);
  const noParams = { jsonrpc: '2.0', id: 4, method: 'tools/call' } as JSONRPCMessage;
  assert.equal(stripToolCallTask(noParams), noParams);
});

test('R1: a TaskServer with tasks enabled keeps params.task (no filter)', async (t) => {
  const support = TaskSupport.inMemory();
  const server = new TaskServer({ name: 'tasks', version: '1' }, { capabilities: {} });
  const tasks = server.experimental.enableTasks({ taskSupport: support });
  tasks.registerTool({ name: 'opt', inputSchema: { type: 'object' }, execution: { taskSupport: 'optional' } }, async (_a, ctx) => ({
    content: [{ type: 'text', text: ctx.task ? 'task' : 'direct' }],
  }));
  const client = await link(server, false);
  t.after(async () => {
    await client.close();
    await support.close();
  });
  const created = await client.request(
    { method: 'tools/call', params: { name: 'opt', arguments: {}, task: {} } },
    (await import('@modelcontextprotocol/sdk/types.js')).CreateTaskResultSchema,
  );
  assert.equal(created.task.status, 'working');
});
