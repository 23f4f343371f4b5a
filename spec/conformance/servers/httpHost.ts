/**
 * Serves the fixture server (or any per-session server factory) over Streamable HTTP on
 * 127.0.0.1 with a free port, one transport per session. The owner of a session's tasks is the
 * bearer token when there is one, else the session.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

/** A running HTTP host. */
export interface HttpHost {
  url: string;
  close(): Promise<void>;
}

/** Options of {@link startHttpHost}. */
export interface HttpHostOptions {
  /** Answer in JSON instead of SSE. */
  jsonResponse?: boolean;
}

function ownerOf(req: IncomingMessage, sessionId: string): string {
  const auth = req.headers.authorization;
  return typeof auth === 'string' && auth.startsWith('Bearer ') ? `token:${auth.slice(7)}` : `session:${sessionId}`;
}

/** Starts the host; `makeServer(owner)` builds the MCP server of a new session. */
export async function startHttpHost(makeServer: (owner: string) => Server, options: HttpHostOptions = {}): Promise<HttpHost> {
  const transports = new Map<string, StreamableHTTPServerTransport>();
  const servers: Server[] = [];
  const http: HttpServer = createServer((req, res) => {
    void (async () => {
      const sessionId = req.headers['mcp-session-id'];
      let transport = typeof sessionId === 'string' ? transports.get(sessionId) : undefined;
      if (!transport) {
        if (req.method !== 'POST' || sessionId !== undefined) {
          res.writeHead(sessionId === undefined ? 400 : 404).end();
          return;
        }
        const id = randomUUID();
        transport = new StreamableHTTPServerTransport({
          sessionIdGenerator: () => id,
          enableJsonResponse: options.jsonResponse ?? false,
          onsessioninitialized: (sid) => {
            transports.set(sid, transport!);
          },
        });
        const server = makeServer(ownerOf(req, id));
        servers.push(server);
        await server.connect(transport);
      }
      await transport.handleRequest(req, res);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    async close() {
      for (const s of servers) await s.close().catch(() => undefined);
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
