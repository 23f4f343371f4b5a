/** Limits (R89), scope resolution (R82–R86) and shutdown. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { Resolver } from '../support/resolver.js';
import { defaultScopeResolver, TaskSupport, TaskSupportClosedError, type ServerRequestExtra } from '../../src/server/index.js';
import { callAsTask, cancelTask, getTask, inMemory, listTasks, rejectsWithCode, taskResult, textOf, toolTaskResult } from './harness.js';

test('R40 R41 R89b: a requested ttl above the maximum is clamped, and the real ttl is reported', async (t) => {
  const support = TaskSupport.inMemory({ ttl: { defaultTtl: 10_000, maxTtl: 20_000 } });
  const h = await inMemory({ enable: { taskSupport: support } });
  t.after(async () => {
    await h.close();
    await support.close();
  });
  const clamped = await callAsTask(h.client, 'tasks_conformance_optional', { text: 'x' }, { ttl: 999_999_999 });
  assert.equal(clamped.ttl, 20_000);
  assert.equal((await getTask(h.client, clamped.taskId)).ttl, 20_000);
  const defaulted = await callAsTask(h.client, 'tasks_conformance_optional', { text: 'x' });
  assert.equal(defaulted.ttl, 10_000);
});

test('R89a: more concurrent tasks per owner than allowed → a clear JSON-RPC error (-32600), nothing created', async (t) => {
  const support = TaskSupport.inMemory({ limits: { maxActiveTasksPerScope: 1 } });
  const h = await inMemory({ enable: { taskSupport: support } });
  t.after(async () => {
    await h.close();
    await support.close();
  });
  const first = await callAsTask(h.client, 'tasks_conformance_hold', { holdMs: 600_000 });
  const error = await rejectsWithCode(callAsTask(h.client, 'tasks_conformance_hold', { holdMs: 1 }), -32600);
  assert.match(error.message, /.+/);
  assert.equal((await listTasks(h.client)).tasks.length, 1);
  await cancelTask(h.client, first.taskId);
  const next = await callAsTask(h.client, 'tasks_conformance_optional', { text: 'room again' });
  assert.equal(textOf(await toolTaskResult(h.client, next.taskId)), 'room again');
});

test('R82: the default scope is client id plus sub with authorization, else the session, else anonymous', () => {
  const extra = (authInfo?: AuthInfo, sessionId?: string) => ({ authInfo, sessionId }) as unknown as ServerRequestExtra;
  assert.equal(defaultScopeResolver(extra({ token: 't', clientId: 'app', scopes: [], extra: { sub: 'u1' } }, 's')), 'app|u1');
  assert.equal(defaultScopeResolver(extra({ token: 't', clientId: 'app', scopes: [] }, 's')), 'app|');
  assert.equal(defaultScopeResolver(extra(undefined, 'session-1')), 'session-1');
  assert.equal(defaultScopeResolver(extra()), undefined);
});

test('R82 R85: authInfo on InMemoryTransport binds tasks to the principal; a custom resolver is used when given', async (t) => {
  const support = TaskSupport.inMemory();
  t.after(() => support.close());
  const alice = await inMemory({ enable: { taskSupport: support }, authInfo: { token: 'a', clientId: 'app', scopes: [], extra: { sub: 'alice' } } });
  t.after(() => alice.close());
  const bob = await inMemory({ enable: { taskSupport: support }, authInfo: { token: 'b', clientId: 'app', scopes: [], extra: { sub: 'bob' } } });
  t.after(() => bob.close());
  const task = await callAsTask(alice.client, 'tasks_conformance_optional', { text: 'a' });
  await rejectsWithCode(getTask(bob.client, task.taskId), -32602);
  assert.equal((await getTask(alice.client, task.taskId)).taskId, task.taskId);
  // a resolver that puts everybody in one tenant
  const tenant = await inMemory({ enable: { taskSupport: support, scope: () => 'app|alice' } });
  t.after(() => tenant.close());
  assert.equal(textOf(await toolTaskResult(tenant.client, task.taskId)), 'a');
});

test('R83 R84: without session or authorization the scope is anonymous: 128-bit ids carry the security', async (t) => {
  const support = TaskSupport.inMemory();
  t.after(() => support.close());
  const one = await inMemory({ enable: { taskSupport: support } });
  t.after(() => one.close());
  const two = await inMemory({ enable: { taskSupport: support } });
  t.after(() => two.close());
  const task = await callAsTask(one.client, 'tasks_conformance_optional', { text: 'bearer' });
  assert.match(task.taskId, /^[0-9a-f]{32}$/);
  assert.equal(textOf(await toolTaskResult(two.client, task.taskId)), 'bearer');
});

test('R76 (shutdown): close() aborts running tasks and awaits them; tasks end failed, no unhandled rejection, no hang', async (t) => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  t.after(() => process.off('unhandledRejection', onUnhandled));
  const support = TaskSupport.inMemory({ shutdownGrace: 200 });
  const started = new Resolver<void>();
  const h = await inMemory({
    enable: { taskSupport: support },
    setup: (tasks) =>
      tasks.registerTool({ name: 'elicit_forever', inputSchema: { type: 'object' }, execution: { taskSupport: 'required' } }, async (_a, ctx) => {
        started.setResult();
        await ctx.elicit('never answered', { type: 'object', properties: {} });
        return { content: [] };
      }),
  });
  t.after(() => h.close());
  const held = await callAsTask(h.client, 'tasks_conformance_hold', { holdMs: 600_000 });
  const stubborn = await callAsTask(h.client, 'tasks_conformance_stubborn', { holdMs: 400 });
  const waiting = await callAsTask(h.client, 'elicit_forever', {});
  await started.wait();
  const blocked = rejectsWithCode(taskResult(h.client, held.taskId), -32603);
  const state = await support.store.getTask(held.taskId);
  assert.equal(state?.status, 'working');
  const store = support.store;
  await support.close(); // returns although the stubborn task ignores its signal (after shutdownGrace)
  assert.equal(support.closed, true);
  const error = await blocked; // the blocked tasks/result gets the task's outcome, not a hang
  assert.match(error.message, /shut down before task/);
  await rejectsWithCode(callAsTask(h.client, 'tasks_conformance_optional', { text: 'late' }), new TaskSupportClosedError().code);
  assert.deepEqual(unhandled, []);
  void store;
  void stubborn;
  void waiting;
});

test('R76 R81 (shutdown): tasks aborted by close() are stored as failed with a clear statusMessage', async (t) => {
  const support = TaskSupport.inMemory();
  const h = await inMemory({ enable: { taskSupport: support } });
  t.after(() => h.close());
  const held = await callAsTask(h.client, 'tasks_conformance_hold', { holdMs: 600_000 });
  // keep the backends open to read the outcome: close a runtime that does not own them
  const runner = new TaskSupport({ store: support.store, queue: support.queue, responseChannel: support.responseChannel });
  const h2 = await inMemory({ enable: { taskSupport: runner } });
  t.after(() => h2.close());
  const held2 = await callAsTask(h2.client, 'tasks_conformance_hold', { holdMs: 600_000 });
  await runner.close();
  const got = await getTask(h2.client, held2.taskId);
  assert.equal(got.status, 'failed');
  assert.match(got.statusMessage ?? '', /shut down/);
  await rejectsWithCode(taskResult(h2.client, held2.taskId), -32603);
  await cancelTask(h.client, held.taskId);
  await support.close();
});
