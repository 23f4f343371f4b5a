/** Task-aware tools on the SDK's high-level McpServer. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { enableMcpTasks, mcpServerTasksOf, registerTaskTool, type McpServerTaskBinding } from '../../src/server/index.js';
import { taskSupportOf } from '../../src/server/mcpServer.js';
import { callAsTask, CLIENT_CAPABILITIES, getTask, rejectsWithCode, textOf, toolTaskResult } from './harness.js';

async function connect(mcp: McpServer) {
  const client = new Client({ name: 'mcp-spec', version: '1' }, { capabilities: CLIENT_CAPABILITIES });
  client.setRequestHandler((await import('@modelcontextprotocol/sdk/types.js')).ElicitRequestSchema, async () => ({
    action: 'accept',
    content: { confirm: true },
  }));
  const [c, s] = InMemoryTransport.createLinkedPair();
  await mcp.connect(s);
  await client.connect(c);
  return client;
}

function build(defaultTask?: boolean): { mcp: McpServer; tasks: McpServerTaskBinding } {
  const mcp = new McpServer({ name: 'mcp-tasks-spec', version: '1' });
  const tasks = enableMcpTasks(mcp, defaultTask === undefined ? {} : { tasks: defaultTask });
  tasks.registerTool(
    'greet',
    { title: 'Greeter', description: 'Greets', inputSchema: { name: z.string() }, outputSchema: { greeting: z.string() }, pollInterval: 50 },
    async ({ name }) => ({ content: [{ type: 'text', text: `hello ${name}` }], structuredContent: { greeting: `hello ${name}` } }),
  );
  tasks.registerTool('must', { inputSchema: z.object({ n: z.number() }), task: 'required' }, async ({ n }, ctx) => {
    const answer = await ctx.elicit(`ok ${n}?`, { type: 'object', properties: { confirm: { type: 'boolean' } } });
    return { content: [{ type: 'text', text: `${n}:${answer.action}:${ctx.task ? 'task' : 'direct'}` }] };
  });
  tasks.registerTool('never', { task: false, annotations: { readOnlyHint: true } }, () => ({ content: [{ type: 'text', text: 'plain' }] }));
  return { mcp, tasks };
}

test('R7 R11: the server-wide default (tasks: true) makes tools optional; task: false / required per tool', async (t) => {
  const { mcp } = build(true);
  const client = await connect(mcp);
  t.after(async () => {
    await client.close();
    await mcp.close();
    await mcpServerTasksOf(mcp)?.serverTasks.close();
  });
  const { tools } = await client.listTools();
  assert.deepEqual(
    tools.map((tool) => [tool.name, tool.execution?.taskSupport]),
    [
      ['greet', 'optional'],
      ['must', 'required'],
      ['never', 'forbidden'],
    ],
  );
  const greet = tools[0]!;
  assert.equal(greet.title, 'Greeter');
  assert.deepEqual(greet.inputSchema.required, ['name']);
  assert.ok(greet.outputSchema);
  assert.deepEqual(tools[2]!.annotations, { readOnlyHint: true });
  assert.deepEqual(client.getServerCapabilities()?.tasks, { list: {}, cancel: {}, requests: { tools: { call: {} } } });
});

test('R11 R15: an McpServer optional tool runs directly and as a task (pollInterval per tool)', async (t) => {
  const { mcp } = build(true);
  const client = await connect(mcp);
  t.after(async () => {
    await client.close();
    await mcp.close();
    await mcpServerTasksOf(mcp)?.serverTasks.close();
  });
  assert.equal(textOf(await client.callTool({ name: 'greet', arguments: { name: 'direct' } })), 'hello direct');
  const task = await callAsTask(client, 'greet', { name: 'task' });
  assert.equal(task.pollInterval, 50);
  assert.equal(textOf(await toolTaskResult(client, task.taskId)), 'hello task');
});

test('R13 R10 F1: McpServer negotiation mismatches are JSON-RPC -32601 errors, not isError results', async (t) => {
  const { mcp } = build();
  const client = await connect(mcp);
  t.after(async () => {
    await client.close();
    await mcp.close();
    await mcpServerTasksOf(mcp)?.serverTasks.close();
  });
  await rejectsWithCode(client.request({ method: 'tools/call', params: { name: 'must', arguments: { n: 1 } } }, CallToolResultSchema), -32601);
  await rejectsWithCode(callAsTask(client, 'never', {}), -32601);
  // default without the server-wide option: forbidden
  await rejectsWithCode(callAsTask(client, 'greet', { name: 'x' }), -32601);
  await rejectsWithCode(callAsTask(client, 'must', { n: 'NaN' }), -32602);
});

test('R29 R32: an McpServer task tool elicits through the task side channel', async (t) => {
  const { mcp } = build();
  const client = await connect(mcp);
  t.after(async () => {
    await client.close();
    await mcp.close();
    await mcpServerTasksOf(mcp)?.serverTasks.close();
  });
  const task = await callAsTask(client, 'must', { n: 7 });
  assert.equal(textOf(await toolTaskResult(client, task.taskId)), '7:accept:task');
  assert.equal((await getTask(client, task.taskId)).status, 'completed');
});

test('R1 R7: registerTaskTool enables tasks on first use; mixing with McpServer.registerTool is a clear error both ways', async (t) => {
  const mcp = new McpServer({ name: 'auto', version: '1' });
  registerTaskTool(mcp, 'auto', { task: true }, () => ({ content: [{ type: 'text', text: 'auto' }] }));
  const registry = mcpServerTasksOf(mcp);
  assert.ok(registry);
  registerTaskTool(mcp, 'auto2', {}, () => ({ content: [] }));
  assert.equal(mcpServerTasksOf(mcp), registry);
  assert.throws(() => mcp.registerTool('plain', {}, () => ({ content: [] })), /cannot be used after enableMcpTasks\(\).*registerTaskTool/);
  assert.throws(() => mcp.tool('plain', () => ({ content: [] })), /McpServer\.tool\(\) cannot be used after enableMcpTasks/);
  assert.throws(() => enableMcpTasks(mcp), /already enabled/);
  const client = await connect(mcp);
  t.after(async () => {
    await client.close();
    await mcp.close();
    await registry.serverTasks.close();
  });
  const task = await callAsTask(client, 'auto', {});
  assert.equal(textOf(await toolTaskResult(client, task.taskId)), 'auto');

  const plainFirst = new McpServer({ name: 'plain-first', version: '1' });
  plainFirst.registerTool('plain', {}, () => ({ content: [] }));
  assert.throws(() => enableMcpTasks(plainFirst), /before any McpServer.registerTool/);
});

test('R7: taskSupportOf maps booleans like FastMCP (true = optional, false = forbidden)', () => {
  assert.equal(taskSupportOf(true), 'optional');
  assert.equal(taskSupportOf(false), 'forbidden');
  assert.equal(taskSupportOf('required'), 'required');
});
