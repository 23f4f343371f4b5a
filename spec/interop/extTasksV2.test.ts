/**
 * The official requester `@modelcontextprotocol/ext-tasks` 0.2.2, `core/v2` (2026-07-28, on
 * `@modelcontextprotocol/client` 2.x negotiating with `server/discover`), against the reference
 * server: a task that elicits (its `inputRequests` answered with `tasks/update`), one that samples,
 * one whose tool fails, one cancelled. And on the same URL, at the same time, `core/v1` over the
 * 2025-11-25 handshake: one deployment, both revisions. In memory, and on Redis with three
 * processes behind a round-robin proxy (a task's input answered on another process than the one
 * running it).
 */
import { it, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createTaskSessionFromClient, resultFromTaskOutcome } from '@modelcontextprotocol/ext-tasks/client';
import { startReferenceServer } from '../../src/cli/serve/index.js';
import { TASKS_EXTENSION_ID } from '../../src/extension/index.js';
import { rawDispatchTo, MODERN_PROTOCOL_VERSION } from '../support/rawDispatch.js';
import { describeWithRedis } from '../support/redisServer.js';
import { proxiedDeployment } from '../support/roundRobinProxy.js';

const CAPABILITIES = { elicitation: {}, sampling: {} };
const SETTLE_WITHIN_MS = 15_000;

function within<T>(promise: Promise<T>, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} did not settle within ${SETTLE_WITHIN_MS} ms`)), SETTLE_WITHIN_MS).unref()),
  ]);
}

type Text = { content: Array<{ type: string; text?: string }>; isError?: boolean };
const textOf = (result: unknown): string => (result as Text).content.map((block) => block.text ?? '').join('');

/** Opens an ext-tasks session on `url`: `v2` negotiates 2026-07-28, else the 2025-11-25 handshake. */
async function openSession(url: string, v2: boolean, inputs: string[], sent: Record<string, number> = {}) {
  const client = new Client(
    { name: `ext-tasks-${v2 ? 'v2' : 'v1'}`, version: '1' },
    { capabilities: CAPABILITIES, ...(v2 ? { versionNegotiation: { mode: 'auto' as const } } : {}) },
  );
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  const onInputRequest = async (request: { kind: string }) => {
    inputs.push(request.kind);
    if (request.kind === 'elicitation') return { action: 'accept', content: { confirm: true } } as never;
    return { role: 'assistant', model: 'test', content: { type: 'text', text: 'sampled' } } as never;
  };
  const session = v2
    ? createTaskSessionFromClient(client, {
        endpointId: 'interop-v2',
        onInputRequest,
        rawDispatch: rawDispatchTo(url, sent),
        v2RequestFraming: {
          protocolVersion: MODERN_PROTOCOL_VERSION,
          clientInfo: { name: 'ext-tasks-v2', version: '1' },
          clientCapabilities: { ...CAPABILITIES, extensions: { [TASKS_EXTENSION_ID]: {} } },
        },
      })
    : createTaskSessionFromClient(client, { endpointId: 'interop-v1', onInputRequest });
  return {
    era: client.getProtocolEra(),
    session,
    close: async () => {
      await session.close();
      await client.close();
    },
  };
}

/** Runs the four tasks through ext-tasks v2 and checks how each ended. */
async function fourTasks(url: string): Promise<{ inputs: string[]; sent: Record<string, number> }> {
  const inputs: string[] = [];
  const sent: Record<string, number> = {};
  const v2 = await openSession(url, true, inputs, sent);
  try {
    assert.equal(v2.era, 'modern');
    const elicit = await v2.session.callTool('tasks_conformance_elicit', { message: 'Proceed?' });
    assert.equal(elicit.kind, 'task');
    assert.equal(textOf(resultFromTaskOutcome((await within(elicit.settle(), 'elicit')).outcome)), 'confirmed: true');

    const sample = await v2.session.callTool('tasks_conformance_sample', { prompt: 'Say something' });
    assert.equal(textOf(resultFromTaskOutcome((await within(sample.settle(), 'sample')).outcome)), 'sampled');

    // a tool error is `completed` with isError under the extension
    const failing = await v2.session.callTool('failing_job', {});
    const failed = (await within(failing.settle(), 'failing_job')).outcome;
    assert.equal(failed.status, 'completed');
    assert.equal((resultFromTaskOutcome(failed) as Text).isError, true);

    const held = await v2.session.callTool('tasks_conformance_hold', { holdMs: 60_000 });
    assert.equal(held.kind, 'task');
    await held.cancel();
    assert.equal((await within(held.settle(), 'cancelled hold')).outcome.status, 'cancelled');
  } finally {
    await v2.close();
  }
  assert.deepEqual(inputs, ['elicitation', 'sampling']);
  return { inputs, sent };
}

/**
 * ext-tasks v1 on the same URL: the 2025-11-25 handshake, a task with an elicitation (with
 * sessions: ext-tasks v1 polls `tasks/get` and gets the request only by the session's push, which
 * stateless serving has no stream for) or, stateless, a task without input.
 */
async function v1Task(url: string, stateless: boolean): Promise<void> {
  const inputs: string[] = [];
  const v1 = await openSession(url, false, inputs);
  try {
    assert.notEqual(v1.era, 'modern');
    const [tool, args, expected] = stateless
      ? (['tasks_conformance_required', { text: 'v1 on the same URL', delayMs: 200 }, 'v1 on the same URL'] as const)
      : (['tasks_conformance_elicit', { message: 'Proceed?' }, 'confirmed: true'] as const);
    const execution = await v1.session.callTool(tool, args);
    assert.equal(execution.kind, 'task');
    assert.equal(textOf(resultFromTaskOutcome((await within(execution.settle(), `v1 ${tool}`)).outcome)), expected);
  } finally {
    await v1.close();
  }
  assert.deepEqual(inputs, stateless ? [] : ['elicitation']);
}

test('SEP-2663 interop: ext-tasks core/v2 and core/v1 against one reference server (in memory)', async (t) => {
  const server = await startReferenceServer({ port: 0 });
  t.after(() => server.close());
  const [{ sent }] = await Promise.all([fourTasks(server.url!), v1Task(server.url!, false)]);
  assert.ok((sent['tasks/update'] ?? 0) >= 2, `tasks/update sent: ${JSON.stringify(sent)}`);
  assert.equal(sent['tasks/result'], undefined);
});

describeWithRedis('ext-tasks core/v2 and core/v1 on Redis, three processes, every request to the next one', () => {
  it('all four v2 tasks and the v1 task end as they should', async (t) => {
    const proxy = await proxiedDeployment(t);
    await Promise.all([fourTasks(proxy.url), v1Task(proxy.url, true)]);
  });
});
