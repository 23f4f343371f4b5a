/**
 * A Streamable HTTP server whose tool runs as a task: one MCP `Server` per session, one
 * `TaskSupport` for the whole process, and a clean shutdown on SIGINT / SIGTERM.
 *
 *   node dist/examples/http-server.js [port]        (prints its URL when it is ready)
 */
// #region imports
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { enableTasks, TaskSupport } from 'mcp-tasks/server';
// #endregion

// #region tasks
const support = TaskSupport.inMemory(); // one per process; TaskSupport.redis(url) for several processes

/** One MCP server per session, all sharing `support`. */
function createMcpServer(): Server {
  const server = new Server({ name: 'deploy-demo', version: '1.0.0' }, { capabilities: {} });
  const tasks = enableTasks(server, { taskSupport: support }); // before connect()
  tasks.registerTool(
    {
      name: 'deploy',
      inputSchema: { type: 'object', properties: { env: { type: 'string' } }, required: ['env'] },
      execution: { taskSupport: 'optional' }, // 'forbidden' (default) | 'optional' | 'required'
    },
    async (args, ctx) => {
      const answer = await ctx.elicit(`Deploy to ${String(args['env'])}?`, {
        type: 'object',
        properties: { confirm: { type: 'boolean' } },
        required: ['confirm'],
      });
      if (answer.action !== 'accept' || answer.content?.['confirm'] !== true) {
        return { content: [{ type: 'text', text: 'not deployed' }] };
      }
      for (let step = 1; step <= 3; step++) {
        ctx.signal.throwIfAborted(); // tasks/cancel (from any process), TTL expiry, shutdown
        await ctx.reportProgress(step, 3, `step ${step}/3`);
      }
      return { content: [{ type: 'text', text: `deployed to ${String(args['env'])}` }] };
    },
  );
  return server;
}
// #endregion

// #region http
const sessions = new Map<string, StreamableHTTPServerTransport>();

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length === 0 ? undefined : JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

const http = createServer((req, res) => {
  void (async () => {
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== '/mcp') return void res.writeHead(404).end();
    const sessionId = req.headers['mcp-session-id'];
    const body = req.method === 'POST' ? await readJson(req) : undefined;
    let transport = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
    if (transport === undefined) {
      if (sessionId !== undefined || !isInitializeRequest(body)) return void res.writeHead(404).end('unknown session');
      // a new session: its own transport and its own Server
      const created = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => void sessions.set(id, created),
      });
      created.onclose = () => void (created.sessionId && sessions.delete(created.sessionId));
      await createMcpServer().connect(created);
      transport = created;
    }
    await transport.handleRequest(req, res, body);
  })().catch(() => {
    if (!res.headersSent) res.writeHead(400).end();
  });
});

// Keep idle connections far longer than fetch (undici) keeps them for reuse (4 s), or a loaded client
// reuses a socket the server has just closed (`fetch failed`, UND_ERR_SOCKET): see docs/server.md.
http.keepAliveTimeout = 65_000;
http.headersTimeout = 66_000;

http.listen(Number(process.argv[2] ?? 3000), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`);
});
// #endregion

// #region shutdown
async function shutdown(): Promise<void> {
  http.close(); // no new connections
  await support.close(); // aborts running tasks and waits for them (bounded); their clients get the outcome
  await Promise.all([...sessions.values()].map((transport) => transport.close()));
  http.closeAllConnections();
}
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
// #endregion
