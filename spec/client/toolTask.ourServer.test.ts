/**
 * Our client task layer against our own server runtime (the conformance fixture tools), in memory
 * and over Streamable HTTP; and the SDK's own `callToolStream` against our server.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  CallToolResultSchema,
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  McpError,
  RELATED_TASK_META_KEY,
} from '@modelcontextprotocol/sdk/types.js';
import { callToolAsTask, TaskClient, type ToolTask } from '../../src/client/index.js';
import { elicitAsTask } from '../../src/server/index.js';
import { ourServerHttp, ourServerInMemory, type OurServer, type ServerSetup } from './ourServer.js';

const T = { timeout: 20_000 };

function textOf(result: { content: Array<{ type: string; text?: string }> }): string | undefined {
  return result.content[0]?.text;
}

function answeringClient(): TaskClient {
  const client = new TaskClient(
    { name: 'our-client', version: '1.0.0' },
    { capabilities: { elicitation: { form: {} }, sampling: {} } },
  );
  client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: { confirm: true } }));
  client.setRequestHandler(CreateMessageRequestSchema, async (request) => ({
    role: 'assistant',
    model: 'test-model',
    content: { type: 'text', text: `reply to ${(request.params.messages[0]?.content as { text: string }).text}` },
  }));
  return client;
}

/** A tool that, running as a task on our server, asks the client to run an elicitation as a task. */
const askClient: ServerSetup = (tasks, server) => {
  tasks.registerTool(
    { name: 'ask_client_as_task', inputSchema: { type: 'object' }, execution: { taskSupport: 'optional' } },
    async (_args, ctx) => {
      const options = ctx.task ? { requireTask: true, relatedTaskId: ctx.task.taskId } : { requireTask: true };
      const handle = await elicitAsTask(
        server,
        { mode: 'form', message: 'go?', requestedSchema: { type: 'object', properties: { go: { type: 'boolean' } } } },
        options,
      );
      const answer = await handle.result({ signal: ctx.signal });
      return { content: [{ type: 'text', text: `${String(handle.returnedImmediately)}:${answer.action}:${String(answer.content?.go)}` }] };
    },
  );
};

const transports: Array<[string, () => Promise<OurServer>]> = [
  ['in memory', async () => ourServerInMemory({ setup: askClient })],
  ['Streamable HTTP', () => ourServerHttp({ setup: askClient })],
];

