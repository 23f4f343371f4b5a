/**
 * The reference server in process (`startReferenceServer`, `runServeCommand` with injected I/O):
 * demo tools, identity scoping across sessions, stdio over streams, backend selection, start-up
 * failures.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolResultSchema, ElicitRequestSchema, McpError, ProgressNotificationSchema, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { InMemoryTaskMessageQueue, InMemoryTaskResponseChannel, InMemoryTaskStore } from '../../src/stores/memory/index.js';
import { runServeCommand, startReferenceServer } from '../../src/cli/serve/index.js';
import { BackendUnavailableError, createBackend, redactUrl, type RedisBackendParts } from '../../src/cli/serve/backend.js';
import { abortableDelay } from '../../src/cli/serve/demoTools.js';
import {
  answeringClient,
  cancelTask,
  createTask,
  errorCode,
  getTask,
  httpClient,
  listTasks,
  standaloneStreamOpen,
  taskResult,
  textOf,
  within,
  withServer,
} from './serveHelpers.js';

test('demo_report as a task: progress i/n with the request token (R61), status message per section, a report', async () => {
  await withServer({}, async (server) => {
    const client = await httpClient(server.url!);
    await standaloneStreamOpen(client);
    const progress: Array<{ token: unknown; progress: number; total?: number }> = [];
    let allProgress!: () => void;
    const threeSeen = new Promise<void>((resolve) => (allProgress = resolve));
    client.setNotificationHandler(ProgressNotificationSchema, (notification) => {
      const { progressToken, progress: value, total } = notification.params;
      progress.push({ token: progressToken, progress: value, ...(total === undefined ? {} : { total }) });
      if (progress.length === 3) allProgress();
    });
    const task = await createTask(client, 'demo_report', { topic: 'tides', sections: 3, delayMs: 5 }, { progressToken: 'report-1' });
    const report = textOf(await taskResult(client, task.taskId));
    assert.match(report, /^# Report: tides/);
    assert.match(report, /## Section 3/);
    const done = await getTask(client, task.taskId);
    assert.equal(done.status, 'completed');
    assert.equal(done.statusMessage, 'writing section 3/3');
    await within(threeSeen, 10_000, 'three progress notifications');
    assert.deepEqual(progress, [1, 2, 3].map((i) => ({ token: 'report-1', progress: i, total: 3 })));
    await client.close();
  });
});

test('demo_report: tasks/cancel stops it (R71); a direct call returns the report; bad arguments → -32602', async () => {
  await withServer({}, async (server) => {
    const client = await httpClient(server.url!);
    const task = await createTask(client, 'demo_report', { topic: 'slow', sections: 20, delayMs: 60_000 });
    assert.equal((await cancelTask(client, task.taskId)).status, 'cancelled');
    assert.equal(await errorCode(taskResult(client, task.taskId)), -32602);
    const direct = await client.callTool({ name: 'demo_report', arguments: { topic: 'quick', sections: 1, delayMs: 0 } });
    assert.match(textOf(direct as never), /# Report: quick/);
    assert.equal(await errorCode(client.callTool({ name: 'demo_report', arguments: { topic: '' } })), -32602);
    assert.equal(await errorCode(client.callTool({ name: 'demo_report', arguments: { topic: 'x', sections: 99 } })), -32602);
    await client.close();
  });
});

test('abortableDelay rejects at once on an aborted signal and when aborted while waiting', async () => {
  const controller = new AbortController();
  controller.abort(new Error('already'));
  await assert.rejects(abortableDelay(10, controller.signal), /already/);
  const later = new AbortController();
  const waiting = abortableDelay(60_000, later.signal);
  later.abort(new Error('stop'));
  await assert.rejects(waiting, /stop/);
  await abortableDelay(0, new AbortController().signal);
});

test('demo_confirm asks by elicitation through tasks/result (R29–R32) and acts on the answer; without task → -32601 (R13)', async () => {
  await withServer({}, async (server) => {
    const client = await httpClient(server.url!, { capabilities: { elicitation: { form: {} } } });
    const answers: ElicitResult[] = [
      { action: 'accept', content: { confirm: true } },
      { action: 'accept', content: { confirm: false } },
      { action: 'decline' },
    ];
    const asked: string[] = [];
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      asked.push(request.params.message);
      return answers.shift()!;
    });
    const outcomes: string[] = [];
    for (let i = 0; i < 3; i++) {
      const task = await createTask(client, 'demo_confirm', { action: 'deploy' });
      outcomes.push(textOf(await taskResult(client, task.taskId)));
    }
    assert.deepEqual(outcomes, ['performed: deploy', 'not performed: "deploy" was not confirmed', 'not performed: the user chose decline']);
    assert.deepEqual(asked, ['Perform "deploy"?', 'Perform "deploy"?', 'Perform "deploy"?']);
    assert.equal(
      await errorCode(client.request({ method: 'tools/call', params: { name: 'demo_confirm', arguments: { action: 'x' } } }, CallToolResultSchema)),
      -32601,
    );
    await client.close();
  });
});

test('stateless: demo_confirm and the elicit/sample fixtures work through tasks/result, answers routed to the task (R29–R32)', async () => {
  await withServer({ stateless: true, demoAuth: true }, async (server) => {
    const { client, asked } = await answeringClient(server.url!, { token: 'erin' });
    const confirm = await createTask(client, 'demo_confirm', { action: 'ship' });
    assert.equal(textOf(await taskResult(client, confirm.taskId)), 'performed: ship');
    const tasks = await Promise.all([0, 1, 2].map((i) => createTask(client, 'tasks_conformance_sample', { prompt: `p${i}` })));
    const texts = await Promise.all(tasks.map(async (task) => textOf(await taskResult(client, task.taskId))));
    assert.deepEqual(texts, ['sampled: p0', 'sampled: p1', 'sampled: p2']);
    assert.equal(asked.length, 4);
    await client.close();
  });
});

test('stateless with JSON responses: a task that elicits fails at once with a clear error (no stream can carry the request)', async () => {
  await withServer({ stateless: true, jsonResponse: true }, async (server) => {
    const { client, asked } = await answeringClient(server.url!);
    const task = await createTask(client, 'tasks_conformance_elicit', { message: 'proceed?' });
    await assert.rejects(taskResult(client, task.taskId), (error: unknown) => {
      assert.ok(error instanceof McpError);
      assert.equal(error.code, -32000);
      assert.match(error.message, /elicitation\/create could not be delivered: a stateless server with JSON responses has no stream/);
      return true;
    });
    assert.equal((await getTask(client, task.taskId)).status, 'failed');
    assert.deepEqual(asked, []);
    await client.close();
  });
});

test('demo auth with sessions: a token sees its tasks from any session, another token never (R82, R85, R86)', async () => {
  await withServer({ demoAuth: true }, async (server) => {
    assert.equal(server.declaresList, true);
    const first = await httpClient(server.url!, { token: 'carol' });
    const second = await httpClient(server.url!, { token: 'carol' });
    const other = await httpClient(server.url!, { token: 'dave' });
    const task = await createTask(first, 'tasks_conformance_optional', { text: 'mine' });
    assert.equal(textOf(await taskResult(second, task.taskId)), 'mine');
    assert.ok((await listTasks(second)).some((t) => t.taskId === task.taskId));
    assert.equal(await errorCode(getTask(other, task.taskId)), -32602);
    assert.deepEqual(await listTasks(other), []);
    await Promise.all([first.close(), second.close(), other.close()]);
  });
});

test('without auth, sessions are the scope: another session cannot see a task (R83)', async () => {
  await withServer({ jsonResponse: true }, async (server) => {
    const first = await httpClient(server.url!);
    const second = await httpClient(server.url!);
    const task = await createTask(first, 'tasks_conformance_optional', { text: 'session' });
    assert.equal(await errorCode(getTask(second, task.taskId)), -32602);
    assert.equal(textOf(await taskResult(first, task.taskId)), 'session');
    await Promise.all([first.close(), second.close()]);
  });
});

test('stdio in process: a client over streams; the server ends when its input ends', async () => {
  const toServer = new PassThrough();
  const fromServer = new PassThrough();
  const server = await startReferenceServer({ stdio: true, stdin: toServer, stdout: fromServer });
  assert.equal(server.url, undefined);
  assert.match(server.description, /^stdio, in-memory store$/);
  const client = new Client({ name: 'streams', version: '1.0.0' });
  await client.connect(new StdioServerTransport(fromServer, toServer));
  const task = await createTask(client, 'tasks_conformance_required', { text: 'piped' });
  assert.equal(textOf(await taskResult(client, task.taskId)), 'piped');
  toServer.end();
  await within(server.ended, 10_000, 'server did not see the end of its input');
  await server.close();
  await client.close();
});

/** Fake Redis module parts built on the in-memory backends, recording close() and answering PING. */
function fakeRedisParts(ping: () => Promise<unknown> = async () => 'PONG'): RedisBackendParts & { closed: number } {
  const parts = {
    store: new InMemoryTaskStore(),
    queue: new InMemoryTaskMessageQueue(),
    responseChannel: new InMemoryTaskResponseChannel(),
    connection: { client: { ping } },
    closed: 0,
    async close() {
      parts.closed++;
      await Promise.all([parts.store.close(), parts.queue.close(), parts.responseChannel.close()]);
    },
  };
  return parts;
}

