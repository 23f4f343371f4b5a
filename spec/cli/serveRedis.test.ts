/**
 * `mcp-tasks serve --redis URL` (and MCP_TASKS_REDIS_URL) against a real redis-server started for
 * this test on a free port; skipped when redis-server is not installed.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { freePort } from '../support/redisServer.js';
import {
  CHILD_DEADLINE_MS,
  answeringClient,
  cancelTask,
  createTask,
  errorCode,
  getTask,
  httpClient,
  listTasks,
  runServe,
  startServe,
  stopServe,
  taskResult,
  textOf,
  within,
} from './serveHelpers.js';

const REDIS_SERVER = spawnSync('redis-server', ['--version']).status === 0;
const skip = REDIS_SERVER ? false : 'redis-server is not installed';

let redis: ChildProcess | undefined;
let redisUrl = '';


/** Starts redis-server on a free port; resolves false if it exited first (e.g. the port was taken meanwhile). */
async function startRedis(port: number): Promise<boolean> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const started = await within(
    new Promise<boolean>((resolve) => {
      lines.on('line', (line) => /Ready to accept connections/.test(line) && resolve(true));
      child.once('exit', () => resolve(false));
    }),
    CHILD_DEADLINE_MS,
    'redis-server did not start',
  );
  lines.close();
  child.stdout!.resume();
  if (started) {
    redis = child;
    redisUrl = `redis://127.0.0.1:${port}`;
  }
  return started;
}

before(async () => {
  if (!REDIS_SERVER) return;
  for (let attempt = 1; !(await startRedis(await freePort())); attempt++) {
    if (attempt === 3) throw new Error('redis-server did not start in 3 attempts');
  }
});

after(async () => {
  if (redis === undefined || redis.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => redis!.once('exit', () => resolve()));
  redis.kill('SIGTERM');
  await exited;
});

test('--redis URL: tasks live in Redis; the ready line names the store', { skip }, async () => {
  const serve = await startServe(['--port', '0', '--redis', redisUrl]);
  try {
    assert.match(serve.stdoutLines[0]!, /redis redis:\/\/127\.0\.0\.1:\d+ store/);
    const client = await httpClient(serve.url);
    const task = await createTask(client, 'tasks_conformance_required', { text: 'in redis' });
    assert.equal(textOf(await taskResult(client, task.taskId)), 'in redis');
    assert.equal((await getTask(client, task.taskId)).status, 'completed');
    await client.close();
  } finally {
    assert.equal(await stopServe(serve), 0);
  }
});

test('--stateless --demo-auth on two processes sharing Redis: one deployment, isolated per token (R82, R85, R86)', { skip }, async () => {
  const env = { MCP_TASKS_REDIS_URL: redisUrl };
  const [first, second] = await Promise.all([startServe(['--port', '0', '--stateless', '--demo-auth'], env), startServe(['--port', '0', '--stateless', '--demo-auth'], env)]);
  try {
    const aliceOnFirst = await httpClient(first.url, { token: 'alice-redis' });
    const aliceOnSecond = await httpClient(second.url, { token: 'alice-redis' });
    const bobOnSecond = await httpClient(second.url, { token: 'bob-redis' });
    const task = await createTask(aliceOnFirst, 'tasks_conformance_optional', { text: 'shared', delayMs: 50 });
    assert.equal(textOf(await taskResult(aliceOnSecond, task.taskId)), 'shared');
    assert.ok((await listTasks(aliceOnSecond)).some((t) => t.taskId === task.taskId));
    assert.equal(await errorCode(getTask(bobOnSecond, task.taskId)), -32602);
    assert.ok(!(await listTasks(bobOnSecond)).some((t) => t.taskId === task.taskId));
    // A task running in the first process asks through the second one's tasks/result; the answer,
    // posted to the second, is routed back to the first through Redis.
    const { client: carol, asked } = await answeringClient(second.url, { token: 'alice-redis' });
    const elicit = await createTask(aliceOnFirst, 'tasks_conformance_elicit', { message: 'across?' });
    assert.equal(textOf(await taskResult(carol, elicit.taskId)), 'confirmed: true');
    assert.deepEqual(asked, ['elicitation/create']);
    await carol.close();
    // Cancelling through the other process aborts the work where it runs.
    const held = await createTask(aliceOnFirst, 'tasks_conformance_hold', { holdMs: 600_000 });
    assert.equal((await cancelTask(aliceOnSecond, held.taskId)).status, 'cancelled');
    assert.equal((await getTask(aliceOnFirst, held.taskId)).status, 'cancelled');
    await Promise.all([aliceOnFirst.close(), aliceOnSecond.close(), bobOnSecond.close()]);
  } finally {
    assert.deepEqual(await Promise.all([stopServe(first), stopServe(second)]), [0, 0]);
  }
});

test('--redis with nothing listening: exit code 1 and a clear message', { skip }, async () => {
  const port = await freePort();
  const { code, stderr } = await runServe(['--port', '0', '--redis', `redis://127.0.0.1:${port}`]);
  assert.equal(code, 1);
  assert.match(stderr, /mcp-tasks serve: cannot start: cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+/);
});
