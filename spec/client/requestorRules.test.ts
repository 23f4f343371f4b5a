/**
 * Requestor rules checked against a scripted low-level SDK `Server` (a "C-harness": the test plays
 * the receiver and watches what our client sends).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  CancelTaskRequestSchema,
  GetTaskPayloadRequestSchema,
  GetTaskRequestSchema,
  ListTasksRequestSchema,
  ListToolsRequestSchema,
  McpError,
  type CallToolResult,
  type Task,
  type TaskStatus,
} from '@modelcontextprotocol/sdk/types.js';
import { callToolAsTask, listAllTasks, requestAsTask } from '../../src/client/index.js';
import { Gate, recordedPair, type WireLog } from './fixtures.js';

const T = { timeout: 15_000 };
const TASK_ID = 'harness-task-1';

type Step = TaskStatus | { error: McpError };

interface Harness {
  client: Client;
  server: Server;
  clientSent: WireLog;
  /** Times (ms) at which tasks/get requests arrived. */
  getTimes: number[];
  createdAt: number;
  close(): Promise<void>;
}

interface Script {
  pollInterval?: number;
  /** What successive tasks/get calls answer; the last entry repeats. */
  gets: Step[];
  /** What successive tasks/result calls answer; the last entry repeats. */
  results?: Array<CallToolResult | { error: McpError }>;
  /** tasks/list pages. */
  pages?: Array<{ tasks: Task[]; nextCursor?: string }>;
  /** Gate the tools/call answer waits on. */
  callGate?: Gate;
  /** Gate every tasks/result answer waits on. */
  resultGate?: Gate;
}

function taskIn(status: TaskStatus, pollInterval: number | undefined, at = Date.now()): Task {
  const stamp = new Date(at).toISOString();
  const task: Task = { taskId: TASK_ID, status, createdAt: stamp, lastUpdatedAt: stamp, ttl: 60_000 };
  if (pollInterval !== undefined) task.pollInterval = pollInterval;
  return task;
}

async function harness(script: Script): Promise<Harness> {
  const server = new Server(
    { name: 'c-harness', version: '1.0.0' },
    { capabilities: { tools: {}, tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } } } },
  );
  const getTimes: number[] = [];
  let created = 0;
  let gets = 0;
  let results = 0;
  let pages = 0;
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: [{ name: 'harness_tool', inputSchema: { type: 'object' }, execution: { taskSupport: 'required' } }],
  }));
  server.setRequestHandler(CallToolRequestSchema, async () => {
    if (script.callGate) await script.callGate.promise;
    created = Date.now();
    return { task: taskIn('working', script.pollInterval, created) };
  });
  server.setRequestHandler(GetTaskRequestSchema, async () => {
    getTimes.push(Date.now());
    const step = script.gets[Math.min(gets++, script.gets.length - 1)]!;
    if (typeof step !== 'string') throw step.error;
    return taskIn(step, script.pollInterval);
  });
  server.setRequestHandler(GetTaskPayloadRequestSchema, async () => {
    if (script.resultGate) await script.resultGate.promise;
    const answer = script.results?.[Math.min(results++, (script.results?.length ?? 1) - 1)];
    if (answer === undefined) throw new McpError(-32603, 'no result scripted');
    if ('error' in answer) throw answer.error;
    return answer;
  });
  server.setRequestHandler(ListTasksRequestSchema, async () => script.pages?.[pages++] ?? { tasks: [] });
  server.setRequestHandler(CancelTaskRequestSchema, async () => taskIn('cancelled', script.pollInterval));
  const client = new Client({ name: 'client-under-test', version: '1.0.0' });
  const pair = recordedPair();
  await server.connect(pair.serverTransport);
  await client.connect(pair.clientTransport);
  return {
    client,
    server,
    clientSent: pair.clientSent,
    getTimes,
    get createdAt() {
      return created;
    },
    async close() {
      await client.close();
      await server.close();
    },
  };
}

const ok = (text: string): CallToolResult => ({ content: [{ type: 'text', text }] });