test('backend: in-memory by default; a Redis module is loaded only for a URL and its failures are clear', async () => {
  const memory = await createBackend(undefined);
  assert.equal(memory.description, 'in-memory');
  await memory.close();
  await memory.close();

  await assert.rejects(createBackend('redis://h:1', () => Promise.reject(new Error('Cannot find module'))), (error: unknown) => {
    assert.ok(error instanceof BackendUnavailableError);
    assert.match(error.message, /not available in this build \(Cannot find module\)/);
    return true;
  });
  await assert.rejects(createBackend('redis://h:1', () => Promise.resolve({})), /no createRedisBackend export/);
  await assert.rejects(createBackend('redis://h:1', () => Promise.resolve(null)), /no createRedisBackend export/);
  await assert.rejects(
    createBackend('redis://user:secret@h:1', () => Promise.resolve({ createRedisBackend: () => { throw new Error('bad options'); } })),
    (error: unknown) => {
      assert.ok(error instanceof BackendUnavailableError);
      assert.match(error.message, /^cannot use Redis at redis:\/\/h:1: bad options$/);
      assert.doesNotMatch(error.message, /secret/);
      return true;
    },
  );
  const unreachable = fakeRedisParts(() => Promise.reject(new Error('ECONNREFUSED')));
  await assert.rejects(createBackend('redis://h:1', async () => ({ createRedisBackend: () => unreachable })), /cannot reach Redis at redis:\/\/h:1: ECONNREFUSED/);
  assert.equal(unreachable.closed, 1);

  const parts = fakeRedisParts();
  const redis = await createBackend('redis://h:1', async () => ({ createRedisBackend: async () => parts }));
  assert.equal(redis.description, 'redis redis://h:1');
  await Promise.all([redis.close(), redis.close()]);
  assert.equal(parts.closed, 1);
  assert.equal(redis.taskSupport.closed, true);
});

