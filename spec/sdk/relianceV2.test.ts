/**
 * What the tasks extension relies on in the v2 SDK (`@modelcontextprotocol/server` 2.4.x) beyond
 * the obvious (docs/architecture.md lists each row). Each test pins one behaviour on the SDK alone,
 * through `createMcpHandler` and framed 2026-07-28 requests, so that an upgrade that changes it fails
 * here first.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMcpHandler, isLegacyRequest, Server, type ServerContext } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { TasksServer } from '../../src/extension/index.js';
import { modernRequest, post } from '../support/modernWire.js';

const TASK = { resultType: 'task', taskId: 't1', status: 'working', createdAt: '2026-01-01T00:00:00Z', lastUpdatedAt: '2026-01-01T00:00:00Z', ttlMs: 1000 };

function handlerOf(make: () => Server) {
  return createMcpHandler(make, { legacy: 'reject' });
}

function withToolsCall(server: Server, result: (name: string) => Record<string, unknown>): Server {
  server.registerCapabilities({ tools: {} });
  server.setRequestHandler('tools/call', (request) => result(request.params.name) as never);
  return server;
}

test('SDK v2 pin: Server normalizes a tools/call task result as a CallToolResult (adds content: []); TasksServer returns it unchanged and still checks other results', async () => {
  const plain = handlerOf(() => withToolsCall(new Server({ name: 'pin', version: '1' }), () => TASK));
  const normalized = await post(plain, 'tools/call', { name: 'x', arguments: {} });
  assert.deepEqual(normalized.result?.['content'], [], 'the SDK still adds content: [] (extension/tasksServer.ts exists for this)');

  const ours = handlerOf(() => withToolsCall(new TasksServer({ name: 'pin', version: '1' }), (name) => (name === 'bad' ? { content: 'not an array' } : TASK)));
  const task = await post(ours, 'tools/call', { name: 'x', arguments: {} });
  assert.equal('content' in (task.result ?? {}), false);
  assert.equal(task.result?.['resultType'], 'task');
  assert.equal(task.result?.['taskId'], 't1');
  const bad = await post(ours, 'tools/call', { name: 'bad', arguments: {} });
  assert.equal(bad.error?.code, -32602, 'TasksServer keeps the SDK\'s CallToolResult check');
  await Promise.all([plain.close(), ours.close()]);
});

test('SDK v2 pin: the envelope is lifted to ctx.mcpReq.envelope under its full _meta keys, and params.inputResponses of any request to ctx.mcpReq.inputResponses', async () => {
  const seen: Array<{ envelope: unknown; inputResponses: unknown; params: unknown }> = [];
  const handler = handlerOf(() => {
    const server = new Server({ name: 'pin', version: '1' });
    server.setRequestHandler('tasks/update', { params: z.looseObject({}) }, (params, ctx: ServerContext) => {
      seen.push({ envelope: ctx.mcpReq.envelope, inputResponses: ctx.mcpReq.inputResponses, params });
      return { resultType: 'complete' } as never;
    });
    return server;
  });
  await post(handler, 'tasks/update', { taskId: 't', inputResponses: { k: { action: 'accept' } } }, { capabilities: { elicitation: {} } });
  const [one] = seen;
  assert.deepEqual((one!.envelope as Record<string, unknown>)['io.modelcontextprotocol/clientCapabilities'], {
    elicitation: {},
    extensions: { 'io.modelcontextprotocol/tasks': {} },
  });
  assert.deepEqual(one!.inputResponses, { k: { action: 'accept' } });
  assert.equal('inputResponses' in (one!.params as object), false);
  await handler.close();
});

test('SDK v2 pin: tasks/result and tasks/list are -32601 on the modern path; Mcp-Name must match params.taskId on tasks/get (-32020)', async () => {
  const handler = handlerOf(() => new TasksServer({ name: 'pin', version: '1' }));
  assert.equal((await post(handler, 'tasks/result', { taskId: 't' })).error?.code, -32601);
  assert.equal((await post(handler, 'tasks/list', {})).error?.code, -32601);
  const mismatch = await post(handler, 'tasks/get', { taskId: 't' }, { headers: { 'mcp-name': 'other' } });
  assert.equal(mismatch.error?.code, -32020);
  await handler.close();
});

test('SDK v2 pin: isLegacyRequest sends enveloped requests and non-JSON-RPC JSON to the modern leg, plain 2025-11-25 requests to the legacy one (cli/serve/modernLeg.ts)', async () => {
  const legacy = { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} };
  const request = (body: unknown) => new Request('http://127.0.0.1/mcp', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(await isLegacyRequest(request(legacy), legacy), true);
  const modern = modernRequest('http://127.0.0.1/mcp', 1, 'tools/list', { _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' } });
  assert.equal(await isLegacyRequest(modern, JSON.parse(await modern.clone().text())), false);
  for (const junk of [null, 1, { id: 1, method: 'tasks/get' }]) assert.equal(await isLegacyRequest(request(junk), junk), false, JSON.stringify(junk));
});