describe('requestor rules (scripted receiver)', () => {
  test('R44 R45 R58: polls at the receiver’s pollInterval while working, without notifications', T, async () => {
    const h = await harness({ pollInterval: 60, gets: ['working', 'working', 'working', 'completed'], results: [ok('done')] });
    const task = await callToolAsTask(h.client, 'harness_tool', {});
    assert.equal((await task.wait()).status, 'completed');
    assert.equal(h.getTimes.length, 4);
    const result = await task.result();
    assert.equal(result.content[0]?.type === 'text' && result.content[0].text, 'done');
    // Each poll waits at least pollInterval after the previous one (timers may fire ≤1 ms early).
    const times = [h.createdAt, ...h.getTimes];
    for (let i = 1; i < times.length; i += 1) assert.ok(times[i]! - times[i - 1]! >= 55, `poll ${i} came too early`);
    await h.close();
  });

  test('a pollInterval of 0 does not make the handle flood the receiver', T, async () => {
    const h = await harness({ pollInterval: 0, gets: ['working', 'working', 'completed'], results: [ok('z')] });
    const task = await callToolAsTask(h.client, 'harness_tool', {});
    await task.wait();
    assert.equal(h.getTimes.length, 3);
    for (let i = 1; i < h.getTimes.length; i += 1) assert.ok(h.getTimes[i]! - h.getTimes[i - 1]! >= 4);
    await h.close();
  });

  test('F8: a blocking tasks/result is not cut short by the per-request timeout', T, async () => {
    const resultGate = new Gate();
    const h = await harness({ pollInterval: 30, gets: ['input_required'], results: [ok('waited')], resultGate });
    const task = await callToolAsTask(h.client, 'harness_tool', {}, { requestTimeout: 40 });
    const result = task.result();
    await h.clientSent.request('tasks/get', 4); // > 40 ms after tasks/result was sent
    resultGate.open();
    const value = await result;
    assert.equal(value.content[0]?.type === 'text' && value.content[0].text, 'waited');
    assert.equal(h.clientSent.requests('tasks/result').length, 1);
    await h.close();
  });

  test('R46: when tasks/result fails while the task is not terminal, polling goes on and it is retried', T, async () => {
    const h = await harness({
      pollInterval: 5,
      gets: ['input_required'],
      results: [{ error: new McpError(-32603, 'stream broke') }, ok('second try')],
    });
    const task = await callToolAsTask(h.client, 'harness_tool', {});
    const result = await task.result();
    assert.equal(result.content[0]?.type === 'text' && result.content[0].text, 'second try');
    assert.equal(h.clientSent.requests('tasks/result').length, 2);
    // tasks/get kept going between the two tasks/result calls.
    const order = h.clientSent.sent.filter((m) => 'method' in m && 'id' in m).map((m) => (m as { method: string }).method);
    const first = order.indexOf('tasks/result');
    const second = order.lastIndexOf('tasks/result');
    assert.ok(order.slice(first + 1, second).includes('tasks/get'));
    await h.close();
  });

  test('R67: cursors are passed back byte for byte', T, async () => {
    const odd = '  ~weird/cursor+==?&%20 ';
    const h = await harness({
      gets: ['working'],
      pages: [{ tasks: [taskIn('working', undefined)], nextCursor: odd }, { tasks: [taskIn('completed', undefined)] }],
    });
    const statuses: string[] = [];
    for await (const t of listAllTasks(h.client)) statuses.push(t.status);
    assert.deepEqual(statuses, ['working', 'completed']);
    const lists = h.clientSent.requests('tasks/list');
    assert.equal(lists.length, 2);
    assert.equal(lists[0]?.params, undefined);
    assert.equal(lists[1]?.params?.cursor, odd);
    await h.close();
  });

  test('a failing tasks/get rejects the waiters; a later wait polls again', T, async () => {
    const h = await harness({
      pollInterval: 5,
      gets: [{ error: new McpError(-32602, 'Task expired') }, 'completed'],
      results: [ok('late')],
    });
    const task = await callToolAsTask(h.client, 'harness_tool', {});
    await assert.rejects(task.wait(), (e: unknown) => e instanceof McpError && e.code === -32602);
    assert.equal((await task.wait()).status, 'completed');
    const statuses: string[] = [];
    for await (const t of task) statuses.push(t.status);
    assert.deepEqual(statuses, ['completed']);
    await h.close();
  });

  test('the iterator rethrows a polling failure', T, async () => {
    const h = await harness({ pollInterval: 5, gets: [{ error: new McpError(-32602, 'gone') }] });
    const task = await callToolAsTask(h.client, 'harness_tool', {});
    await assert.rejects(
      (async () => {
        for await (const _t of task) {
          // consume
        }
      })(),
      /gone/,
    );
    await h.close();
  });

  test('R75: giving up while the task is being created sends tasks/cancel, never notifications/cancelled', T, async () => {
    const gate = new Gate();
    const h = await harness({ gets: ['working'], callGate: gate });
    const controller = new AbortController();
    const creating = callToolAsTask(h.client, 'harness_tool', {}, { taskSupport: 'required', signal: controller.signal });
    await h.clientSent.request('tools/call');
    controller.abort(new Error('changed my mind'));
    await assert.rejects(creating, /changed my mind/);
    gate.open();
    const cancel = await h.clientSent.request('tasks/cancel');
    assert.equal((cancel as unknown as { params: { taskId: string } }).params.taskId, TASK_ID);
    assert.equal(h.clientSent.notifications('notifications/cancelled').length, 0);
    await assert.rejects(
      callToolAsTask(h.client, 'harness_tool', {}, { taskSupport: 'required', signal: controller.signal }),
      /changed my mind/,
    );
    await h.close();
  });

  test('a receiver answering with an invalid plain result is a clear -32602', T, async () => {
    const h = await harness({ gets: ['working'] });
    await assert.rejects(
      requestAsTask(h.client, { method: 'tools/call', params: { name: 'harness_tool' } }, GetTaskRequestSchema, {
        asTask: false,
      }),
      (e: unknown) => e instanceof McpError && e.code === -32602,
    );
    await h.close();
  });

  test('stale and regressing status notifications are ignored', T, async () => {
    const h = await harness({ pollInterval: 600_000, gets: ['working'], results: [ok('fin')] });
    const task = await callToolAsTask(h.client, 'harness_tool', {});
    const done = task.wait();
    const old = taskIn('input_required', 600_000, Date.parse(task.task.createdAt) - 1000);
    await h.server.notification({ method: 'notifications/tasks/status', params: { ...old, taskId: 'other-task' } });
    await h.server.notification({ method: 'notifications/tasks/status', params: old });
    assert.equal(task.task.status, 'working');
    await h.server.notification({ method: 'notifications/tasks/status', params: taskIn('completed', 600_000) });
    assert.equal((await done).status, 'completed');
    await h.server.notification({ method: 'notifications/tasks/status', params: taskIn('working', 600_000) });
    assert.equal(task.task.status, 'completed');
    assert.equal(task.task.status, (await task.wait()).status);
    await h.close();
  });
});
