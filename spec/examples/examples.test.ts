/**
 * The programs in examples/ run against each other, compiled with `strict` like a user's project
 * that installs this package (they import `mcp-tasks/...`, not relative paths).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CallToolResultSchema, CreateTaskResultSchema, ElicitRequestSchema, GetTaskResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { listen, post, sseMessages } from '../support/modernWire.js';
import { describeWithRedis, suiteRedis } from '../support/redisServer.js';
import { runNode, startNode, stopServe } from '../cli/serveHelpers.js';

const example = (name: string): string => fileURLToPath(new URL(`../../examples/${name}`, import.meta.url));

test('examples: http-server.js and client.js — the client answers the question, prints the result and exits; the server stops on SIGTERM', async (t) => {
  const server = await startNode([example('http-server.js'), '0']);
  t.after(() => stopServe(server, 'SIGKILL'));
  const client = await runNode([example('client.js'), server.url]);
  assert.equal(client.code, 0, client.stderr);
  assert.match(client.stdout, /asked: Deploy to staging\?/);
  assert.match(client.stdout, /^deployed to staging$/m);
  // two sessions in a row: one Server per session
  const again = await runNode([example('client.js'), server.url]);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(await stopServe(server, 'SIGTERM'), 0);
});

test('examples: hosting-client.js starts mcp-server-stdio.js, hosts the confirmation as its own task, exits', async () => {
  const run = await runNode([example('hosting-client.js')]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /asked \(as task [0-9a-f]{8}…\): Delete every file matching \*\.tmp\?/);
  assert.match(run.stdout, /^deleted \*\.tmp$/m);
});

test('examples: conformance.test.js runs the suite against an in-process server and passes', async () => {
  const run = await runNode(['--test', '--test-reporter=tap', example('conformance.test.js')], { NODE_TEST_CONTEXT: undefined }); // a test run of its own
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /# pass 1/);
});

describeWithRedis('examples: redis-server.js', () => {
  const redis = suiteRedis();

  test('two processes on one Redis: a task created through one is followed and fetched through the other', async (t) => {
    const { url } = await redis();
    const env = { REDIS_URL: url };
    const a = await startNode([example('redis-server.js'), '0'], env);
    t.after(() => stopServe(a, 'SIGKILL'));
    const b = await startNode([example('redis-server.js'), '0'], env);
    t.after(() => stopServe(b, 'SIGKILL'));
    const connect = async (endpoint: string): Promise<Client> => {
      const client = new Client({ name: 'examples-test', version: '1' });
      await client.connect(new StreamableHTTPClientTransport(new URL(endpoint)));
      t.after(() => client.close());
      return client;
    };
    const viaA = await connect(a.url);
    const viaB = await connect(b.url);
    const created = await viaA.request(
      { method: 'tools/call', params: { name: 'slow-sum', arguments: { numbers: [1, 2, 3] }, task: {} } },
      CreateTaskResultSchema,
    );
    const taskId = created.task.taskId;
    assert.equal((await viaB.request({ method: 'tasks/get', params: { taskId } }, GetTaskResultSchema)).taskId, taskId);
    const result = await viaB.request({ method: 'tasks/result', params: { taskId } }, CallToolResultSchema);
    assert.deepEqual(result.content, [{ type: 'text', text: 'sum: 6' }]);
    assert.equal(await stopServe(a, 'SIGTERM'), 0);
    assert.equal(await stopServe(b, 'SIGTERM'), 0);
  });
});

test('examples: both-revisions.js answers a 2025-11-25 client and a 2026-07-28 client on one URL, with the same tool', async (t) => {
  const server = await startNode([example('both-revisions.js'), '0']);
  t.after(() => stopServe(server, 'SIGKILL'));
  // 2025-11-25: the SDK 1.x client, a task whose question comes through tasks/result
  const client = new Client({ name: 'v1', version: '1' }, { capabilities: { elicitation: {} } });
  client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: { confirm: true } }));
  await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
  const created = await client.request({ method: 'tools/call', params: { name: 'deploy', arguments: { env: 'staging' }, task: {} } }, CreateTaskResultSchema);
  const legacy = await client.request({ method: 'tasks/result', params: { taskId: created.task.taskId } }, CallToolResultSchema);
  assert.deepEqual(legacy.content, [{ type: 'text', text: 'deployed to staging' }]);
  await client.close();
  // 2026-07-28: the extension, the question as inputRequests answered with tasks/update (followed with listen)
  const task = (await post(server.url, 'tools/call', { name: 'deploy', arguments: { env: 'prod' } })).result!;
  assert.equal(task['resultType'], 'task');
  const taskId = task['taskId'] as string;
  const seen: string[] = [];
  let last: Record<string, unknown> = {};
  for await (const message of sseMessages(await listen(server.url, [taskId]))) {
    if (message['method'] !== 'notifications/tasks') continue;
    last = message['params'] as Record<string, unknown>;
    seen.push(last['status'] as string);
    if (last['status'] !== 'input_required') continue;
    const [key] = Object.keys(last['inputRequests'] as object);
    await post(server.url, 'tasks/update', { taskId, inputResponses: { [key!]: { action: 'accept', content: { confirm: true } } } });
  }
  assert.ok(seen.includes('input_required'), seen.join());
  assert.equal(seen.at(-1), 'completed');
  assert.deepEqual(last['result'], { content: [{ type: 'text', text: 'deployed to prod' }], resultType: 'complete' });
  assert.equal(await stopServe(server, 'SIGTERM'), 0);
});
