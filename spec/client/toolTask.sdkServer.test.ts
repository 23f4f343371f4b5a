/**
 * Our client task handles against an SDK `McpServer` using the SDK's own task support
 * (registerToolTask + InMemoryTaskStore + InMemoryTaskMessageQueue).
 */
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { ElicitRequestSchema, McpError, RELATED_TASK_META_KEY, TaskStatusNotificationSchema, type Task } from '@modelcontextprotocol/sdk/types.js';
import { CapabilityMissingError } from '../../src/core/errors.js';
import { callToolAsTask, listTasks, observeTaskStatus, TaskClient, TaskWaitTimeoutError } from '../../src/client/index.js';
import { sdkClient, sdkServer, type SdkServerFixture, type WireLog } from './fixtures.js';

const T = { timeout: 15_000 };

function textOf(result: { content: Array<{ type: string; text?: string }> }): string | undefined {
  return result.content[0]?.text;
}

function assertNoRelatedTaskMeta(log: WireLog): void {
  for (const method of ['tasks/get', 'tasks/result', 'tasks/cancel', 'tasks/list']) {
    for (const request of log.requests(method)) {
      const meta = request.params?._meta as Record<string, unknown> | undefined;
      assert.equal(meta?.[RELATED_TASK_META_KEY], undefined, `${method} carries related-task _meta`);
    }
  }
}

