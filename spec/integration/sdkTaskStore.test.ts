/**
 * SDK interop: an `InMemoryTaskStore` handed to an SDK `McpServer` as `taskStore` works with
 * the SDK's own task machinery — `registerToolTask`, `callToolStream` and the built-in
 * `tasks/get`, `tasks/list`, `tasks/cancel` and `tasks/result` handlers, over InMemoryTransport and
 * over Streamable HTTP (where the SDK scopes tasks by session).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CallToolResultSchema, CreateTaskResultSchema, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { Resolver } from '../support/resolver.js';
import { TaskTerminalError } from '../../src/core/errors.js';
import { InMemoryTaskStore } from '../../src/stores/memory/index.js';
import { startSessionHttpHost } from '../support/sessionHttpHost.js';

interface Tools {
  /** Releases the `hold` tool's task with this id; resolves with what storing its result did. */
  release(taskId: string): Promise<unknown>;
}

/** An McpServer that uses `store` as its SDK `taskStore`, with the tools `upper` and `hold`. */
function buildServer(store: InMemoryTaskStore, gates: Map<string, Resolver<void>>, finished: Map<string, Promise<unknown>>): McpServer {
  const server = new McpServer(
    { name: 'mem-store-it', version: '1.0.0' },
    { taskStore: store, capabilities: { tasks: { requests: { tools: { call: {} } }, list: {}, cancel: {} } } },
  );
  const handler = {
    getTask: async (_args: unknown, extra: { taskId: string; taskStore: { getTask(id: string): Promise<unknown> } }) =>
      (await extra.taskStore.getTask(extra.taskId)) as never,
    getTaskResult: async (_args: unknown, extra: { taskId: string; taskStore: { getTaskResult(id: string): Promise<unknown> } }) =>
      (await extra.taskStore.getTaskResult(extra.taskId)) as CallToolResult,
  };
  server.experimental.tasks.registerToolTask(
    'upper',
    { description: 'Upper-cases text in a task', inputSchema: { text: z.string() }, execution: { taskSupport: 'required' } },
    {
      ...handler,
      createTask: async ({ text }, extra) => {
        const task = await extra.taskStore.createTask({ ttl: extra.taskRequestedTtl, pollInterval: 5 });
        // the work finishes after the CreateTaskResult has been returned
        setImmediate(() => {
          void extra.taskStore.storeTaskResult(task.taskId, 'completed', { content: [{ type: 'text', text: text.toUpperCase() }] });
        });
        return { task };
      },
    },
  );
  server.experimental.tasks.registerToolTask(
    'hold',
    { description: 'Finishes when the test releases it', inputSchema: {}, execution: { taskSupport: 'required' } },
    {
      ...handler,
      createTask: async (_args, extra) => {
        const task = await extra.taskStore.createTask({ ttl: extra.taskRequestedTtl });
        const gate = new Resolver<void>();
        gates.set(task.taskId, gate);
        finished.set(
          task.taskId,
          gate.wait().then(() => extra.taskStore.storeTaskResult(task.taskId, 'completed', { content: [{ type: 'text', text: 'late' }] })).then(
            () => 'stored',
            (err: unknown) => err,
          ),
        );
        return { task };
      },
    },
  );
  return server;
}

function toolGates(): { gates: Map<string, Resolver<void>>; finished: Map<string, Promise<unknown>>; tools: Tools } {
  const gates = new Map<string, Resolver<void>>();
  const finished = new Map<string, Promise<unknown>>();
  return {
    gates,
    finished,
    tools: {
      release: (taskId) => {
        gates.get(taskId)!.setResult();
        return finished.get(taskId)!;
      },
    },
  };
}

interface Harness extends Tools {
  store: InMemoryTaskStore;
  client: Client;
  close(): Promise<void>;
}

