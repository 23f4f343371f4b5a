/** Tool-level negotiation by execution.taskSupport, decided before the tool runs (R7–R13, F1). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CallToolResultSchema, type CallToolRequest, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { negotiate, ToolNegotiationError } from '../../src/server/index.js';
import { callAsTask, inMemory, rejectsWithCode, textOf, toolTaskResult } from './harness.js';

function call(name: string, task?: object): Pick<CallToolRequest, 'params'> {
  return { params: { name, arguments: {}, ...(task === undefined ? {} : { task }) } };
}

/** A server with one counting tool per taskSupport value, to prove the tool never ran. */
async function countingServer() {
  const runs = new Map<string, number>();
  const tools: Tool[] = [
    { name: 'req', inputSchema: { type: 'object' }, execution: { taskSupport: 'required' } },
    { name: 'opt', inputSchema: { type: 'object' }, execution: { taskSupport: 'optional' } },
    { name: 'forb', inputSchema: { type: 'object' }, execution: { taskSupport: 'forbidden' } },
    { name: 'plain', inputSchema: { type: 'object' } },
  ];
  const h = await inMemory({
    fixtures: false,
    setup: (tasks) => {
      for (const tool of tools) {
        tasks.registerTool(tool, async () => {
          runs.set(tool.name, (runs.get(tool.name) ?? 0) + 1);
          return { content: [{ type: 'text', text: tool.name }] };
        });
      }
    },
  });
  return { h, runs };
}

test('R13 F1: a required tool called without task → JSON-RPC -32601, never an isError result, tool not run', async (t) => {
  const { h, runs } = await countingServer();
  t.after(() => h.close());
  // the SDK Client refuses required tools itself once it has cached tools/list, so send the raw request
  const error = await rejectsWithCode(
    h.client.request({ method: 'tools/call', params: { name: 'req', arguments: {} } }, CallToolResultSchema),
    -32601,
  );
  assert.match(error.message, /requires task-augmented invocation/);
  assert.equal(runs.get('req'), undefined);
});

test('R10 F1: task sent to a forbidden tool → -32601, tool not run', async (t) => {
  const { h, runs } = await countingServer();
  t.after(() => h.close());
  const error = await rejectsWithCode(callAsTask(h.client, 'forb', {}), -32601);
  assert.match(error.message, /does not support task-augmented invocation/);
  assert.equal(runs.get('forb'), undefined);
});

test('R10 R7: task sent to a tool without execution.taskSupport (unmarked = forbidden) → -32601', async (t) => {
  const { h, runs } = await countingServer();
  t.after(() => h.close());
  await rejectsWithCode(callAsTask(h.client, 'plain', {}), -32601);
  assert.equal(runs.get('plain'), undefined);
  const direct = await h.client.callTool({ name: 'plain', arguments: {} });
  assert.equal(textOf(direct), 'plain');
});

test('R11: an optional tool runs both ways', async (t) => {
  const { h } = await countingServer();
  t.after(() => h.close());
  const direct = await h.client.callTool({ name: 'opt', arguments: {} });
  assert.equal(textOf(direct), 'opt');
  const task = await callAsTask(h.client, 'opt', {});
  assert.equal(textOf(await toolTaskResult(h.client, task.taskId)), 'opt');
});

test('R12: a required tool called with task runs as a task', async (t) => {
  const { h } = await countingServer();
  t.after(() => h.close());
  const task = await callAsTask(h.client, 'req', {});
  assert.equal(textOf(await toolTaskResult(h.client, task.taskId)), 'req');
});

test('R10 R11 R13: negotiate() decision table', () => {
  assert.equal(negotiate(call('x', {}), 'optional'), 'task');
  assert.equal(negotiate(call('x'), 'optional'), 'direct');
  assert.equal(negotiate(call('x', { ttl: 5 }), 'required'), 'task');
  assert.equal(negotiate(call('x'), undefined), 'direct');
  assert.throws(() => negotiate(call('x'), 'required'), (e: unknown) => e instanceof ToolNegotiationError && e.code === -32601);
  assert.throws(() => negotiate(call('x', {}), undefined), (e: unknown) => e instanceof ToolNegotiationError && e.code === -32601);
});

test('R78 R94: unknown tool → -32602; arguments that do not match the input schema → -32602 before the tool runs (task or not)', async (t) => {
  const h = await inMemory();
  t.after(() => h.close());
  await rejectsWithCode(h.client.callTool({ name: 'no_such_tool', arguments: {} }), -32602);
  const bad = await rejectsWithCode(h.client.callTool({ name: 'tasks_conformance_optional', arguments: { text: 5 } }), -32602);
  assert.match(bad.message, /Invalid arguments for tool tasks_conformance_optional/);
  await rejectsWithCode(callAsTask(h.client, 'tasks_conformance_required', { delayMs: 1 }), -32602);
});

test('R7 R94: registerTool validates against the JSON Schema inputSchema by default (-32602), and refuses duplicates', async (t) => {
  const h = await inMemory({
    fixtures: false,
    setup: (tasks) =>
      tasks.registerTool(
        {
          name: 'typed',
          inputSchema: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] },
          execution: { taskSupport: 'optional' },
        },
        async (args) => ({ content: [{ type: 'text', text: `n=${String(args['n'])}` }] }),
      ),
  });
  t.after(() => h.close());
  assert.equal(textOf(await h.client.callTool({ name: 'typed', arguments: { n: 3 } })), 'n=3');
  await rejectsWithCode(h.client.callTool({ name: 'typed', arguments: { n: 'three' } }), -32602);
  assert.throws(() => h.tasks.registerTool({ name: 'typed', inputSchema: { type: 'object' } }, async () => ({ content: [] })), /already registered/);
  const listed = await h.client.listTools();
  assert.deepEqual(listed.tools.map((tool) => [tool.name, tool.execution?.taskSupport]), [['typed', 'optional']]);
});

test('R7: tools registered after connect are listed, and the client is told the list changed', async (t) => {
  const h = await inMemory();
  t.after(() => h.close());
  const changed = h.nextNotification((n) => n.method === 'notifications/tools/list_changed');
  h.tasks.registerTool({ name: 'late', inputSchema: { type: 'object' } }, async () => ({ content: [{ type: 'text', text: 'late' }] }));
  await changed;
  const names = (await h.client.listTools()).tools.map((tool) => tool.name);
  assert.ok(names.includes('late'));
});

test('R43: pollInterval must be a positive integer (enableTasks, registerTool)', async (t) => {
  const { Server } = await import('@modelcontextprotocol/sdk/server/index.js');
  const { enableTasks } = await import('../../src/server/index.js');
  assert.throws(() => enableTasks(new Server({ name: 's', version: '1' }, { capabilities: {} }), { pollInterval: 1.5 }), RangeError);
  const h = await inMemory({ fixtures: false });
  t.after(() => h.close());
  assert.throws(() => h.tasks.registerTool({ name: 'p', inputSchema: { type: 'object' } }, async () => ({ content: [] }), { pollInterval: 0 }), RangeError);
  assert.throws(() => h.tasks.registerTool({ name: 'p', inputSchema: { type: 'object' } }, async () => ({ content: [] })), /must come before connect/);
});
