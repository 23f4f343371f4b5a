/** TaskResultHandler delivery edge cases, driven directly with in-memory backends. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode, McpError, type JSONRPCRequest } from '@modelcontextprotocol/sdk/types.js';
import { InMemoryTaskMessageQueue, InMemoryTaskResponseChannel, InMemoryTaskStore } from '../../src/stores/memory/index.js';
import { TaskResultHandler } from '../../src/receiver/resultHandler.js';
import { SideChannel, type SideChannelDelivery } from '../../src/runtime/sideChannel.js';
import { Resolver } from '../support/resolver.js';

/** In-memory store, queue and response channel, closed after the test, and one task. */
async function stores(t: import('node:test').TestContext) {
  const store = new InMemoryTaskStore();
  const queue = new InMemoryTaskMessageQueue();
  const responseChannel = new InMemoryTaskResponseChannel();
  t.after(async () => {
    await queue.close();
    await responseChannel.close();
    await store.close();
  });
  const task = await store.createTask({}, 1, { method: 'tools/call' });
  return { store, queue, responseChannel, task };
}

async function backends(t: import('node:test').TestContext) {
  const { store, queue, responseChannel, task } = await stores(t);
  const message: JSONRPCRequest = { jsonrpc: '2.0', id: `task-${task.taskId}-1`, method: 'elicitation/create', params: { message: 'm' } };
  await queue.enqueue(task.taskId, { type: 'request', message, timestamp: Date.now() });
  const sideChannel = new SideChannel({ queue, responseChannel });
  return { store, queue, responseChannel, task, message, sideChannel, handler: new TaskResultHandler({ store, queue, sideChannel }) };
}

test('G15: a request whose tasks/result was cancelled before it went out is queued again for the next tasks/result', async (t) => {
  const { queue, task, handler } = await backends(t);
  const controller = new AbortController();
  let attempts = 0;
  const sent = new Resolver<void>();
  const delivery: SideChannelDelivery = {
    sendRequest: () => {
      attempts += 1;
      controller.abort(new Error('tasks/result cancelled'));
      sent.setResult();
      return Promise.reject(new McpError(ErrorCode.ConnectionClosed, 'Request was cancelled'));
    },
    sendNotification: async () => undefined,
  };
  await assert.rejects(handler.handle(task.taskId, { scope: undefined, delivery, sideChannelTimeout: 1000, signal: controller.signal }));
  await sent.wait();
  await queue.waitForMessage(task.taskId);
  assert.equal(await queue.size(task.taskId), 1);
  assert.equal(attempts, 1);
});

test('R29: a delivery that fails for another reason is reported to the waiting task', async (t) => {
  const { responseChannel, task, message, handler } = await backends(t);
  const answer = responseChannel.waitForResponse(String(message.id));
  const controller = new AbortController();
  const delivery: SideChannelDelivery = {
    sendRequest: () => Promise.reject(new McpError(ErrorCode.ConnectionClosed, 'Connection closed')),
    sendNotification: async () => undefined,
  };
  const pending = handler.handle(task.taskId, { scope: undefined, delivery, sideChannelTimeout: 1000, signal: controller.signal });
  const settled = await answer;
  assert.ok('error' in settled);
  assert.equal(settled.error.code, ErrorCode.ConnectionClosed);
  assert.match(settled.error.message, /elicitation\/create could not be delivered/);
  controller.abort();
  await assert.rejects(pending);
});

test('R29 (routed): a forward that fails is reported to the task; routeResponse publishes and clears the deadline', async (t) => {
  const { responseChannel, task, message, handler, queue, sideChannel } = await backends(t);
  const answer = responseChannel.waitForResponse(String(message.id));
  const controller = new AbortController();
  const delivery: SideChannelDelivery = {
    sendRequest: () => Promise.reject(new Error('unused')),
    sendNotification: async () => undefined,
    forward: () => Promise.reject(new Error('transport gone')),
  };
  const pending = handler.handle(task.taskId, { scope: undefined, delivery, sideChannelTimeout: 60_000, signal: controller.signal });
  const settled = await answer;
  assert.ok('error' in settled);
  assert.match(settled.error.message, /transport gone/);
  // a forward that succeeds: the answer arrives through routeResponse
  const second: JSONRPCRequest = { ...message, id: `task-${task.taskId}-2` };
  const secondAnswer = responseChannel.waitForResponse(String(second.id));
  const forwarded = new Resolver<void>();
  const ok: SideChannelDelivery = { ...delivery, forward: async () => forwarded.setResult() };
  controller.abort();
  await assert.rejects(pending);
  await queue.enqueue(task.taskId, { type: 'request', message: second, timestamp: Date.now() });
  const again = new AbortController();
  const pending2 = handler.handle(task.taskId, { scope: undefined, delivery: ok, sideChannelTimeout: 60_000, signal: again.signal });
  await forwarded.wait();
  sideChannel.routeResponse(String(second.id), { result: { action: 'accept' } });
  assert.deepEqual(await secondAnswer, { result: { action: 'accept' } });
  again.abort();
  await assert.rejects(pending2);
  sideChannel.close();
});

test('R49: a blocked tasks/result reads the task once and then lives on the states its wake-ups bring (no read per change)', async (t) => {
  const { store, queue, responseChannel, task } = await stores(t);
  let reads = 0;
  const getTaskState = store.getTaskState.bind(store);
  store.getTaskState = (...args) => {
    reads += 1;
    return getTaskState(...args);
  };
  const handler = new TaskResultHandler({ store, queue, sideChannel: new SideChannel({ queue, responseChannel }) });
  const delivery: SideChannelDelivery = { sendRequest: () => Promise.reject(new Error('no requests here')), sendNotification: async () => undefined };
  const waiting = handler.handle(task.taskId, { scope: undefined, delivery, sideChannelTimeout: 1000 });
  for (const step of ['one', 'two', 'three']) {
    const before = (await getTaskState(task.taskId))!.version;
    await store.updateTask(task.taskId, { statusMessage: step });
    await store.waitForUpdate(task.taskId, before); // the handler's wait is woken by the same change
  }
  await store.finishTask(task.taskId, { status: 'completed', outcome: { kind: 'result', result: { content: [{ type: 'text', text: 'done' }] } } });
  const result = await waiting;
  assert.deepEqual(result.content, [{ type: 'text', text: 'done' }]);
  assert.equal(reads, 1, 'one read with the owner check, none per wake-up');
});
