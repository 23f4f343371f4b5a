/**
 * `subscriptions/listen` with `notifications.taskIds` (SEP-2663): the ack echoes the accepted ids
 * (the requestor's own, known ones), each change comes as `notifications/tasks` with the full
 * DetailedTask (the same as `tasks/get`), the stream ends with the listen result once every task is
 * terminal; -32021 without the extension; a client that goes away ends the watches. In one process,
 * and on Redis across processes (the task runs on one process, the stream is served by another).
 */
import { it, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AuthInfo } from '@modelcontextprotocol/server';
import { registerOfficialFixtures } from '../../conformance/officialFixtures.js';
import { TasksExtension } from '../../src/extension/index.js';
import { TaskSupport } from '../../src/server/index.js';
import { listen, post, sseMessages } from '../support/modernWire.js';
import { describeWithRedis, RedisServer } from '../support/redisServer.js';
import { startRefServer } from '../stores/redis/refServers.js';

const ALICE: AuthInfo = { token: 'a', clientId: 'app', scopes: [], extra: { sub: 'alice' } };
const SUBSCRIPTION = 'io.modelcontextprotocol/subscriptionId';

function deployment() {
  const support = TaskSupport.inMemory();
  const extension = new TasksExtension({ taskSupport: support });
  registerOfficialFixtures(extension);
  const handler = extension.httpHandler({ name: 'spec', version: '1' });
  return { support, handler, close: async () => (await handler.close(), await support.close()) };
}

type Message = Record<string, unknown> & { params?: Record<string, unknown>; result?: Record<string, unknown> };

/** Reads the stream to its end (bounded: 100 messages). */
async function readAll(response: Response, onTask?: (task: Record<string, unknown>) => Promise<void>): Promise<Message[]> {
  const messages: Message[] = [];
  for await (const message of sseMessages(response)) {
    messages.push(message as Message);
    if (message['method'] === 'notifications/tasks') await onTask?.((message as Message).params!);
    if (messages.length >= 100) break;
  }
  return messages;
}

test('SEP-2663: listen acknowledges the known ids, sends every state of the task as tasks/get has it, and ends when it is terminal', async (t) => {
  const d = deployment();
  t.after(() => d.close());
  const created = (await post(d.handler, 'tools/call', { name: 'confirm_delete', arguments: { filename: 'x.txt' } }, { authInfo: ALICE })).result!;
  const taskId = created['taskId'] as string;
  const response = await listen(d.handler, [taskId, 'not-a-task', taskId], { authInfo: ALICE });
  assert.equal(response.headers.get('content-type'), 'text/event-stream');
  const statuses: string[] = [];
  const messages = await readAll(response, async (task) => {
    statuses.push(task['status'] as string);
    if (task['status'] === 'input_required') {
      const [key] = Object.keys(task['inputRequests'] as object);
      const fetched = (await post(d.handler, 'tasks/get', { taskId }, { authInfo: ALICE })).result!;
      const { _meta: _n, ...notified } = task;
      const { _meta: _f, resultType: _r, ...got } = fetched;
      assert.deepEqual(notified, got, 'the notification is the tasks/get answer');
      await post(d.handler, 'tasks/update', { taskId, inputResponses: { [key!]: { action: 'accept', content: { confirm: true } } } }, { authInfo: ALICE });
    }
  });
  const [ack] = messages;
  assert.equal(ack!['method'], 'notifications/subscriptions/acknowledged');
  assert.deepEqual(ack!.params!['notifications'], { taskIds: [taskId] });
  const subscriptionId = (ack!.params!['_meta'] as Record<string, unknown>)[SUBSCRIPTION];
  assert.ok(messages.slice(1, -1).every((m) => m['method'] === 'notifications/tasks' && (m.params!['_meta'] as Record<string, unknown>)[SUBSCRIPTION] === subscriptionId));
  assert.equal(statuses[0], 'input_required');
  assert.equal(statuses.at(-1), 'completed');
  const completed = messages.at(-2)!.params!;
  assert.deepEqual(completed['result'], { content: [{ type: 'text', text: 'Deleted x.txt' }], resultType: 'complete' });
  const end = messages.at(-1)!;
  assert.equal(end['id'], subscriptionId);
  assert.equal(end.result!['resultType'], 'complete');
});

test('SEP-2663: listen needs the extension (-32021) and valid taskIds (-32602); another owner\'s task is not accepted', async (t) => {
  const d = deployment();
  t.after(() => d.close());
  const taskId = (await post(d.handler, 'tools/call', { name: 'slow_compute', arguments: { seconds: 0 } }, { authInfo: ALICE })).result!['taskId'] as string;
  const undeclared = await listen(d.handler, [taskId], { declare: false, authInfo: ALICE });
  assert.equal(undeclared.status, 400);
  assert.equal(((await undeclared.json()) as { error: { code: number } }).error.code, -32021);
  const tooMany = await listen(d.handler, Array.from({ length: 101 }, (_, i) => `t${i}`));
  assert.equal(((await tooMany.json()) as { error: { code: number } }).error.code, -32602);
  const stranger = await readAll(await listen(d.handler, [taskId]));
  assert.deepEqual(stranger[0]!.params!['notifications'], { taskIds: [] });
  assert.equal(stranger.length, 2, 'ack, then the end at once');
});

test('SEP-2663: a client that goes away ends its watches; close() ends open streams with their result', async (t) => {
  const d = deployment();
  t.after(() => d.close());
  const taskId = (await post(d.handler, 'tools/call', { name: 'slow_compute', arguments: { seconds: 60 } })).result!['taskId'] as string;
  const controller = new AbortController();
  const first = await listen(d.handler, [taskId], { signal: controller.signal });
  const reader = sseMessages(first);
  assert.equal((await reader.next()).value!['method'], 'notifications/subscriptions/acknowledged');
  assert.equal(((await reader.next()).value!['params'] as Record<string, unknown>)['status'], 'working');
  assert.equal(d.support.watchingCount, 1);
  controller.abort();
  await reader.return(undefined);
  // the watch ends with the request's signal within a few turns of the event loop (nothing to wait on: bounded)
  for (let turn = 0; turn < 100 && d.support.watchingCount > 0; turn++) await new Promise((resolve) => setImmediate(resolve));
  assert.equal(d.support.watchingCount, 0);

  const second = await listen(d.handler, [taskId]);
  const all = readAll(second);
  await d.handler.close();
  const messages = await all;
  assert.equal(messages.at(-1)!['result'] !== undefined, true, 'the listen result ends the stream');
});

describeWithRedis('task subscriptions on Redis: the stream on one process follows a task running on another', () => {
  it('ack, working, completed with its result, end', async (t) => {
    const redis = await RedisServer.start();
    t.after(() => redis.stop());
    const [a, b] = await Promise.all([startRefServer(redis.url, ['--stateless']), startRefServer(redis.url, ['--stateless'])]);
    t.after(() => Promise.allSettled([a!.stop(), b!.stop()]));
    const taskId = (await post(a!.url, 'tools/call', { name: 'slow_compute', arguments: { seconds: 0.3, label: 'far' } })).result!['taskId'] as string;
    const messages = await readAll(await listen(b!.url, [taskId]));
    const tasks = messages.filter((m) => m['method'] === 'notifications/tasks').map((m) => m.params!);
    assert.equal(tasks.at(-1)!['status'], 'completed');
    assert.deepEqual(tasks.at(-1)!['result'], { content: [{ type: 'text', text: 'slow_compute far done after 0.3s' }], resultType: 'complete' });
    assert.ok(messages.at(-1)!['result']);
  });
});
