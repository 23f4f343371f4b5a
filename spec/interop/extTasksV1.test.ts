/**
 * The official requester `@modelcontextprotocol/ext-tasks` 0.2.2 (`core/v1`, on
 * `@modelcontextprotocol/client` 2.x) against the reference server. It never calls `tasks/result`
 * while a task is `input_required` (it polls `tasks/get`; R31 is a SHOULD), so elicitation and
 * sampling reach it only because the server pushes a waiting task's requests on the session (the
 * GET stream over Streamable HTTP, the connection over stdio) when no `tasks/result` is open.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, StreamableHTTPClientTransport, type Transport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { createTaskSessionFromClient, resultFromTaskOutcome } from '@modelcontextprotocol/ext-tasks/client';
import { startReferenceServer } from '../../src/cli/serve/index.js';
import { MAIN_JS } from '../cli/serveHelpers.js';

interface Run {
  texts: string[];
  inputs: string[];
}

/** Calls the elicit and sample fixtures through ext-tasks' v1 requester; gives up after `withinMs`. */
async function elicitAndSample(transport: Transport, withinMs: number): Promise<Run> {
  const client = new Client({ name: 'ext-tasks-v1', version: '1' }, { capabilities: { elicitation: {}, sampling: {} } });
  await client.connect(transport);
  const inputs: string[] = [];
  const session = createTaskSessionFromClient(client, {
    endpointId: 'interop',
    onInputRequest: async (request) => {
      inputs.push(request.kind);
      if (request.kind === 'elicitation') return { action: 'accept', content: { confirm: true } } as never;
      return { role: 'assistant', model: 'test', content: { type: 'text', text: 'sampled' } } as never;
    },
  });
  const texts: string[] = [];
  try {
    for (const [name, args] of [
      ['tasks_conformance_elicit', { message: 'Proceed?' }],
      ['tasks_conformance_sample', { prompt: 'Say something' }],
    ] as const) {
      const execution = await session.callTool(name, args);
      const settled = await Promise.race([
        execution.settle(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${name} did not settle within ${withinMs} ms`)), withinMs).unref()),
      ]);
      const result = resultFromTaskOutcome(settled.outcome) as { content: Array<{ type: string; text?: string }> };
      texts.push(result.content.map((block) => block.text ?? '').join(''));
    }
  } finally {
    await session.close();
    await client.close();
  }
  return { texts, inputs };
}

for (const jsonResponse of [false, true]) {
  const mode = jsonResponse ? 'JSON responses' : 'SSE responses';
  test(`R31 interop: ext-tasks core/v1 completes elicitation and sampling over Streamable HTTP (${mode})`, async (t) => {
    const server = await startReferenceServer({ port: 0, jsonResponse });
    t.after(() => server.close());
    const run = await elicitAndSample(new StreamableHTTPClientTransport(new URL(server.url!)), 10_000);
    assert.deepEqual(run.texts, ['confirmed: true', 'sampled']);
    assert.deepEqual(run.inputs, ['elicitation', 'sampling'], 'each request reached the client once');
  });
}

test('R31 interop: ext-tasks core/v1 completes elicitation and sampling over stdio', async () => {
  const transport = new StdioClientTransport({ command: process.execPath, args: [MAIN_JS, 'serve', '--stdio'] });
  const run = await elicitAndSample(transport, 10_000);
  assert.deepEqual(run.texts, ['confirmed: true', 'sampled']);
  assert.deepEqual(run.inputs, ['elicitation', 'sampling']);
});

test('R31 interop: without pushing, the same requester stalls (the defect this guards against)', async (t) => {
  const server = await startReferenceServer({ port: 0, pushInputRequests: false, sideChannelTimeout: 60_000 });
  t.after(() => server.close());
  await assert.rejects(elicitAndSample(new StreamableHTTPClientTransport(new URL(server.url!)), 1_500), /did not settle within 1500 ms/);
});
