/**
 * ToolContext in both modes, the lower-level API for servers with their own tools/call handler
 * (negotiate + runTask), and TaskResultHandler edge cases.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CallToolRequestSchema, ListTasksResultSchema, ListToolsRequestSchema, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { runTask, type ToolContext } from '../../src/server/index.js';
import { callAsTask, getTask, inMemory, rejectsWithCode, taskResult, textOf, toolTaskResult } from './harness.js';

/** A tool that exercises every ToolContext method and reports what happened. */
const probe: Tool = { name: 'probe', inputSchema: { type: 'object' }, execution: { taskSupport: 'optional' } };
async function runProbe(ctx: ToolContext) {
  const form = await ctx.elicit('form?', { type: 'object', properties: { confirm: { type: 'boolean' } } });
  const url = await ctx.elicitUrl('visit', 'https://example.com/auth', 'el-1');
  const sample = await ctx.createMessage({ messages: [{ role: 'user', content: { type: 'text', text: 'p' } }], maxTokens: 8 });
  await ctx.updateStatus('probed');
  await ctx.reportProgress(1, 1);
  const mode = ctx.task ? `task:${ctx.task.isCancelled}:${ctx.task.ended}` : 'direct';
  const reply = Array.isArray(sample.content) ? '' : sample.content.type === 'text' ? sample.content.text : '';
  return { content: [{ type: 'text' as const, text: `${mode} ${form.action} ${url.action} ${reply}` }] };
}

const urlCapable = { capabilities: { elicitation: { form: {}, url: {} }, sampling: {} } };

test('R11: the same ToolContext API works directly (plain requests) and in a task (side channel)', async (t) => {
  const h = await inMemory({
    clientOptions: urlCapable,
    answers: { elicit: (r) => (r.params.mode === 'url' ? { action: 'accept' } : { action: 'accept', content: { confirm: true } }) },
    setup: (tasks) => tasks.registerTool(probe, async (_args, ctx) => runProbe(ctx)),
  });
  t.after(() => h.close());
  assert.equal(textOf(await h.client.callTool({ name: 'probe', arguments: {} })), 'direct accept accept sampled reply');
  const task = await callAsTask(h.client, 'probe', {});
  assert.equal(textOf(await toolTaskResult(h.client, task.taskId)), 'task:false:false accept accept sampled reply');
  assert.equal((await getTask(h.client, task.taskId)).statusMessage, 'probed');
});

test('R29: capability checks: direct elicitUrl / createMessage without the capability fail with -32600', async (t) => {
  const h = await inMemory({
    clientOptions: { capabilities: { elicitation: { form: {} } } },
    setup: (tasks) => {
      tasks.registerTool({ name: 'url', inputSchema: { type: 'object' } }, async (_a, ctx) => {
        await ctx.elicitUrl('m', 'https://example.com', 'id');
        return { content: [] };
      });
      tasks.registerTool({ name: 'sample_tools', inputSchema: { type: 'object' }, execution: { taskSupport: 'required' } }, async (_a, ctx) => {
        await ctx.createMessage({
          messages: [{ role: 'user', content: { type: 'text', text: 'p' } }],
          maxTokens: 8,
          tools: [{ name: 't', inputSchema: { type: 'object' } }],
        });
        return { content: [] };
      });
    },
  });
  t.after(() => h.close());
  const direct = await rejectsWithCode(h.client.callTool({ name: 'url', arguments: {} }), -32600);
  assert.match(direct.message, /URL elicitation/);
  await rejectsWithCode(h.client.callTool({ name: 'tasks_conformance_sample', arguments: { prompt: 'x' } }), -32601);
  const task = await callAsTask(h.client, 'sample_tools', {});
  const error = await rejectsWithCode(taskResult(h.client, task.taskId), -32600);
  assert.match(error.message, /sampling/);
});

