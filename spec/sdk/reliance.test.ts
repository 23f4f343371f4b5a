/**
 * What this library relies on in @modelcontextprotocol/sdk 1.32.x beyond its documented API, or
 * where it works around a defect (docs/architecture.md lists each, docs/sdk-notes.md explains the
 * defects). Each test pins one behaviour on the SDK alone, so that an SDK upgrade that changes it
 * fails here, loudly, instead of silently breaking the library.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { CallToolRequestSchema, EmptyResultSchema, ListToolsRequestSchema, McpError, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { anyParams } from '../../src/receiver/parse.js';

async function pair(server: Server, client = new Client({ name: 'pin', version: '1' })) {
  const [c, s] = InMemoryTransport.createLinkedPair();
  await server.connect(s);
  await client.connect(c);
  return { client, c, s };
}

test('SDK pin: Protocol.onclose runs when the transport closes (server/sessionSignal.ts ends session watches with it)', async () => {
  const server = new Server({ name: 'pin', version: '1' }, { capabilities: {} });
  let closed = 0;
  server.onclose = () => (closed += 1);
  const { client } = await pair(server);
  await client.close();
  assert.equal(closed, 1);
});

test('SDK pin: setRequestHandler takes a method-only loose schema and hands the raw params to the handler (receiver/parse.ts answers -32602 itself); tasks/* handlers need the tasks capability declared first', async (t) => {
  const bare = new Server({ name: 'pin', version: '1' }, { capabilities: {} });
  assert.throws(() => bare.setRequestHandler(anyParams('tasks/get'), async () => ({})), /tasks capability/);
  const server = new Server({ name: 'pin', version: '1' }, { capabilities: { tasks: { requests: { tools: { call: {} } } } } });
  let seen: unknown;
  server.setRequestHandler(anyParams('tasks/get'), async (request) => {
    seen = request.params;
    return {};
  });
  const { client } = await pair(server);
  t.after(() => client.close());
  await client.request({ method: 'tasks/get', params: { taskId: 42 } }, EmptyResultSchema);
  assert.deepEqual(seen, { taskId: 42 });
});

test('SDK pin (F1): a task-augmented tools/call to a server without the tasks capability fails before any handler runs (transport/filters.ts strips params.task, R20)', async (t) => {
  const server = new Server({ name: 'pin', version: '1' }, { capabilities: { tools: {} } });
  let ran = false;
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [] }));
  server.setRequestHandler(CallToolRequestSchema, async () => {
    ran = true;
    return { content: [] };
  });
  const { client } = await pair(server);
  t.after(() => client.close());
  await assert.rejects(client.request({ method: 'tools/call', params: { name: 'x', task: {} } }, EmptyResultSchema), McpError);
  assert.equal(ran, false);
});

test('SDK pin: a response with an id the Protocol did not send is dropped with an onerror (routed mode takes answers off the transport first)', async (t) => {
  const server = new Server({ name: 'pin', version: '1' }, { capabilities: {} });
  const errors: string[] = [];
  server.onerror = (error) => errors.push(error.message);
  const { client, c } = await pair(server);
  t.after(() => client.close());
  const response: JSONRPCMessage = { jsonrpc: '2.0', id: 'task-abc-1', result: {} };
  await c.send(response);
  await new Promise<void>((resolve) => setImmediate(resolve));
  assert.equal(errors.length, 1);
  assert.match(errors[0]!, /unknown message ID/);
});

test('SDK pin (F9): Protocol.request leaves its abort listener on the caller signal (requestor/peer.ts links a throw-away signal)', async (t) => {
  const server = new Server({ name: 'pin', version: '1' }, { capabilities: {} });
  const { client } = await pair(server);
  t.after(() => client.close());
  const controller = new AbortController();
  await client.ping({ signal: controller.signal });
  assert.ok(getEventListeners(controller.signal, 'abort').length > 0);
});

test('SDK pin: McpServer installs tools/list and tools/call at its first registerTool, and assertCanSetRequestHandler tells (server/mcpServer.ts)', () => {
  const fresh = new McpServer({ name: 'pin', version: '1' });
  assert.doesNotThrow(() => fresh.server.assertCanSetRequestHandler('tools/call'));
  const used = new McpServer({ name: 'pin', version: '1' });
  used.registerTool('t', { inputSchema: { x: z.string() } }, async () => ({ content: [] }));
  assert.throws(() => used.server.assertCanSetRequestHandler('tools/call'), /already exists/);
});

test('SDK pin: the experimental getters of Client and Server can be overridden, and super.experimental.tasks is the SDK task API (TaskServer, TaskClient)', () => {
  class PinClient extends Client {
    override get experimental() {
      return super.experimental;
    }
  }
  class PinServer extends Server {
    override get experimental() {
      return super.experimental;
    }
  }
  assert.equal(typeof new PinClient({ name: 'pin', version: '1' }).experimental.tasks.callToolStream, 'function');
  assert.equal(typeof new PinServer({ name: 'pin', version: '1' }).experimental.tasks, 'object');
});