for (const [name, start] of transports) {
  describe(`client task handles against our server (${name})`, () => {
    test('R12 R50 typescript-sdk#1922: required, optional, forbidden, isError and protocol-error tools', T, async () => {
      const server = await start();
      const client = answeringClient();
      const { clientSent } = await server.connect(client);
      try {
        const required = await client.experimental.callToolAsTask('tasks_conformance_required', { text: 'req' });
        assert.equal(required.returnedImmediately, false);
        assert.equal(textOf(await required.result()), 'req');

        const optional = await callToolAsTask(client, 'tasks_conformance_optional', { text: 'opt' });
        assert.equal(optional.returnedImmediately, false);
        assert.equal(textOf(await optional.result()), 'opt');

        const forbidden = await callToolAsTask(client, 'tasks_conformance_forbidden', { text: 'plain' });
        assert.equal(forbidden.returnedImmediately, true);
        assert.equal(textOf(await forbidden.result()), 'plain');
        const forbiddenCall = clientSent.requests('tools/call').find((r) => r.params?.name === 'tasks_conformance_forbidden');
        assert.equal(forbiddenCall?.params?.task, undefined);

        const toolError = await callToolAsTask(client, 'tasks_conformance_tool_error', { message: 'nope' });
        const errorResult = await toolError.result();
        assert.equal(errorResult.isError, true);
        assert.equal(textOf(errorResult), 'nope');
        assert.equal((await toolError.wait()).status, 'failed');

        const protocolError = await callToolAsTask(client, 'tasks_conformance_protocol_error', { code: -32050, message: 'boom' });
        const error = await protocolError.result().then(
          () => assert.fail('must throw'),
          (e: unknown) => e,
        );
        assert.ok(error instanceof McpError);
        assert.equal(error.code, -32050);
        assert.match(error.message, /boom/);
        assert.deepEqual(error.data, { fixture: true });
        assert.equal((await protocolError.wait()).status, 'failed');
      } finally {
        await server.close();
      }
    });

    test('R31 R33: elicitation and sampling flow through tasks/result; answers carry related-task _meta', T, async () => {
      const server = await start();
      const client = answeringClient();
      const { clientSent } = await server.connect(client);
      try {
        const elicit = await callToolAsTask(client, 'tasks_conformance_elicit', { message: 'sure?' });
        assert.equal(textOf(await elicit.result()), 'confirmed: true');
        const sample = await callToolAsTask(client, 'tasks_conformance_sample', { prompt: 'ping' });
        assert.equal(textOf(await sample.result()), 'reply to ping');
        assert.ok(clientSent.requests('tasks/result').length >= 2);
        const answers = clientSent.sent.filter((m) => 'result' in m && (m.result as { _meta?: Record<string, unknown> })._meta?.[RELATED_TASK_META_KEY]);
        const related = answers.map((m) => ((m as { result: { _meta: Record<string, { taskId: string }> } }).result._meta[RELATED_TASK_META_KEY]!.taskId));
        assert.ok(related.includes(elicit.taskId as string));
        assert.ok(related.includes(sample.taskId as string));
      } finally {
        await server.close();
      }
    });

    test('R75 G3: cancel() sends tasks/cancel; result() throws the server’s own error for a cancelled task', T, async () => {
      const server = await start();
      const client = answeringClient();
      const { clientSent } = await server.connect(client);
      try {
        const hold = await callToolAsTask(client, 'tasks_conformance_hold', { holdMs: 600_000 });
        const changes: string[] = [];
        const stop = hold.onStatusChange((t) => changes.push(t.status));
        assert.equal((await hold.cancel()).status, 'cancelled');
        const error = await hold.result().then(
          () => assert.fail('must throw'),
          (e: unknown) => e,
        );
        assert.ok(error instanceof McpError);
        assert.equal(error.code, -32602);
        stop();
        assert.deepEqual(changes, ['cancelled']);
        assert.equal(clientSent.notifications('notifications/cancelled').length, 0);
      } finally {
        await server.close();
      }
    });

    test('client as receiver: a task on our server asks the client to run an elicitation as a task', T, async () => {
      const server = await start();
      const client = new TaskClient({ name: 'hosting-client', version: '1.0.0' });
      const hosted = client.experimental.enableTasks({
        elicitation: async (request, ctx) => {
          assert.equal((request.params._meta as Record<string, unknown> | undefined)?.[RELATED_TASK_META_KEY] !== undefined, true);
          return { action: 'accept', content: { go: ctx.taskId !== undefined } };
        },
        pollInterval: 5,
      });
      await server.connect(client);
      try {
        const task = await callToolAsTask(client, 'ask_client_as_task', {});
        assert.equal(task.returnedImmediately, false);
        assert.equal(textOf(await task.result()), 'false:accept:true');
      } finally {
        await server.close();
        await hosted.close();
      }
    });

    test('R61: progress and status messages reach the caller for the task’s whole life', T, async () => {
      const server = await start();
      const client = answeringClient();
      await server.connect(client);
      try {
        const progress: number[] = [];
        const task: ToolTask = await callToolAsTask(
          client,
          'tasks_conformance_progress',
          { steps: 3, delayMs: 5 },
          { onprogress: (p) => progress.push(p.progress) },
        );
        const seen: string[] = [];
        for await (const t of task) seen.push(t.status);
        assert.equal(seen.at(-1), 'completed');
        assert.equal(textOf(await task.result()), 'done');
        assert.deepEqual(progress, [1, 2, 3]);
      } finally {
        await server.close();
      }
    });
  });
}

describe('the SDK’s own client (callToolStream) against our server', () => {
  test('completed, elicitation (input_required) and isError results', T, async () => {
    const server = ourServerInMemory();
    const client = new Client({ name: 'sdk-client', version: '1.0.0' }, { capabilities: { elicitation: { form: {} } } });
    client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: { confirm: false } }));
    await server.connect(client);
    try {
      await client.listTools();
      const run = async (toolName: string, args: Record<string, unknown>) => {
        const types: string[] = [];
        let result: unknown;
        for await (const message of client.experimental.tasks.callToolStream({ name: toolName, arguments: args }, CallToolResultSchema)) {
          types.push(message.type);
          if (message.type === 'result') result = message.result;
          if (message.type === 'error') result = message.error;
        }
        return { types, result };
      };
      const done = await run('tasks_conformance_required', { text: 'sdk' });
      assert.equal(done.types[0], 'taskCreated');
      assert.equal(textOf(done.result as never), 'sdk');
      const elicited = await run('tasks_conformance_elicit', { message: 'ok?' });
      assert.equal(textOf(elicited.result as never), 'confirmed: false');
      // The SDK client turns a failed task into a generic error (typescript-sdk#1922): our server still
      // serves the real isError result, which our handle returns.
      const failed = await run('tasks_conformance_tool_error', { message: 'bad' });
      assert.equal(failed.types.at(-1), 'error');
    } finally {
      await server.close();
    }
  });
});

describe('result() does not wait for a poll (bench finding)', () => {
  test('R49: an instant task delivers its result through the blocking tasks/result, whatever the pollInterval', { timeout: 10_000 }, async () => {
    // A 10-minute pollInterval: a handle that waited for a tasks/get poll would hit the test timeout.
    const server = ourServerInMemory({ pollInterval: 600_000 });
    const client = answeringClient();
    const { clientSent } = await server.connect(client);
    try {
      const task = await callToolAsTask(client, 'tasks_conformance_optional', { text: 'now' });
      assert.equal(task.task.pollInterval, 600_000);
      assert.equal(textOf(await task.result()), 'now');
      assert.equal(clientSent.requests('tasks/result').length, 1);
    } finally {
      await server.close();
    }
  });
});