describe('client task handles against an SDK McpServer (built-in task support)', () => {
  let fixture: SdkServerFixture;
  beforeEach(() => {
    fixture = sdkServer();
  });
  afterEach(async () => {
    await fixture.close();
  });

  test('R12 R3: a required tool is called with task; result() returns the CallToolResult', T, async () => {
    const client = sdkClient();
    const { clientSent } = await fixture.connect(client);
    const task = await callToolAsTask(client, 'sdk_echo', { text: 'hello' }, { ttl: 30_000 });
    assert.equal(task.returnedImmediately, false);
    assert.equal(typeof task.taskId, 'string');
    const call = clientSent.requests('tools/call')[0];
    assert.deepEqual(call?.params?.task, { ttl: 30_000 });
    const result = await task.result();
    assert.equal(textOf(result), 'hello');
    assert.equal((await task.wait()).status, 'completed');
    assert.equal((await task.status()).status, 'completed');
    assertNoRelatedTaskMeta(clientSent);
    await client.close();
  });

  test('R11: an optional tool goes as a task when the server declared tools.call', T, async () => {
    const client = sdkClient();
    const { clientSent } = await fixture.connect(client);
    const task = await callToolAsTask(client, 'sdk_optional', { text: 'opt' });
    assert.equal(task.returnedImmediately, false);
    assert.deepEqual(clientSent.requests('tools/call')[0]?.params?.task, {});
    assert.equal(textOf(await task.result()), 'opt');
    await client.close();
  });

  test('R50 typescript-sdk#1922: a failed task with an isError result gives that result, not a generic error', T, async () => {
    const client = sdkClient();
    await fixture.connect(client);
    const task = await callToolAsTask(client, 'sdk_tool_error', { message: 'bad input' });
    const result = await task.result();
    assert.equal(result.isError, true);
    assert.equal(textOf(result), 'bad input');
    assert.equal((await task.wait()).status, 'failed');
    await client.close();
  });

  test('R75 G3: cancel() uses tasks/cancel; result() then throws the very error the server returned', T, async () => {
    const client = sdkClient();
    const { clientSent } = await fixture.connect(client);
    const task = await callToolAsTask(client, 'sdk_hold', { gate: 'never' });
    const cancelled = await task.cancel();
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(task.task.status, 'cancelled');
    assert.equal(clientSent.requests('tasks/cancel').length, 1);
    assert.equal(clientSent.notifications('notifications/cancelled').length, 0);
    const error = await task.result().then(
      () => assert.fail('result() must throw for a cancelled task without result'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof McpError);
    // The SDK server answers tasks/result on a cancelled task with -32603 "no result stored".
    assert.equal(error.code, -32603);
    assert.match(error.message, /no result stored/);
    // A second cancel is the server's -32602 (R69), passed through.
    await assert.rejects(task.cancel(), (e: unknown) => e instanceof McpError && e.code === -32602);
    assertNoRelatedTaskMeta(clientSent);
    await client.close();
  });

  test('R31: on input_required the handle calls tasks/result and the elicitation flows', T, async () => {
    const client = sdkClient();
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      assert.equal(request.params.message, 'sure?');
      return { action: 'accept', content: { confirm: true } };
    });
    const { clientSent } = await fixture.connect(client);
    const task = await callToolAsTask(client, 'sdk_elicit', { message: 'sure?' });
    const seen = await task.wait({ state: 'input_required' });
    assert.ok(seen.status === 'input_required' || seen.status === 'completed');
    const result = await task.result();
    assert.equal(textOf(result), 'confirmed: true');
    assert.ok(clientSent.requests('tasks/result').length >= 1);
    assertNoRelatedTaskMeta(clientSent);
    await client.close();
  });

  test('F7: a client hosting tasks still answers a server task’s side-channel request directly', T, async () => {
    const client = new TaskClient({ name: 'hosting', version: '1.0.0' }, { capabilities: { elicitation: { form: {} } } });
    const hosted = client.experimental.enableTasks({
      elicitation: async (request, ctx) => {
        assert.equal(ctx.taskId, undefined);
        assert.equal(request.params.message, 'f7?');
        return { action: 'accept', content: { confirm: true } };
      },
    });
    await fixture.connect(client);
    const task = await client.experimental.callToolAsTask('sdk_elicit', { message: 'f7?' });
    const result = await task.result();
    assert.equal(textOf(result), 'confirmed: true');
    assert.deepEqual(result.structuredContent, { meta: { [RELATED_TASK_META_KEY]: { taskId: task.taskId } } });
    await client.close();
    await hosted.close();
  });

  test('R9: a forbidden tool is called plainly and returns immediately', T, async () => {
    const client = sdkClient();
    const { clientSent } = await fixture.connect(client);
    const task = await callToolAsTask(client, 'sdk_plain', { text: 'plain' }, { signal: new AbortController().signal });
    assert.equal(task.returnedImmediately, true);
    assert.equal(task.taskId, undefined);
    assert.equal(clientSent.requests('tools/call')[0]?.params?.task, undefined);
    assert.equal(textOf(await task.result()), 'plain');
    assert.equal((await task.wait()).status, 'completed');
    assert.equal((await task.status()).status, 'completed');
    const states: Task[] = [];
    for await (const state of task) states.push(state);
    assert.deepEqual(states.map((s) => s.status), ['completed']);
    const stop = task.onStatusChange(() => assert.fail('no changes'));
    stop();
    await assert.rejects(task.cancel(), /terminal/);
    assert.equal(clientSent.requests('tasks/get').length, 0);
    await client.close();
  });

  test('an unknown tool is called plainly; the server error surfaces', T, async () => {
    const client = sdkClient();
    await fixture.connect(client);
    const task = await callToolAsTask(client, 'no_such_tool', {});
    assert.equal(task.returnedImmediately, true);
    assert.equal((await task.result()).isError, true);
    await client.close();
  });

  test('wait() with a timeout rejects with TaskWaitTimeoutError and the task goes on', T, async () => {
    const client = sdkClient();
    await fixture.connect(client);
    const task = await callToolAsTask(client, 'sdk_hold', { gate: 'g1' });
    await assert.rejects(task.wait({ timeout: 30 }), (e: unknown) => e instanceof TaskWaitTimeoutError && e.code === -32001);
    await assert.rejects(task.result({ timeout: 0 }), TaskWaitTimeoutError);
    fixture.gates.open('g1');
    assert.equal(textOf(await task.result()), 'held');
    await client.close();
  });

  test('F9: a reused AbortSignal gets no leaked listeners; aborting stops waiting only', T, async () => {
    const client = sdkClient();
    const { clientSent } = await fixture.connect(client);
    const controller = new AbortController();
    for (let i = 0; i < 15; i += 1) {
      const task = await callToolAsTask(client, 'sdk_echo', { text: `n${i}` }, { signal: controller.signal });
      assert.equal(textOf(await task.result({ signal: controller.signal })), `n${i}`);
      await task.wait({ signal: controller.signal, state: 'completed' });
    }
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0);

    const held = await callToolAsTask(client, 'sdk_hold', { gate: 'g2' });
    const waiting = held.wait({ signal: controller.signal });
    controller.abort(new Error('user gave up'));
    await assert.rejects(waiting, /user gave up/);
    await assert.rejects(held.result({ signal: controller.signal }), /user gave up/);
    assert.equal(clientSent.requests('tasks/cancel').length, 0);
    const callIds = new Set(clientSent.requests('tools/call').map((r) => r.id));
    for (const n of clientSent.notifications('notifications/cancelled')) {
      assert.ok(!callIds.has(n.params?.requestId as never), 'a tools/call was cancelled with notifications/cancelled');
    }
    fixture.gates.open('g2');
    assert.equal(textOf(await held.result()), 'held');
    await client.close();
  });

  test('onStatusChange and async iteration report every change up to the terminal state', T, async () => {
    const client = sdkClient();
    await fixture.connect(client);
    const task = await callToolAsTask(client, 'sdk_status', { gate: 'g3' });
    const changes: string[] = [];
    const stop = task.onStatusChange((t) => changes.push(`${t.status}:${t.statusMessage ?? ''}`));
    const seen: string[] = [];
    for await (const t of task) {
      seen.push(`${t.status}:${t.statusMessage ?? ''}`);
      if (seen.length === 1) fixture.gates.open('g3:a');
      if (t.statusMessage === 'step 1') fixture.gates.open('g3:b');
    }
    stop();
    stop();
    assert.deepEqual(seen, ['working:', 'working:step 1', 'completed:step 1']);
    assert.deepEqual(changes, ['working:step 1', 'completed:step 1']);
    await client.close();
  });

  test('R58: without status notifications the handle still completes by polling', T, async () => {
    const client = sdkClient();
    await fixture.connect(client);
    const task = await callToolAsTask(client, 'sdk_hold', { gate: 'g4' }, { statusNotifications: false });
    const result = task.result();
    await task.wait({ state: 'working' });
    fixture.gates.open('g4');
    assert.equal(textOf(await result), 'held');
    await client.close();
  });
});

