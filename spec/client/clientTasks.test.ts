/**
 * The client as receiver: `TaskClient.experimental.enableTasks()` hosting task-augmented
 * elicitation and sampling, driven by our server-side requestors (`elicitAsTask`,
 * `createMessageAsTask`) over a low-level SDK `Server`, and by the SDK's own
 * `server.experimental.tasks.elicitInputStream` / `createMessageStream`.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTaskStore as SdkInMemoryTaskStore } from '@modelcontextprotocol/sdk/experimental/tasks/stores/in-memory.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  ElicitRequestSchema,
  ElicitResultSchema,
  McpError,
  RELATED_TASK_META_KEY,
  type ClientCapabilities,
} from '@modelcontextprotocol/sdk/types.js';
import { CapabilityMissingError } from '../../src/core/errors.js';
import { listAllTasks, listTasks, TaskClient, type ClientTaskHost, type ClientTasksOptions } from '../../src/client/index.js';
import { createMessageAsTask, elicitAsTask, type ElicitAsTaskParams } from '../../src/server/index.js';
import { relatedTaskHandler } from '../../src/receiver/relatedTask.js';
import { Gate, recordedPair, type WireLog } from './fixtures.js';

const T = { timeout: 15_000 };

const form = (message: string): ElicitAsTaskParams & { mode: 'form' } => ({
  mode: 'form',
  message,
  requestedSchema: { type: 'object', properties: { confirm: { type: 'boolean' } } },
});

interface Pair {
  server: Server;
  client: TaskClient;
  tasks: ClientTaskHost | undefined;
  clientSent: WireLog;
  serverSent: WireLog;
  close(): Promise<void>;
}

async function connectPair(options: { tasks?: ClientTasksOptions; capabilities?: ClientCapabilities } = {}): Promise<Pair> {
  const server = new Server({ name: 'requestor', version: '1.0.0' }, { capabilities: {} });
  const client = new TaskClient({ name: 'receiver', version: '1.0.0' }, { capabilities: options.capabilities ?? {} });
  const tasks = options.tasks ? client.experimental.enableTasks(options.tasks) : undefined;
  const pair = recordedPair();
  await server.connect(pair.serverTransport);
  await client.connect(pair.clientTransport);
  return {
    server,
    client,
    tasks,
    clientSent: pair.clientSent,
    serverSent: pair.serverSent,
    async close() {
      await client.close();
      await server.close();
      await tasks?.close();
    },
  };
}

describe('client-hosted tasks driven by our server-side requestors', () => {
  test('R1 R2 R3: elicitAsTask sends task to a client that declared elicitation.create; result() gives the ElicitResult', T, async () => {
    const gate = new Gate();
    const seen: Array<string | undefined> = [];
    const pair = await connectPair({
      tasks: {
        elicitation: async (request, ctx) => {
          seen.push(ctx.taskId);
          assert.equal((request.params as { task?: unknown }).task, undefined);
          await gate.promise;
          return { action: 'accept', content: { confirm: true } };
        },
        pollInterval: 5,
      },
    });
    const caps = pair.server.getClientCapabilities();
    assert.deepEqual(caps?.tasks?.requests, { elicitation: { create: {} } });
    assert.ok(caps?.tasks?.list && caps.tasks.cancel && caps.elicitation);

    const handle = await elicitAsTask(pair.server, form('ok?'), { ttl: 30_000 });
    assert.equal(handle.returnedImmediately, false);
    assert.ok(handle.taskId);
    assert.deepEqual(pair.serverSent.requests('elicitation/create')[0]?.params?.task, { ttl: 30_000 });
    assert.equal((await handle.status()).status, 'working');
    gate.open();
    const result = await handle.result();
    assert.equal(result.action, 'accept');
    assert.deepEqual(result.content, { confirm: true });
    assert.deepEqual(result._meta?.[RELATED_TASK_META_KEY], { taskId: handle.taskId });
    assert.deepEqual(seen, [handle.taskId]);
    assert.ok(pair.serverSent.requests('tasks/get').length >= 1);
    await pair.close();
  });

  test('createMessageAsTask runs sampling as a client task', T, async () => {
    const pair = await connectPair({
      tasks: {
        sampling: async (request) => ({
          role: 'assistant',
          model: 'test-model',
          content: { type: 'text', text: `echo ${JSON.stringify(request.params.messages[0]?.content)}` },
        }),
        list: false,
      },
    });
    assert.equal(pair.server.getClientCapabilities()?.tasks?.list, undefined);
    const handle = await createMessageAsTask(pair.server, {
      messages: [{ role: 'user', content: { type: 'text', text: 'hi' } }],
      maxTokens: 16,
    });
    assert.equal(handle.returnedImmediately, false);
    const result = await handle.result();
    assert.equal(result.model, 'test-model');
    // tasks/list was not declared (R6): nothing is sent; the client would not serve it (G8: -32601).
    await assert.rejects(listTasks(pair.server), CapabilityMissingError);
    await assert.rejects(
      pair.server.request({ method: 'tasks/list' }, ElicitResultSchema),
      (e: unknown) => e instanceof McpError && e.code === -32601,
    );
    await pair.close();
  });

  test('R50: a handler that throws makes the task failed; result() throws that very error', T, async () => {
    const pair = await connectPair({
      tasks: {
        elicitation: async () => {
          throw new McpError(-32042, 'user is away', { retry: true });
        },
      },
    });
    const handle = await elicitAsTask(pair.server, form('x'));
    const error = await handle.result().then(
      () => assert.fail('must throw'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof McpError);
    assert.equal(error.code, -32042);
    assert.deepEqual(error.data, { retry: true });
    assert.match(error.message, /user is away/);
    assert.equal((await handle.wait()).status, 'failed');
    await pair.close();
  });

  test('an invalid handler result fails the task with -32602', T, async () => {
    const pair = await connectPair({ tasks: { elicitation: async () => ({ action: 'maybe' }) as never } });
    const handle = await elicitAsTask(pair.server, form('x'));
    await assert.rejects(handle.result(), (e: unknown) => e instanceof McpError && e.code === -32602);
    await pair.close();
  });

  test('R71 R69 G3: cancel aborts the handler; tasks/result then gives -32602; a second cancel is -32602', T, async () => {
    const aborted = new Gate<unknown>();
    const pair = await connectPair({
      tasks: {
        elicitation: (_request, ctx) =>
          new Promise((_resolve, reject) => {
            ctx.signal.addEventListener('abort', () => {
              aborted.open(ctx.signal.reason);
              reject(ctx.signal.reason);
            });
          }),
      },
    });
    const statuses: string[] = [];
    const handle = await elicitAsTask(pair.server, form('x'));
    const stop = handle.onStatusChange((t) => statuses.push(t.status));
    const cancelled = await handle.cancel();
    assert.equal(cancelled.status, 'cancelled');
    await aborted.promise;
    await assert.rejects(handle.result(), (e: unknown) => e instanceof McpError && e.code === -32602);
    await assert.rejects(handle.cancel(), (e: unknown) => e instanceof McpError && e.code === -32602);
    assert.equal((await handle.status()).status, 'cancelled');
    stop();
    assert.deepEqual(statuses, ['cancelled']);
    assert.equal(pair.serverSent.notifications('notifications/cancelled').length, 0);
    await pair.close();
  });

  test('R70 R64 R67: unknown ids and cursors get -32602; listing follows cursors', T, async () => {
    const pair = await connectPair({
      tasks: { elicitation: async () => ({ action: 'decline' }), store: undefined },
    });
    const handles = [];
    for (let i = 0; i < 3; i += 1) handles.push(await elicitAsTask(pair.server, form(`n${i}`)));
    for (const h of handles) assert.equal((await h.result()).action, 'decline');
    const listed = [];
    for await (const task of listAllTasks(pair.server)) listed.push(task.taskId);
    for (const h of handles) assert.ok(listed.includes(h.taskId as string));
    await assert.rejects(listTasks(pair.server, 'not-a-cursor'), (e: unknown) => e instanceof McpError && e.code === -32602);
    for (const method of ['tasks/get', 'tasks/result', 'tasks/cancel']) {
      await assert.rejects(
        pair.server.request({ method, params: { taskId: 'nope' } } as never, ElicitResultSchema),
        (e: unknown) => e instanceof McpError && e.code === -32602,
      );
    }
    await pair.close();
  });

  test('R4: without the client capability the request goes plainly; requireTask fails before sending', T, async () => {
    const pair = await connectPair({ capabilities: { elicitation: {} } });
    pair.client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: { confirm: false } }));
    const handle = await elicitAsTask(pair.server, form('plain'));
    assert.equal(handle.returnedImmediately, true);
    assert.equal(pair.serverSent.requests('elicitation/create')[0]?.params?.task, undefined);
    assert.deepEqual((await handle.result()).content, { confirm: false });
    await assert.rejects(elicitAsTask(pair.server, form('x'), { requireTask: true }), CapabilityMissingError);
    await assert.rejects(
      createMessageAsTask(pair.server, { messages: [], maxTokens: 1 }),
      (e: unknown) => e instanceof CapabilityMissingError && /sampling/.test(e.message),
    );
    await assert.rejects(
      createMessageAsTask(pair.server, { messages: [], maxTokens: 1, tools: [] }),
      CapabilityMissingError,
    );
    assert.equal(pair.serverSent.requests('elicitation/create').length, 1);
    await pair.close();
  });

  test('R20 R5 (client side): task on an undeclared request type is ignored and answered normally', T, async () => {
    const pair = await connectPair({ capabilities: { elicitation: {} } });
    pair.client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: { confirm: true } }));
    const answer = await pair.server.request(
      { method: 'elicitation/create', params: { ...form('forced'), task: { ttl: 1000 } } },
      ElicitResultSchema,
    );
    assert.equal(answer.action, 'accept');
    assert.equal('task' in answer, false);
    // A request type that is never task-augmentable (R5) with task: answered normally too.
    await pair.server.request({ method: 'ping', params: { task: {} } } as never, ElicitResultSchema.partial());
    await pair.close();
  });

  test('R33: answers to task-related side-channel requests carry the related-task _meta', T, async () => {
    const pair = await connectPair({ capabilities: { elicitation: {} } });
    pair.client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: { confirm: true } }));
    const related = { [RELATED_TASK_META_KEY]: { taskId: 'server-task-1' } };
    const answer = await pair.server.request(
      { method: 'elicitation/create', params: { ...form('side'), _meta: related } },
      ElicitResultSchema,
    );
    assert.deepEqual(answer._meta?.[RELATED_TASK_META_KEY], { taskId: 'server-task-1' });
    const unrelated = await pair.server.request({ method: 'elicitation/create', params: form('plain') }, ElicitResultSchema);
    assert.equal(unrelated._meta, undefined);
    await pair.close();
  });

  test('enableTasks plain path: no task → handler runs directly (and related _meta is added)', T, async () => {
    const pair = await connectPair({
      tasks: { elicitation: async (_r, ctx) => ({ action: 'accept', content: { confirm: ctx.taskId === undefined } }) },
    });
    const related = { [RELATED_TASK_META_KEY]: { taskId: 'server-task-2' } };
    const answer = await pair.server.request(
      { method: 'elicitation/create', params: { ...form('side'), _meta: related } },
      ElicitResultSchema,
    );
    assert.deepEqual(answer.content, { confirm: true });
    assert.deepEqual(answer._meta?.[RELATED_TASK_META_KEY], { taskId: 'server-task-2' });
    await pair.close();
  });

  test('enableTasks guards: before connect, with at least one handler; close is idempotent', T, async () => {
    const client = new TaskClient({ name: 'c', version: '1' });
    assert.throws(() => client.experimental.enableTasks({}), TypeError);
    const pair = await connectPair({ capabilities: {} });
    assert.throws(() => pair.client.experimental.enableTasks({ elicitation: async () => ({ action: 'cancel' }) }), /before connect/);
    const tasks = client.experimental.enableTasks({ elicitation: async () => ({ action: 'cancel' }) });
    await tasks.close();
    await tasks.close();
    await pair.close();
  });
});

describe('server-side requestors: options and interop with the SDK client', () => {
  test('R30 R54: relatedTaskId goes on the creating request only; a custom send is used for it', T, async () => {
    const pair = await connectPair({ tasks: { elicitation: async () => ({ action: 'accept', content: { confirm: true } }) } });
    const sent: string[] = [];
    const handle = await elicitAsTask(pair.server, form('side'), {
      relatedTaskId: 'server-task-9',
      send: (request, schema, options) => {
        sent.push(request.method);
        return pair.server.request(request as never, schema, options);
      },
    });
    assert.deepEqual(sent, ['elicitation/create']);
    const created = pair.serverSent.requests('elicitation/create')[0];
    assert.deepEqual((created?.params?._meta as Record<string, unknown>)[RELATED_TASK_META_KEY], { taskId: 'server-task-9' });
    assert.equal((await handle.result()).action, 'accept');
    for (const method of ['tasks/get', 'tasks/result']) {
      for (const request of pair.serverSent.requests(method)) {
        assert.equal((request.params?._meta as Record<string, unknown> | undefined)?.[RELATED_TASK_META_KEY], undefined);
      }
    }
    await pair.close();
  });

  test('relatedTaskHandler gives a plain SDK Client the R33 _meta', T, async () => {
    const server = new Server({ name: 's', version: '1' }, { capabilities: {} });
    const client = new Client({ name: 'plain', version: '1' }, { capabilities: { elicitation: {} } });
    client.setRequestHandler(ElicitRequestSchema, relatedTaskHandler(async () => ({ action: 'decline' as const })));
    const pair = recordedPair();
    await server.connect(pair.serverTransport);
    await client.connect(pair.clientTransport);
    const answer = await server.request(
      { method: 'elicitation/create', params: { ...form('x'), _meta: { [RELATED_TASK_META_KEY]: { taskId: 'st' } } } },
      ElicitResultSchema,
    );
    assert.deepEqual(answer._meta?.[RELATED_TASK_META_KEY], { taskId: 'st' });
    await client.close();
    await server.close();
  });

  test('our elicitAsTask works with an SDK Client hosting the task in its own taskStore', T, async () => {
    const store = new SdkInMemoryTaskStore();
    const server = new Server({ name: 's', version: '1' }, { capabilities: {} });
    const client = new Client(
      { name: 'sdk-host', version: '1' },
      { capabilities: { elicitation: {}, tasks: { requests: { elicitation: { create: {} } } } }, taskStore: store },
    );
    client.setRequestHandler(ElicitRequestSchema, async (request, extra) => {
      if (request.params.task && extra.taskStore) {
        const task = await extra.taskStore.createTask({ ttl: 10_000, pollInterval: 5 });
        void extra.taskStore.storeTaskResult(task.taskId, 'completed', { action: 'accept', content: { confirm: true } });
        return { task } as never;
      }
      return { action: 'decline' };
    });
    const pair = recordedPair();
    await server.connect(pair.serverTransport);
    await client.connect(pair.clientTransport);
    const handle = await elicitAsTask(server, form('host?'));
    assert.equal(handle.returnedImmediately, false);
    const result = await handle.result();
    assert.equal(result.action, 'accept');
    await client.close();
    await server.close();
    store.cleanup();
  });
});

describe('client-hosted tasks driven by the SDK server’s own requestor streams', () => {
  test('elicitInputStream / createMessageStream work against TaskClient.enableTasks', T, async () => {
    const pair = await connectPair({
      tasks: {
        elicitation: async () => ({ action: 'accept', content: { confirm: true } }),
        sampling: async () => ({ role: 'assistant', model: 'm', content: { type: 'text', text: 'sampled' } }),
        pollInterval: 5,
      },
    });
    const kinds: string[] = [];
    let elicited: unknown;
    for await (const message of pair.server.experimental.tasks.elicitInputStream(
      form('sdk?'),
      { task: { ttl: 10_000 } },
    )) {
      kinds.push(message.type);
      if (message.type === 'result') elicited = message.result;
      if (message.type === 'error') throw message.error;
    }
    assert.equal(kinds[0], 'taskCreated');
    assert.equal(kinds.at(-1), 'result');
    assert.equal((elicited as { action: string }).action, 'accept');

    let sampled: unknown;
    for await (const message of pair.server.experimental.tasks.createMessageStream(
      { messages: [{ role: 'user', content: { type: 'text', text: 'x' } }], maxTokens: 5 },
      { task: { ttl: 10_000 } },
    )) {
      if (message.type === 'result') sampled = message.result;
      if (message.type === 'error') throw message.error;
    }
    assert.equal((sampled as { model: string }).model, 'm');
    await pair.close();
  });
});
