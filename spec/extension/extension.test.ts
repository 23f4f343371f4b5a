/**
 * The tasks extension binding in one process: a `TasksExtension` served by the v2 SDK's
 * `createMcpHandler`, driven with framed 2026-07-28 requests through `handler.fetch` (no sockets):
 * what the official suite does not pin — malformed and partial `tasks/update`, unknown keys,
 * owners, audit events, tools that ask mid-call without a task, the tool list, the MRTR answers'
 * validation — and the 2025-11-25 binding on the same `TaskSupport` (one store, both revisions).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolResultSchema, CreateTaskResultSchema, GetTaskResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { createMcpHandler, type AuthInfo } from '@modelcontextprotocol/server';
import { registerConformanceFixtures } from '../../conformance/fixtureTools.js';
import { registerOfficialFixtures } from '../../conformance/officialFixtures.js';
import { TasksExtension, TASKS_EXTENSION_ID } from '../../src/extension/index.js';
import { enableTasks, TaskSupport, type TaskEvent } from '../../src/server/index.js';
import { post, type Answer } from '../support/modernWire.js';

const ALICE: AuthInfo = { token: 'a', clientId: 'app', scopes: [], extra: { sub: 'alice' } };
const BOB: AuthInfo = { token: 'b', clientId: 'app', scopes: [], extra: { sub: 'bob' } };

/** One process: a runtime, the extension on it, and its fetch handler. */
function deployment(options: { ttl?: number } = {}) {
  const events: TaskEvent[] = [];
  const support = TaskSupport.inMemory({ onTaskEvent: (event) => void events.push(event), ttl: { minTtl: 100 } });
  const extension = new TasksExtension({ taskSupport: support, pollInterval: 50, ...(options.ttl === undefined ? {} : { ttl: options.ttl }) });
  registerOfficialFixtures(extension);
  registerConformanceFixtures(extension);
  const handler = createMcpHandler(() => extension.createServer({ name: 'spec', version: '1' }), { legacy: 'reject' });
  return {
    support,
    extension,
    events,
    handler,
    close: async () => {
      await handler.close();
      await support.close();
    },
  };
}

type Deployment = ReturnType<typeof deployment>;
type Options = Parameters<typeof post>[3];

const call = (d: Deployment, method: string, params: Record<string, unknown>, options: Options = {}) => post(d.handler, method, params, options);

function ok(answer: Answer): Record<string, unknown> {
  assert.equal(answer.error, undefined, JSON.stringify(answer.error));
  return answer.result!;
}

function code(answer: Answer): number | undefined {
  return answer.error?.code;
}

/**
 * A signal aborted after `ms`, held by a timer that keeps this test process alive meanwhile (the
 * store's own timers are unref'd and `AbortSignal.timeout` does not hold the event loop).
 */
