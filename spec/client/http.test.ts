/**
 * The client task layer over Streamable HTTP on 127.0.0.1: against an SDK `McpServer` with the
 * SDK's built-in task support, and a client hosting a task that a server's tool asks for.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import {
  CallToolRequestSchema,
  ElicitRequestSchema,
  ListToolsRequestSchema,
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import { callToolAsTask, TaskClient } from '../../src/client/index.js';
import { elicitAsTask } from '../../src/server/index.js';
import { sdkServer } from './fixtures.js';

const T = { timeout: 20_000 };

/** Serves one MCP server instance (one session) over Streamable HTTP. */
async function serveOne(connect: (transport: StreamableHTTPServerTransport) => Promise<void>): Promise<{ url: URL; close(): Promise<void> }> {
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID() });
  await connect(transport);
  const httpServer: HttpServer = createServer((req, res) => {
    transport.handleRequest(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  return {
    url: new URL(`http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/mcp`),
    async close() {
      await transport.close();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}

function textOf(result: CallToolResult): string | undefined {
  const first = result.content[0];
  return first?.type === 'text' ? first.text : undefined;
}

describe('client task layer over Streamable HTTP', () => {
  test('R31: against an SDK McpServer, the elicitation rides the tasks/result stream', T, async () => {
    const fixture = sdkServer();
    const served = await serveOne((transport) => fixture.server.connect(transport));
    const client = new TaskClient({ name: 'http-client', version: '1.0.0' }, { capabilities: { elicitation: { form: {} } } });
    client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: { confirm: true } }));
    await client.connect(new StreamableHTTPClientTransport(served.url));
    try {
      const task = await callToolAsTask(client, 'sdk_elicit', { message: 'over http?' });
      const result = await task.result();
      assert.equal(textOf(result), 'confirmed: true');
      // The SDK tool stored the answer's _meta: our client put the related-task key on it (R33).
      assert.deepEqual(result.structuredContent, {
        meta: { 'io.modelcontextprotocol/related-task': { taskId: task.taskId } },
      });
      const echo = await callToolAsTask(client, 'sdk_echo', { text: 'plain http' });
      assert.equal(textOf(await echo.result()), 'plain http');
    } finally {
      await client.close();
      await served.close();
      await fixture.close();
    }
  });

  test('a server tool asks the client to run an elicitation as a task (elicitAsTask over HTTP)', T, async () => {
    const server = new Server({ name: 'asking-server', version: '1.0.0' }, { capabilities: { tools: {} } });
    server.setRequestHandler(ListToolsRequestSchema, async () => ({
      tools: [{ name: 'ask', inputSchema: { type: 'object' } }],
    }));
    server.setRequestHandler(CallToolRequestSchema, async () => {
      const handle = await elicitAsTask(
        server,
        { mode: 'form', message: 'go?', requestedSchema: { type: 'object', properties: { go: { type: 'boolean' } } } },
        { ttl: 10_000, requireTask: true },
      );
      const answer = await handle.result();
      return { content: [{ type: 'text', text: `${answer.action}:${String(answer.content?.go)}` }] };
    });
    const served = await serveOne((transport) => server.connect(transport));
    const client = new TaskClient({ name: 'host', version: '1.0.0' });
    const hosted = client.experimental.enableTasks({
      elicitation: async (_request, ctx) => ({ action: 'accept', content: { go: ctx.taskId !== undefined } }),
      pollInterval: 5,
    });
    await client.connect(new StreamableHTTPClientTransport(served.url));
    try {
      const call = await callToolAsTask(client, 'ask', {});
      assert.equal(call.returnedImmediately, true);
      assert.equal(textOf(await call.result()), 'accept:true');
    } finally {
      await client.close();
      await served.close();
      await hosted.close();
    }
  });
});