describe('client task handles: notifications and negotiation', () => {
  test('R59: a status notification wakes the handle early (pollInterval far away)', T, async () => {
    const fixture = sdkServer({ pollInterval: 600_000 });
    const client = sdkClient();
    await fixture.connect(client);
    const task = await callToolAsTask(client, 'sdk_hold', { gate: 'g' });
    const result = task.result();
    fixture.gates.open('g');
    assert.equal(textOf(await result), 'held');
    await client.close();
    await fixture.close();
  });

  test('TaskClient: the user’s own status-notification handler and the handles’ wake-ups coexist', T, async () => {
    const fixture = sdkServer({ pollInterval: 600_000 });
    const client = new TaskClient({ name: 'c', version: '1.0.0' });
    const seenByUser: string[] = [];
    client.setNotificationHandler(TaskStatusNotificationSchema, () => {
      seenByUser.push('ignored');
    });
    client.setNotificationHandler(TaskStatusNotificationSchema, (n) => {
      seenByUser.push(n.params.status);
    });
    await fixture.connect(client);
    const task = await client.experimental.callToolAsTask('sdk_hold', { gate: 'n1' });
    const result = task.result();
    fixture.gates.open('n1');
    assert.equal(textOf(await result), 'held');
    assert.ok(seenByUser.includes('completed'));
    assert.ok(!seenByUser.includes('ignored'));
    await client.close();
    await fixture.close();
  });

  test('plain Client: observeTaskStatus sees notifications alongside the handles', T, async () => {
    const fixture = sdkServer({ pollInterval: 600_000 });
    const client = sdkClient();
    const seen: string[] = [];
    const stop = observeTaskStatus(client, (n) => {
      seen.push(n.params.status);
    });
    await fixture.connect(client);
    const task = await callToolAsTask(client, 'sdk_hold', { gate: 'n2' });
    const done = task.wait();
    fixture.gates.open('n2');
    assert.equal((await done).status, 'completed');
    assert.ok(seen.includes('completed'));
    stop();
    await client.close();
    await fixture.close();
  });

  test('R8 R4: a required tool on a server without tasks.requests.tools.call fails before sending', T, async () => {
    const fixture = sdkServer({ capabilities: { tools: {} } });
    const client = sdkClient();
    const { clientSent } = await fixture.connect(client);
    await assert.rejects(callToolAsTask(client, 'sdk_echo', { text: 'x' }), (e: unknown) => {
      assert.ok(e instanceof CapabilityMissingError);
      assert.equal(e.code, -32600);
      return true;
    });
    assert.equal(clientSent.requests('tools/call').length, 0);
    // An optional tool is then called plainly (graceful degradation).
    const task = await callToolAsTask(client, 'sdk_optional', { text: 'o' });
    assert.equal(task.returnedImmediately, true);
    assert.equal(clientSent.requests('tools/call')[0]?.params?.task, undefined);
    assert.equal(textOf(await task.result()), 'o');
    await client.close();
    await fixture.close();
  });

  test('R6: cancel() and listTasks() fail before sending when tasks.cancel / tasks.list are not declared', T, async () => {
    const fixture = sdkServer({ capabilities: { tasks: { requests: { tools: { call: {} } } } } });
    const client = sdkClient();
    const { clientSent } = await fixture.connect(client);
    const task = await callToolAsTask(client, 'sdk_hold', { gate: 'r6' });
    await assert.rejects(task.cancel(), (e: unknown) => e instanceof CapabilityMissingError && /tasks\.cancel/.test(e.message));
    await assert.rejects(listTasks(client), (e: unknown) => e instanceof CapabilityMissingError && /tasks\.list/.test(e.message));
    assert.equal(clientSent.requests('tasks/cancel').length + clientSent.requests('tasks/list').length, 0);
    fixture.gates.open('r6');
    assert.equal(textOf(await task.result()), 'held');
    await client.close();
    await fixture.close();
  });

  test('taskSupport given by the caller skips tools/list', T, async () => {
    const fixture = sdkServer();
    const client = sdkClient();
    const { clientSent } = await fixture.connect(client);
    const task = await callToolAsTask(client, 'sdk_echo', { text: 'k' }, { taskSupport: 'required', meta: { trace: 1 } });
    assert.equal(clientSent.requests('tools/list').length, 0);
    assert.deepEqual(clientSent.requests('tools/call')[0]?.params?._meta, { trace: 1 });
    assert.equal(textOf(await task.result()), 'k');
    await client.close();
    await fixture.close();
  });
});