test('backend: a module without a pingable client is used as is', async () => {
  const parts = { ...fakeRedisParts(), connection: undefined };
  const backend = await createBackend('rediss://h:2', async () => ({ createRedisBackend: () => parts }));
  assert.equal(backend.description, 'redis rediss://h:2');
  await backend.close();
});

test('redactUrl drops credentials and survives garbage', () => {
  assert.equal(redactUrl('redis://h:1/0'), 'redis://h:1/0');
  assert.equal(redactUrl('redis://:pw@h:1'), 'redis://h:1');
  assert.equal(redactUrl('nonsense'), '<invalid URL>');
});

async function busyPort(): Promise<{ port: number; release(): Promise<void> }> {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  return { port: (blocker.address() as AddressInfo).port, release: () => new Promise((resolve) => blocker.close(() => resolve())) };
}

test('startReferenceServer: a taken port rejects and the backend is closed again', async () => {
  const busy = await busyPort();
  const parts = fakeRedisParts();
  try {
    await assert.rejects(
      startReferenceServer({ port: busy.port, redisUrl: 'redis://h:1', loadRedis: async () => ({ createRedisBackend: () => parts }) }),
      /EADDRINUSE/,
    );
    assert.equal(parts.closed, 1);
  } finally {
    await busy.release();
  }
});