async function start(): Promise<Harness> {
  const store = new InMemoryTaskStore({ pageSize: 2 });
  const { gates, finished, tools } = toolGates();
  const server = buildServer(store, gates, finished);
  const client = new Client({ name: 'mem-store-it-client', version: '1.0.0' });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  await client.connect(clientTransport);
  return {
    ...tools,
    store,
    client,
    close: async () => {
      await client.close();
      await server.close();
      await store.close();
    },
  };
}

async function holdTask(client: Client): Promise<string> {
  const created = await client.request(
    { method: 'tools/call', params: { name: 'hold', arguments: {}, task: { ttl: 60_000 } } },
    CreateTaskResultSchema,
  );
  return created.task.taskId;
}

test('SDK interop: registerToolTask + callToolStream run to completion on InMemoryTaskStore', async () => {
  const h = await start();
  try {
    await h.client.listTools(); // lets callToolStream see that `upper` requires a task
    const messages = [];
    for await (const message of h.client.experimental.tasks.callToolStream({ name: 'upper', arguments: { text: 'hello' } })) {
      messages.push(message);
    }
    const first = messages[0]!;
    assert.equal(first.type, 'taskCreated');
    assert.ok(first.type === 'taskCreated');
    assert.equal(first.task.status, 'working');
    assert.match(first.task.taskId, /^[0-9a-f]{32}$/);
    assert.equal(first.task.ttl, h.store.ttlPolicy.defaultTtl, 'R41: the real ttl is reported');
    const last = messages.at(-1)!;
    assert.equal(last.type, 'result', JSON.stringify(last));
    assert.ok(last.type === 'result');
    assert.deepEqual(last.result.content, [{ type: 'text', text: 'HELLO' }]);
    const statuses = messages.slice(1, -1);
    assert.ok(statuses.length >= 1, 'callToolStream polled tasks/get');
    for (const m of statuses) assert.equal(m.type, 'taskStatus');
    const lastStatus = statuses.at(-1)!;
    assert.ok(lastStatus.type === 'taskStatus');
    assert.equal(lastStatus.task.status, 'completed');
    const stored = await h.store.getTask(first.task.taskId);
    assert.equal(stored!.status, 'completed');
    // tasks/get and tasks/result built into the SDK read our store
    const got = await h.client.experimental.tasks.getTask(first.task.taskId);
    assert.equal(got.status, 'completed');
    assert.equal(got.createdAt, first.task.createdAt);
    const result = await h.client.experimental.tasks.getTaskResult(first.task.taskId, CallToolResultSchema);
    assert.deepEqual(result.content, [{ type: 'text', text: 'HELLO' }]);
  } finally {
    await h.close();
  }
});

test('SDK interop R66 R68 R72: SDK tasks/list pages and tasks/cancel cancels; a later completion cannot overwrite it', async () => {
  const h = await start();
  try {
    const ids = [await holdTask(h.client), await holdTask(h.client), await holdTask(h.client)];
    assert.equal((await h.client.experimental.tasks.getTask(ids[0]!)).status, 'working');

    // tasks/list: page size 2 → two pages, creation order, nextCursor only when more remain
    const page1 = await h.client.experimental.tasks.listTasks();
    assert.deepEqual(page1.tasks.map((t) => t.taskId), ids.slice(0, 2));
    assert.equal(typeof page1.nextCursor, 'string');
    const page2 = await h.client.experimental.tasks.listTasks(page1.nextCursor);
    assert.deepEqual(page2.tasks.map((t) => t.taskId), ids.slice(2));
    assert.equal(page2.nextCursor, undefined);

    // tasks/cancel
    const cancelled = await h.client.experimental.tasks.cancelTask(ids[1]!);
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(cancelled.statusMessage, 'Client cancelled task execution.');
    // the work ends afterwards: storing its result fails and changes nothing (R72)
    const outcome = await h.release(ids[1]!);
    assert.ok(outcome instanceof TaskTerminalError, String(outcome));
    assert.equal((await h.client.experimental.tasks.getTask(ids[1]!)).status, 'cancelled');
    // tasks/result of a cancelled task: our typed -32602 error reaches the client unchanged
    await assert.rejects(h.client.experimental.tasks.getTaskResult(ids[1]!, CallToolResultSchema), (e: unknown) => {
      assert.ok(e instanceof McpError);
      assert.equal(e.code, -32602);
      assert.match(e.message, /was cancelled: it has no result/);
      return true;
    });
    // cancelling again is -32602 (R69)
    await assert.rejects(h.client.experimental.tasks.cancelTask(ids[1]!), (e: unknown) => e instanceof McpError && e.code === -32602);

    // the others complete normally
    assert.equal(await h.release(ids[0]!), 'stored');
    assert.equal((await h.client.experimental.tasks.getTask(ids[0]!)).status, 'completed');
    assert.equal(await h.release(ids[2]!), 'stored');
  } finally {
    await h.close();
  }
});