function deadline(ms: number): { signal: AbortSignal; clear(): void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no change within ${ms} ms`)), ms);
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

/** Waits for the task's next change after `version` (at most 5 s). */
async function nextChange(d: Deployment, taskId: string, version: number): Promise<void> {
  const limit = deadline(5_000);
  try {
    await d.support.store.waitForUpdate(taskId, version, limit.signal);
  } finally {
    limit.clear();
  }
}

/** The store scope of a principal (as the default resolver makes it). */
const scopeOf = (auth: AuthInfo | undefined) => (auth === undefined ? undefined : `${auth.clientId}|${String(auth.extra?.['sub'])}`);

/** Polls `tasks/get` until `done` holds, waiting for the task's next change between polls (bounded: 50 changes, 5 s each). */
async function poll(d: Deployment, taskId: string, done: (task: Record<string, unknown>) => boolean, options: Options = {}): Promise<Record<string, unknown>> {
  for (let i = 0; i < 50; i++) {
    const before = await d.support.store.getTaskState(taskId, scopeOf(options.authInfo));
    const task = ok(await call(d, 'tasks/get', { taskId }, options));
    if (done(task)) return task;
    await nextChange(d, taskId, before!.version);
  }
  throw new Error(`task ${taskId} never got there`);
}

const terminal = (task: Record<string, unknown>) => ['completed', 'failed', 'cancelled'].includes(task['status'] as string);
const inputRequired = (count: number) => (task: Record<string, unknown>) => task['status'] === 'input_required' && Object.keys(task['inputRequests'] as object).length === count;

test('SEP-2663: tools/list shows no execution.taskSupport (the server decides); the tools are the registered ones', async (t) => {
  const d = deployment();
  t.after(() => d.close());
  const tools = ok(await call(d, 'tools/list', {}))['tools'] as Array<Record<string, unknown>>;
  assert.ok(tools.some((tool) => tool['name'] === 'slow_compute'));
  assert.ok(tools.every((tool) => (tool['execution'] as { taskSupport?: unknown } | undefined)?.taskSupport === undefined));
  assert.deepEqual(d.extension.listTools().map((tool) => tool.name), tools.map((tool) => tool['name']));
});

test('SEP-2663: tasks/update takes answers one key at a time, ignores unknown and answered keys, and rejects malformed ones with -32602 taking none', async (t) => {
  const d = deployment();
  t.after(() => d.close());
  const created = ok(await call(d, 'tools/call', { name: 'multi_input', arguments: {} }));
  const taskId = created['taskId'] as string;
  const waiting = await poll(d, taskId, inputRequired(2));
  const requests = Object.entries(waiting['inputRequests'] as Record<string, { params: { message: string } }>);
  const keyOf = (message: string) => requests.find(([, request]) => request.params.message === message)![0];
  const [nameKey, confirmKey] = [keyOf('Your name?'), keyOf('Proceed?')];

  // malformed answer to a pending key: -32602, and the valid answer beside it is not taken either
  const bad = await call(d, 'tasks/update', { taskId, inputResponses: { [nameKey]: { action: 'accept', content: { name: 'x' } }, [confirmKey]: { action: 'maybe' } } });
  assert.equal(code(bad), -32602);
  assert.equal(Object.keys((await poll(d, taskId, inputRequired(2)))['inputRequests'] as object).length, 2);

  // an unknown key is ignored; one answer leaves the other pending
  ok(await call(d, 'tasks/update', { taskId, inputResponses: { 'never-issued': { action: 'accept' }, [confirmKey]: { action: 'accept', content: { confirm: true } } } }));
  const partial = await poll(d, taskId, inputRequired(1));
  assert.deepEqual(Object.keys(partial['inputRequests'] as object), [nameKey]);
  // answering an answered key again changes nothing
  ok(await call(d, 'tasks/update', { taskId, inputResponses: { [confirmKey]: { action: 'decline' } } }));
  ok(await call(d, 'tasks/update', { taskId, inputResponses: { [nameKey]: { action: 'accept', content: { name: 'Ada' } } } }));
  const done = await poll(d, taskId, terminal);
  assert.equal(done['status'], 'completed');
  assert.deepEqual(done['result'], { content: [{ type: 'text', text: 'name=Ada confirm=true' }], resultType: 'complete' });
  assert.deepEqual(
    d.events.filter((event) => event.type === 'status').map((event) => (event as { status: string }).status),
    ['input_required', 'working'],
  );
});

test('SEP-2663: tasks/update without inputResponses, or for an unknown task, is -32602; the unknown id is audited', async (t) => {
  const d = deployment();
  t.after(() => d.close());
  const taskId = ok(await call(d, 'tools/call', { name: 'slow_compute', arguments: { seconds: 30 } }))['taskId'] as string;
  assert.equal(code(await call(d, 'tasks/update', { taskId })), -32602);
  assert.equal(code(await call(d, 'tasks/update', { taskId: 'nope', inputResponses: {} })), -32602);
  assert.equal(code(await call(d, 'tasks/get', {})), -32602);
  assert.ok(d.events.some((event) => event.type === 'unknown-task' && event.method === 'tasks/update' && event.taskId === 'nope'));
  ok(await call(d, 'tasks/cancel', { taskId }));
  assert.equal(code(await call(d, 'tasks/cancel', { taskId: 'nope' })), -32602);
  // a terminal task is acknowledged the same, and stays cancelled
  assert.deepEqual(ok(await call(d, 'tasks/cancel', { taskId })), { resultType: 'complete', _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'spec', version: '1' } } });
  assert.equal((await poll(d, taskId, terminal))['status'], 'cancelled');
});

test('SEP-2663: a task belongs to its principal: another principal gets -32602 for get, update and cancel', async (t) => {
  const d = deployment();
  t.after(() => d.close());
  const taskId = ok(await call(d, 'tools/call', { name: 'confirm_delete', arguments: { filename: 'a.txt' } }, { authInfo: ALICE }))['taskId'] as string;
  await poll(d, taskId, inputRequired(1), { authInfo: ALICE });
  for (const [method, params] of [
    ['tasks/get', { taskId }],
    ['tasks/update', { taskId, inputResponses: {} }],
    ['tasks/cancel', { taskId }],
  ] as const) {
    assert.equal(code(await call(d, method, params, { authInfo: BOB })), -32602, method);
    assert.equal(code(await call(d, method, params)), -32602, `${method} anonymous`);
  }
  assert.equal((await poll(d, taskId, inputRequired(1), { authInfo: ALICE }))['status'], 'input_required');
});

test('SEP-2322: a tool\'s inputs are asked as input_required rounds; a malformed answer is -32602; an answered round creates the task', async (t) => {
  const d = deployment();
  t.after(() => d.close());
  const round1 = ok(await call(d, 'tools/call', { name: 'test_tool_with_task', arguments: {} }));
  assert.equal(round1['resultType'], 'input_required');
  assert.equal(round1['taskId'], undefined);
  assert.deepEqual(Object.keys(round1['inputRequests'] as object), ['user_name']);
  assert.equal(d.support.runningCount, 0, 'no task before the inputs are answered');
  const malformed = await call(d, 'tools/call', { name: 'test_tool_with_task', arguments: {}, inputResponses: { user_name: { action: 'sure' } } });
  assert.equal(code(malformed), -32602);
  const round2 = ok(await call(d, 'tools/call', { name: 'test_tool_with_task', arguments: {}, inputResponses: { user_name: { action: 'accept', content: { name: 'Grace' } } } }));
  assert.equal(round2['resultType'], 'task');
  assert.match(((await poll(d, round2['taskId'] as string, terminal))['result'] as { content: Array<{ text: string }> }).content[0]!.text, /Grace/);
  // without a task (forbidden tool): the same rounds, then the result at once
  const sync = ok(await call(d, 'tools/call', { name: 'test_input_required_result_elicitation', arguments: {}, inputResponses: { user_name: { action: 'accept', content: { name: 'Lin' } } } }));
  assert.deepEqual(sync['content'], [{ type: 'text', text: 'Hello, Lin!' }]);
});

test('SEP-2663: a call that runs without a task cannot ask mid-call: -32021 without the extension, -32603 with it; progress still reaches the call', async (t) => {
  const d = deployment();
  t.after(() => d.close());
  const undeclared = await call(d, 'tools/call', { name: 'confirm_delete', arguments: { filename: 'b' } }, { declare: false });
  assert.equal(code(undeclared), -32021);
  assert.deepEqual(undeclared.error?.data, { requiredCapabilities: { extensions: { [TASKS_EXTENSION_ID]: {} } } });
  // a forbidden tool that elicits: the fixture elicit is 'required'; register one that is forbidden
  const e = deployment();
  t.after(() => e.close());
  e.extension.registerTool({ name: 'asks_inline', inputSchema: { type: 'object' } }, async (_args, ctx) => {
    await ctx.elicit('now?', { type: 'object', properties: {} });
    return { content: [] };
  });
  const declared = await post(e.handler, 'tools/call', { name: 'asks_inline', arguments: {} });
  assert.equal(code(declared), -32603);
  assert.match(declared.error!.message, /asks_inline runs without a task/);
  const progress = await post(d.handler, 'tools/call', { name: 'tasks_conformance_progress', arguments: { steps: 2, delayMs: 1 }, _meta: { progressToken: 'p1' } }, { declare: false });
  assert.deepEqual(ok(progress)['content'], [{ type: 'text', text: 'done' }]);
});

test('SEP-2663: ttlMs is the store\'s resolved lifetime, and a task is gone (-32602) once it has passed', async (t) => {
  const d = deployment({ ttl: 300 });
  t.after(() => d.close());
  const created = ok(await call(d, 'tools/call', { name: 'slow_compute', arguments: { seconds: 0 } }));
  assert.equal(created['ttlMs'], 300);
  assert.equal(created['pollIntervalMs'], 50);
  const taskId = created['taskId'] as string;
  await nextChange(d, taskId, Number.MAX_SAFE_INTEGER);
  assert.equal(code(await call(d, 'tasks/get', { taskId })), -32602);
});

test('one store, both revisions: a 2026-07-28 task is a 2025-11-25 task for the same principal, and back', async (t) => {
  const d = deployment();
  t.after(() => d.close());
  const server = new Server({ name: 'legacy', version: '1' }, { capabilities: {} });
  const tasks = enableTasks(server, { taskSupport: d.support, scope: () => 'app|alice' });
  registerOfficialFixtures(tasks);
  const client = new Client({ name: 'c', version: '1' }, { capabilities: {} });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(a);
  await client.connect(b);
  t.after(() => client.close());

  // created under the extension, read and fetched under 2025-11-25
  const modern = ok(await call(d, 'tools/call', { name: 'slow_compute', arguments: { seconds: 0.05, label: 'both' } }, { authInfo: ALICE }));
  const legacyView = await client.request({ method: 'tasks/get', params: { taskId: modern['taskId'] as string } }, GetTaskResultSchema);
  assert.equal(legacyView.taskId, modern['taskId']);
  const payload = await client.request({ method: 'tasks/result', params: { taskId: modern['taskId'] as string } }, CallToolResultSchema);
  assert.deepEqual(payload.content, [{ type: 'text', text: 'slow_compute both done after 0.05s' }]);

  // created under 2025-11-25 with a tool error (failed there), completed with isError under the extension
  const legacy = await client.request({ method: 'tools/call', params: { name: 'failing_job', arguments: {}, task: {} } }, CreateTaskResultSchema);
  await client.request({ method: 'tasks/result', params: { taskId: legacy.task.taskId } }, CallToolResultSchema);
  assert.equal((await client.request({ method: 'tasks/get', params: { taskId: legacy.task.taskId } }, GetTaskResultSchema)).status, 'failed');
  const seen = ok(await call(d, 'tasks/get', { taskId: legacy.task.taskId }, { authInfo: ALICE }));
  assert.equal(seen['status'], 'completed');
  assert.equal((seen['result'] as { isError?: boolean }).isError, true);
  assert.equal(seen['ttlMs'], legacyView.ttl);
});
