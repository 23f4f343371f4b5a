/**
 * Several server processes, one Redis: stateless Streamable HTTP (every request stands alone, any
 * process answers any request, no sticky routing). Tasks, their results, their queued requests and
 * the answers to them live in Redis; a cancel received by one process stops the work in another.
 *
 *   REDIS_URL=redis://127.0.0.1:6379 node dist/examples/redis-server.js 3001
 *   REDIS_URL=redis://127.0.0.1:6379 node dist/examples/redis-server.js 3002
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { enableTasks, TaskSupport, type ServerTaskBinding } from 'mcp-tasks/server';

// #region redis
// Connects (and checks that Redis answers) before the process serves; one runtime per process.
const support = await TaskSupport.redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');

function createMcpServer(): { server: Server; tasks: ServerTaskBinding } {
  const server = new Server({ name: 'sum-demo', version: '1.0.0' }, { capabilities: {} });
  // 'routed': the answer to a task's question may arrive at another process; list: false because
  // anonymous requestors cannot be told apart (R87): tasks are reached by their unguessable ids.
  const tasks = enableTasks(server, { taskSupport: support, sideChannel: 'routed', list: false });
  tasks.registerTool(
    {
      name: 'slow-sum',
      inputSchema: { type: 'object', properties: { numbers: { type: 'array', items: { type: 'number' } } }, required: ['numbers'] },
      execution: { taskSupport: 'optional' },
    },
    async (args, ctx) => {
      await sleep(500, undefined, { signal: ctx.signal }); // stops at once on tasks/cancel, from any process
      const sum = (args['numbers'] as number[]).reduce((a, b) => a + b, 0);
      return { content: [{ type: 'text', text: `sum: ${sum}` }] };
    },
  );
  return { server, tasks };
}
// #endregion

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length === 0 ? undefined : JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

// #region stateless
const http = createServer((req, res) => {
  void (async () => {
    // stateless: a fresh Server and transport for every request
    const { server, tasks } = createMcpServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => void server.close());
    await server.connect(tasks.routeResponses(transport)); // answers to routed requests go to the runtime
    await transport.handleRequest(req, res, req.method === 'POST' ? await readJson(req) : undefined);
  })().catch(() => {
    if (!res.headersSent) res.writeHead(400).end();
  });
});
// #endregion

// Keep idle connections far longer than fetch (undici) keeps them for reuse (4 s), or a loaded client
// reuses a socket the server has just closed (`fetch failed`, UND_ERR_SOCKET): see docs/server.md.
http.keepAliveTimeout = 65_000;
http.headersTimeout = 66_000;

http.listen(Number(process.argv[2] ?? 3001), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`);
});

async function shutdown(): Promise<void> {
  http.close();
  await support.close(); // aborts this process's tasks (the lease of a crashed process lapses instead), closes Redis
  http.closeAllConnections();
}
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