test('SDK interop R64 R70: unknown task ids and foreign cursors are -32602 through the SDK handlers', async () => {
  const h = await start();
  try {
    const unknown = '0'.repeat(32);
    for (const call of [
      h.client.experimental.tasks.getTask(unknown),
      h.client.experimental.tasks.getTaskResult(unknown, CallToolResultSchema),
      h.client.experimental.tasks.cancelTask(unknown),
      h.client.experimental.tasks.listTasks('not-a-cursor'),
    ]) {
      await assert.rejects(call, (e: unknown) => e instanceof McpError && e.code === -32602);
    }
  } finally {
    await h.close();
  }
});

/**
 * Streamable HTTP on 127.0.0.1: one McpServer per session, all sharing one store. The SDK passes
 * each transport's session id as the store's scope argument.
 */
async function startHttp(): Promise<{ store: InMemoryTaskStore; url: URL; tools: Tools; close(): Promise<void> }> {
  const store = new InMemoryTaskStore();
  const { gates, finished, tools } = toolGates();
  const host = await startSessionHttpHost(() => buildServer(store, gates, finished));
  return {
    store,
    url: host.url,
    tools,
    close: async () => {
      await host.close();
      await store.close();
    },
  };
}

async function httpClient(url: URL): Promise<Client> {
  const client = new Client({ name: 'mem-store-it-http', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(url));
  return client;
}

test('SDK interop R85 R86: over Streamable HTTP the SDK scopes tasks by session; other sessions see nothing', async () => {
  const h = await startHttp();
  const alice = await httpClient(h.url);
  const bob = await httpClient(h.url);
  try {
    const taskId = await holdTask(alice);
    assert.equal((await alice.experimental.tasks.getTask(taskId)).status, 'working');
    assert.deepEqual((await alice.experimental.tasks.listTasks()).tasks.map((t) => t.taskId), [taskId]);
    // bob's session: not found everywhere, and an empty list
    for (const call of [
      bob.experimental.tasks.getTask(taskId),
      bob.experimental.tasks.getTaskResult(taskId, CallToolResultSchema),
      bob.experimental.tasks.cancelTask(taskId),
    ]) {
      await assert.rejects(call, (e: unknown) => e instanceof McpError && e.code === -32602);
    }
    assert.deepEqual((await bob.experimental.tasks.listTasks()).tasks, []);
    assert.equal((await h.store.getTask(taskId)), null, 'not in the anonymous scope either');
    // alice's task is untouched and completes; bob's own call works in his scope
    assert.equal(await h.tools.release(taskId), 'stored');
    const result = await alice.experimental.tasks.getTaskResult(taskId, CallToolResultSchema);
    assert.deepEqual(result.content, [{ type: 'text', text: 'late' }]);
    await bob.listTools();
    const messages = [];
    for await (const m of bob.experimental.tasks.callToolStream({ name: 'upper', arguments: { text: 'bob' } })) messages.push(m);
    const last = messages.at(-1)!;
    assert.ok(last.type === 'result', JSON.stringify(last));
    assert.deepEqual(last.result.content, [{ type: 'text', text: 'BOB' }]);
    assert.equal((await alice.experimental.tasks.listTasks()).tasks.length, 1);
  } finally {
    await alice.close();
    await bob.close();
    await h.close();
  }
});