test('R13 R15: a server with its own tools/call handler uses negotiate() and runTask()', async (t) => {
  const h = await inMemory({
    fixtures: false,
    setup: (tasks, server) => {
      const tool: Tool = { name: 'own', inputSchema: { type: 'object' }, execution: { taskSupport: 'required' } };
      server.registerCapabilities({ tools: {} });
      server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [tool] }));
      server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
        tasks.negotiate(request, tool.execution?.taskSupport);
        return runTask(tasks, request, extra, async (ctx) => {
          await ctx.updateStatus('working on it');
          return { content: [{ type: 'text', text: `own ${ctx.taskId.length}` }] };
        }, { pollInterval: 10 });
      });
    },
  });
  t.after(() => h.close());
  const task = await callAsTask(h.client, 'own', {});
  assert.equal(task.pollInterval, 10);
  assert.equal(textOf(await toolTaskResult(h.client, task.taskId)), 'own 32');
  await rejectsWithCode(
    h.client.request({ method: 'tools/call', params: { name: 'own', arguments: {} } }, (await import('@modelcontextprotocol/sdk/types.js')).CallToolResultSchema),
    -32601,
  );
});

test('R48: tasks/result on a task that ended failed without a stored outcome → -32603 with its statusMessage', async (t) => {
  const h = await inMemory();
  t.after(() => h.close());
  const task = await callAsTask(h.client, 'tasks_conformance_hold', { holdMs: 600_000 });
  // e.g. a lease expiry in another process marks it failed through the SDK-compatible method
  await h.support.store.updateTaskStatus(task.taskId, 'failed', 'worker lost', undefined);
  const error = await rejectsWithCode(taskResult(h.client, task.taskId), -32603);
  assert.match(error.message, /failed without a stored result: worker lost/);
  await h.support.settled(task.taskId);
  assert.equal(h.support.runningCount, 0);
});

test('R31: queued notifications are delivered by tasks/result too', async (t) => {
  const h = await inMemory();
  t.after(() => h.close());
  const task = await callAsTask(h.client, 'tasks_conformance_hold', { holdMs: 600_000 });
  await h.support.queue.enqueue(task.taskId, {
    type: 'notification',
    message: { jsonrpc: '2.0', method: 'notifications/spec_custom', params: { data: 'from the task' } },
    timestamp: Date.now(),
  });
  const pending = taskResult(h.client, task.taskId).catch(() => undefined);
  const note = await h.nextNotification((n) => n.method === 'notifications/spec_custom');
  assert.equal((note.params as { data: string }).data, 'from the task');
  const { cancelTask } = await import('./harness.js');
  await cancelTask(h.client, task.taskId);
  await pending;
});

test('R11: a tool\'s declared inputs are elicited on the call itself, before the task exists, and reach ctx.inputs in both modes', async (t) => {
  const asked: string[] = [];
  const h = await inMemory({
    answers: {
      elicit: (r) => {
        asked.push(r.params.message);
        return { action: 'accept', content: { name: `n${asked.length}` } };
      },
    },
    setup: (tasks) =>
      tasks.registerTool(
        { name: 'greet_inputs', inputSchema: { type: 'object' }, execution: { taskSupport: 'optional' } },
        async (_a, ctx) => {
          const name = ctx.inputs.user_name;
          return { content: [{ type: 'text', text: `${ctx.task ? 'task' : 'direct'} ${name?.action} ${String(name?.content?.name)}` }] };
        },
        { inputs: { user_name: { message: 'Your name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } } } } } },
      ),
  });
  t.after(() => h.close());
  assert.equal(textOf(await h.client.callTool({ name: 'greet_inputs', arguments: {} })), 'direct accept n1');
  const task = await callAsTask(h.client, 'greet_inputs', {});
  assert.deepEqual(asked, ['Your name?', 'Your name?'], 'the second ask happened before the CreateTaskResult');
  assert.equal(textOf(await toolTaskResult(h.client, task.taskId)), 'task accept n2');
});

test('R29: a tool with inputs fails with -32600 before any task exists when the client cannot elicit', async (t) => {
  const h = await inMemory({
    clientOptions: { capabilities: {} },
    setup: (tasks) =>
      tasks.registerTool(
        { name: 'needs_input', inputSchema: { type: 'object' }, execution: { taskSupport: 'required' } },
        async () => ({ content: [] }),
        { inputs: { a: { message: 'a?', requestedSchema: { type: 'object', properties: {} } } } },
      ),
  });
  t.after(() => h.close());
  await rejectsWithCode(callAsTask(h.client, 'needs_input', {}), -32600);
  const listed = await h.client.request({ method: 'tasks/list', params: {} }, ListTasksResultSchema);
  assert.equal(listed.tasks.length, 0);
});