/** Injected I/O for runServeCommand. */
function io(stdin = new PassThrough(), stdout = new PassThrough()) {
  const out: string[] = [];
  const err: string[] = [];
  const signals = new EventEmitter();
  let readyLine!: (line: string) => void;
  const ready = new Promise<string>((resolve) => (readyLine = resolve));
  return {
    out,
    err,
    signals,
    ready,
    io: {
      out: { write: (text: string) => (out.push(text), /listening on/.test(text) && readyLine(text), true) },
      err: { write: (text: string) => (err.push(text), /ready \(/.test(text) && readyLine(text), true) },
      env: {},
      signals,
      stdin,
      stdout,
    },
  };
}

test('runServeCommand: --help → 0, a bad flag → 2, a taken port → 1', async () => {
  const help = io();
  assert.equal(await runServeCommand(['-h'], help.io), 0);
  assert.match(help.out.join(''), /^Usage: mcp-tasks serve/);
  const bad = io();
  assert.equal(await runServeCommand(['--port', '70000'], bad.io), 2);
  assert.match(bad.err.join(''), /--port must be an integer/);
  assert.equal(bad.signals.listenerCount('SIGINT'), 0);
  const busy = await busyPort();
  try {
    const taken = io();
    assert.equal(await runServeCommand(['--port', String(busy.port)], taken.io), 1);
    assert.match(taken.err.join(''), /cannot start: .*EADDRINUSE/);
    assert.equal(taken.signals.listenerCount('SIGTERM'), 0);
  } finally {
    await busy.release();
  }
});

test('runServeCommand: ready line, then SIGTERM → 0; demo auth prints its warning first', async () => {
  const run = io();
  const code = runServeCommand(['--port', '0', '--demo-auth', '--stateless'], run.io);
  const line = await run.ready;
  assert.match(line, /^mcp-tasks reference server listening on http:\/\/127\.0\.0\.1:\d+\/mcp \(Streamable HTTP, SSE responses, stateless, demo auth, in-memory store\)\n$/);
  assert.match(run.err[0]!, /WARNING: --demo-auth/);
  run.signals.emit('SIGTERM', 'SIGTERM');
  assert.equal(await code, 0);
  assert.equal(run.out.length, 1);
  assert.match(run.err.join(''), /SIGTERM, shutting down/);
  assert.equal(run.signals.listenerCount('SIGTERM'), 0);
});

test('runServeCommand: a signal during start-up stops the server as soon as it is up', async () => {
  const run = io();
  const code = runServeCommand(['--port', '0', '--json-response'], run.io);
  run.signals.emit('SIGINT', 'SIGINT');
  assert.equal(await code, 0);
  assert.match(run.err.join(''), /SIGINT, shutting down/);
});

test('runServeCommand --stdio: ready line on stderr, exits 0 when the client closes its input', async () => {
  const stdin = new PassThrough();
  const run = io(stdin);
  const code = runServeCommand(['--stdio'], run.io);
  assert.match(await run.ready, /^mcp-tasks reference server ready \(stdio, in-memory store\)\n$/);
  assert.deepEqual(run.out, []);
  stdin.end();
  assert.equal(await code, 0);
  assert.match(run.err.join(''), /client disconnected, shutting down/);
});

test('McpError codes surface unchanged through the helpers', async () => {
  assert.equal(await errorCode(Promise.reject(new McpError(-32602, 'x'))), -32602);
  await assert.rejects(errorCode(Promise.resolve(1)), /expected a JSON-RPC error/);
  await assert.rejects(errorCode(Promise.reject(new Error('plain'))), /plain/);
});

test('close() with a task that ignores cancellation still finishes (bounded grace); its waiter gets -32603', async () => {
  const server = await startReferenceServer({ port: 0 });
  const client = await httpClient(server.url!);
  // Longer than the shutdown grace (2 s), short enough that its timer does not keep the test process alive.
  const task = await createTask(client, 'tasks_conformance_stubborn', { holdMs: 3_000 });
  const waiting = taskResult(client, task.taskId);
  waiting.catch(() => undefined);
  assert.equal((await getTask(client, task.taskId)).status, 'working');
  await within(server.close(), 20_000, 'close() hung on a stubborn task');
  assert.equal(await errorCode(waiting), -32603);
  await client.close();
});
