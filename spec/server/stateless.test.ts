/**
 * Stateless Streamable HTTP (a fresh Server per request) and several processes behind one address:
 * side-channel mode 'routed' carries elicitation answers to the waiting task wherever they arrive.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { Resolver } from '../support/resolver.js';
import { routeTaskResponses, TaskSupport, TaskServer } from '../../src/server/index.js';
import { callAsTask, cancelTask, getTask, http, inMemory, rejectsWithCode, taskResult, textOf, toolTaskResult } from './harness.js';

test('R84 R87 (stateless HTTP): anonymous tasks, no tasks.list, results by id from any request', async (t) => {
  const server = await http({ stateless: {} });
  t.after(() => server.close());
  const conn = await server.connect();
  assert.deepEqual(conn.client.getServerCapabilities()?.tasks, { cancel: {}, requests: { tools: { call: {} } } });
  const task = await callAsTask(conn.client, 'tasks_conformance_optional', { text: 'stateless', delayMs: 10 });
  assert.match(task.taskId, /^[0-9a-f]{32}$/);
  assert.equal(textOf(await toolTaskResult(conn.client, task.taskId)), 'stateless');
  const held = await callAsTask(conn.client, 'tasks_conformance_hold', { holdMs: 600_000 });
  assert.equal((await cancelTask(conn.client, held.taskId)).status, 'cancelled');
});

test('R29 R30 R32 (stateless HTTP, routed): the elicitation answer reaches the task through another Server instance', async (t) => {
  const server = await http({ stateless: {} });
  t.after(() => server.close());
  const conn = await server.connect({ elicit: () => ({ action: 'accept', content: { confirm: true } }) });
  const task = await callAsTask(conn.client, 'tasks_conformance_elicit', { message: 'stateless?' });
  assert.equal(textOf(await toolTaskResult(conn.client, task.taskId)), 'confirmed: true');
  assert.equal((await getTask(conn.client, task.taskId)).status, 'completed');
});

test('R29 R31 (two processes behind one address, routed): task on one, tasks/result and answer on others', async (t) => {
  const a = TaskSupport.inMemory();
  const b = new TaskSupport({ store: a.store, queue: a.queue, responseChannel: a.responseChannel });
  t.after(async () => {
    await b.close();
    await a.close();
  });
  const server = await http({ stateless: { processes: [a, b] } });
  t.after(() => server.close());
  const conn = await server.connect({ elicit: (request) => ({ action: 'accept', content: { confirm: request.params.message === 'scaled?' } }) });
  for (let i = 0; i < 3; i++) {
    const task = await callAsTask(conn.client, 'tasks_conformance_elicit', { message: 'scaled?' });
    assert.equal(textOf(await toolTaskResult(conn.client, task.taskId)), 'confirmed: true');
  }
});

test('F4 (routed): an answer that never comes fails the elicit after sideChannelTimeout, clearly', async (t) => {
  const never = new Resolver<void>();
  const server = await http({ stateless: {}, enable: { sideChannelTimeout: 80 } });
  t.after(async () => {
    never.setResult();
    await server.close();
  });
  const conn = await server.connect({
    elicit: async () => {
      await never.wait();
      return { action: 'cancel' };
    },
  });
  const task = await callAsTask(conn.client, 'tasks_conformance_elicit', { message: 'silence' });
  const error = await rejectsWithCode(taskResult(conn.client, task.taskId), -32001);
  assert.match(error.message, /not answered within 80 ms/);
});

test('R30 (routed, in memory): TaskServer routes answers itself; routeTaskResponses leaves other messages alone', async (t) => {
  const support = TaskSupport.inMemory();
  t.after(() => support.close());
  const server = new TaskServer({ name: 'routed', version: '1' }, { capabilities: {} });
  const tasks = server.experimental.enableTasks({ taskSupport: support, sideChannel: 'routed' });
  const { registerConformanceFixtures } = await import('../../conformance/fixtureTools.js');
  registerConformanceFixtures(tasks);
  const h = await inMemory({ fixtures: false, enable: { taskSupport: support } }); // a second, ordinary server on the same runtime
  t.after(() => h.close());
  const { makeClient } = await import('./harness.js');
  const conn = makeClient();
  const [c, s] = InMemoryTransport.createLinkedPair();
  await server.connect(s);
  await conn.client.connect(c);
  t.after(() => conn.client.close());
  const task = await callAsTask(conn.client, 'tasks_conformance_elicit', { message: 'ids' });
  assert.equal(textOf(await toolTaskResult(conn.client, task.taskId)), 'confirmed: true');

  const routed: string[] = [];
  const [, inner] = InMemoryTransport.createLinkedPair();
  const wrapped = routeTaskResponses(inner, { routeResponse: (id) => routed.push(id) });
  const passed: JSONRPCMessage[] = [];
  wrapped.onmessage = (message) => passed.push(message);
  const deliver = (message: JSONRPCMessage) => inner.onmessage?.(message);
  deliver({ jsonrpc: '2.0', id: 'task-x-1', result: {} });
  deliver({ jsonrpc: '2.0', id: 'task-x-2', error: { code: -1, message: 'no' } });
  deliver({ jsonrpc: '2.0', id: 7, result: {} });
  deliver({ jsonrpc: '2.0', id: 'other', result: {} });
  deliver({ jsonrpc: '2.0', id: 'task-y', method: 'ping' });
  assert.deepEqual(routed, ['task-x-1', 'task-x-2']);
  assert.equal(passed.length, 3);
});
