/**
 * `mcp-tasks serve` as a child process (`node <dist>/src/cli/main.js serve …`), driven by the SDK
 * client over Streamable HTTP and stdio: every flag, the ready line, exit codes and shutdown.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import {
  CHILD_DEADLINE_MS,
  INITIALIZE,
  answeringClient,
  MAIN_JS,
  cancelTask,
  createTask,
  errorCode,
  getTask,
  httpClient,
  listTasks,
  rawPost,
  runServe,
  standaloneStreamOpen,
  startServe,
  stopServe,
  taskResult,
  textOf,
  within,
} from './serveHelpers.js';

const FIXTURES = [
  'tasks_conformance_optional',
  'tasks_conformance_required',
  'tasks_conformance_forbidden',
  'tasks_conformance_tool_error',
  'tasks_conformance_protocol_error',
  'tasks_conformance_elicit',
  'tasks_conformance_sample',
  'tasks_conformance_progress',
  'tasks_conformance_hold',
  'tasks_conformance_stubborn',
];

test('serve --port 0: one ready line with the real URL; R1/R2 capabilities; fixtures and demo tools; a task completes (R15, R48)', async () => {
  const serve = await startServe(['--port', '0']);
  try {
    assert.equal(serve.stdoutLines.length, 1);
    const url = new URL(serve.url);
    assert.equal(url.hostname, '127.0.0.1');
    assert.equal(url.pathname, '/mcp');
    assert.notEqual(url.port, '0');
    assert.notEqual(url.port, '');
    const client = await httpClient(serve.url);
    assert.deepEqual(client.getServerCapabilities()?.tasks, { list: {}, cancel: {}, requests: { tools: { call: {} } } });
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    for (const name of [...FIXTURES, 'demo_report', 'demo_confirm']) assert.ok(names.includes(name), name);
    const task = await createTask(client, 'tasks_conformance_required', { text: 'hello' });
    assert.equal(task.status, 'working');
    assert.equal(textOf(await taskResult(client, task.taskId)), 'hello');
    assert.equal((await getTask(client, task.taskId)).status, 'completed');
    assert.ok((await listTasks(client)).some((t) => t.taskId === task.taskId));
    await client.close();
  } finally {
    assert.equal(await stopServe(serve), 0);
  }
  assert.equal(serve.stdoutLines.length, 1, 'exactly one stdout line');
});

test('SIGTERM while a task runs: the task is aborted, the waiting tasks/result gets its -32603 error, exit code 0', async () => {
  const serve = await startServe(['--port', '0']);
  const client = await httpClient(serve.url);
  try {
    const task = await createTask(client, 'tasks_conformance_hold', { holdMs: 600_000 });
    const waiting = taskResult(client, task.taskId);
    waiting.catch(() => undefined);
    // The task is running when tasks/get says so; then stop the server.
    assert.equal((await getTask(client, task.taskId)).status, 'working');
    assert.equal(await stopServe(serve, 'SIGTERM'), 0);
    // The aborted task failed with the shutdown error, which tasks/result returns (R50).
    assert.equal(await errorCode(waiting), -32603);
    assert.match(serve.stderr(), /SIGTERM, shutting down/);
  } finally {
    await client.close();
    await stopServe(serve, 'SIGKILL');
  }
});

test('SIGTERM while a task that ignores cancellation runs: the process still exits 0', async () => {
  const serve = await startServe(['--port', '0']);
  const client = await httpClient(serve.url);
  try {
    const task = await createTask(client, 'tasks_conformance_stubborn', { holdMs: 600_000 });
    assert.equal((await getTask(client, task.taskId)).status, 'working');
    assert.equal(await stopServe(serve, 'SIGTERM'), 0);
  } finally {
    await client.close();
    await stopServe(serve, 'SIGKILL');
  }
});

test('SIGINT stops the server with exit code 0', async () => {
  const serve = await startServe(['--port', '0', '--json-response']);
  assert.equal(await stopServe(serve, 'SIGINT'), 0);
  assert.match(serve.stderr(), /SIGINT, shutting down/);
});

test('--json-response: JSON bodies, and elicitation reaches the client on the standalone stream (F4, R29–R32)', async () => {
  const serve = await startServe(['--port', '0', '--json-response']);
  try {
    const init = await rawPost(serve.url, INITIALIZE);
    assert.match(init.headers.get('content-type') ?? '', /application\/json/);
    await init.json();
    const client = await httpClient(serve.url, { capabilities: { elicitation: { form: {} } } });
    const asked: string[] = [];
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      asked.push(request.params.message);
      return { action: 'accept', content: { confirm: true } };
    });
    await standaloneStreamOpen(client);
    const task = await createTask(client, 'tasks_conformance_elicit', { message: 'Proceed?' });
    assert.equal(textOf(await taskResult(client, task.taskId)), 'confirmed: true');
    assert.deepEqual(asked, ['Proceed?']);
    await client.close();
  } finally {
    assert.equal(await stopServe(serve), 0);
  }
});

test('--stdio: the SDK stdio client works; ready line on stderr, nothing but protocol on stdout', async () => {
  const transport = new StdioClientTransport({ command: process.execPath, args: [MAIN_JS, 'serve', '--stdio'], stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const client = new Client({ name: 'stdio-test', version: '1.0.0' });
  await client.connect(transport);
  try {
    assert.deepEqual(client.getServerCapabilities()?.tasks, { list: {}, cancel: {}, requests: { tools: { call: {} } } });
    const task = await createTask(client, 'tasks_conformance_optional', { text: 'over stdio' });
    assert.equal(textOf(await taskResult(client, task.taskId)), 'over stdio');
    const held = await createTask(client, 'tasks_conformance_hold', { holdMs: 600_000 });
    assert.equal((await cancelTask(client, held.taskId)).status, 'cancelled');
    assert.ok((await listTasks(client)).length >= 2);
  } finally {
    await client.close();
  }
  assert.match(stderr, /mcp-tasks reference server ready \(stdio, in-memory store\)/);
});

test('--stdio: the server exits 0 when its client closes stdin', async () => {
  const child = spawn(process.execPath, [MAIN_JS, 'serve', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await within(new Promise<void>((resolve) => child.stderr.on('data', () => /ready/.test(stderr) && resolve())), CHILD_DEADLINE_MS, 'no ready line');
  child.stdin.end();
  assert.equal(await within(exited, CHILD_DEADLINE_MS, 'stdio server did not exit'), 0);
  assert.equal(stdout, '');
  assert.match(stderr, /client disconnected, shutting down/);
});

test('--stateless: every request stands alone; no tasks.list without identification (R87, R84)', async () => {
  const serve = await startServe(['--port', '0', '--stateless']);
  try {
    assert.match(serve.stdoutLines[0]!, /stateless/);
    const client = await httpClient(serve.url);
    assert.deepEqual(client.getServerCapabilities()?.tasks, { cancel: {}, requests: { tools: { call: {} } } });
    assert.equal(await errorCode(listTasks(client)), -32601);
    const task = await createTask(client, 'tasks_conformance_required', { text: 'alone', delayMs: 20 });
    assert.match(task.taskId, /^[A-Za-z0-9_-]{22,}$/);
    assert.equal(textOf(await taskResult(client, task.taskId)), 'alone');
    assert.equal((await getTask(client, task.taskId)).status, 'completed');
    const get = await fetch(serve.url, { headers: { accept: 'text/event-stream' } });
    assert.equal(get.status, 405);
    await get.body?.cancel();
    await client.close();
  } finally {
    assert.equal(await stopServe(serve), 0);
  }
});

test('--stateless: elicitation and sampling reach the client through tasks/result and their answers reach the task (routed side channel, R29–R32)', async () => {
  const serve = await startServe(['--port', '0', '--stateless']);
  try {
    const { client, asked } = await answeringClient(serve.url);
    const elicit = await createTask(client, 'tasks_conformance_elicit', { message: 'proceed?' });
    const sample = await createTask(client, 'tasks_conformance_sample', { prompt: 'hello' });
    const [elicited, sampled] = await Promise.all([taskResult(client, elicit.taskId), taskResult(client, sample.taskId)]);
    assert.equal(textOf(elicited), 'confirmed: true');
    assert.equal(textOf(sampled), 'sampled: hello');
    assert.deepEqual(asked.sort(), ['elicitation/create', 'sampling/createMessage']);
    assert.equal((await getTask(client, elicit.taskId)).status, 'completed');
    await client.close();
  } finally {
    assert.equal(await stopServe(serve), 0);
  }
});

test('--stateless --demo-auth: warning, 401 without a token, tasks.list declared, tasks isolated per token (R82, R85, R86)', async () => {
  const serve = await startServe(['--port', '0', '--stateless', '--demo-auth']);
  try {
    assert.match(serve.stderr(), /WARNING: --demo-auth accepts ANY bearer token/);
    const anonymous = await rawPost(serve.url, INITIALIZE);
    assert.equal(anonymous.status, 401);
    assert.equal(((await anonymous.json()) as { error: { code: number } }).error.code, -32000);
    const alice = await httpClient(serve.url, { token: 'alice' });
    const bob = await httpClient(serve.url, { token: 'bob' });
    assert.deepEqual(alice.getServerCapabilities()?.tasks, { list: {}, cancel: {}, requests: { tools: { call: {} } } });
    const task = await createTask(alice, 'tasks_conformance_hold', { holdMs: 600_000 });
    assert.equal(await errorCode(getTask(bob, task.taskId)), -32602);
    assert.equal(await errorCode(taskResult(bob, task.taskId)), -32602);
    assert.equal(await errorCode(cancelTask(bob, task.taskId)), -32602);
    assert.ok(!(await listTasks(bob)).some((t) => t.taskId === task.taskId));
    assert.ok((await listTasks(alice)).some((t) => t.taskId === task.taskId));
    assert.equal((await cancelTask(alice, task.taskId)).status, 'cancelled');
    await alice.close();
    await bob.close();
  } finally {
    assert.equal(await stopServe(serve), 0);
  }
});

test('bad command lines exit 2 with a clear message; --help exits 0', async () => {
  for (const args of [['--bogus'], ['--port', 'x'], ['--stdio', '--port', '1']]) {
    const { code, stderr, stdout } = await runServe(args);
    assert.equal(code, 2, args.join(' '));
    assert.match(stderr, /^mcp-tasks serve: .+ \(see mcp-tasks serve --help\)\n$/);
    assert.equal(stdout, '');
  }
  const help = await runServe(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--json-response/);
  assert.match(help.stdout, /MCP_TASKS_REDIS_URL/);
  const badEnv = await runServe([], { MCP_TASKS_REDIS_URL: 'http://nope' });
  assert.equal(badEnv.code, 2);
  assert.match(badEnv.stderr, /MCP_TASKS_REDIS_URL must be a redis:\/\//);
});

test('a port that is taken: exit code 1 and the reason', async () => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = blocker.address() as AddressInfo;
    const { code, stderr } = await runServe(['--port', String(port)]);
    assert.equal(code, 1);
    assert.match(stderr, /cannot start: .*EADDRINUSE/);
  } finally {
    await new Promise<void>((resolve) => blocker.close(() => resolve()));
  }
});
