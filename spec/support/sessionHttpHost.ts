/**
 * Test support: Streamable HTTP on 127.0.0.1 (free port) with one SDK transport and one MCP server
 * per session, as a stateful production host does. Sessions are routed by `Mcp-Session-Id`; a
 * closed transport leaves the map.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';

/** What the host needs of a session's server (a low-level `Server` or an `McpServer`). */
export interface SessionServer {
  connect(transport: Transport): Promise<void>;
  close(): Promise<void>;
}

/** Options of {@link startSessionHttpHost}. */
export interface SessionHttpHostOptions {
  /** Answer each POST with one JSON body instead of an SSE stream. */
  jsonResponse?: boolean;
  /** Runs first on every request (e.g. to set `req.auth`). */
  onRequest?(req: IncomingMessage): void;
}

/** A running host. */
export interface SessionHttpHost {
  url: URL;
  /** Closes every session's server, then the HTTP server. */
  close(): Promise<void>;
}

/**
 * Starts the host. `makeServer(req, sessionId)` builds (or picks) the server of a new session from
 * its initializing request.
 */
export async function startSessionHttpHost(
  makeServer: (req: IncomingMessage, sessionId: string) => SessionServer | Promise<SessionServer>,
  options: SessionHttpHostOptions = {},
): Promise<SessionHttpHost> {
  const transports = new Map<string, StreamableHTTPServerTransport>();
  const servers: SessionServer[] = [];
  const http: HttpServer = createServer((req, res) => {
    void (async () => {
      options.onRequest?.(req);
      const sessionId = req.headers['mcp-session-id'];
      let transport = typeof sessionId === 'string' ? transports.get(sessionId) : undefined;
      if (!transport) {
        if (req.method !== 'POST' || sessionId !== undefined) {
          res.writeHead(sessionId === undefined ? 400 : 404).end();
          return;
        }
        const id = randomUUID();
        const created = new StreamableHTTPServerTransport({
          sessionIdGenerator: () => id,
          enableJsonResponse: options.jsonResponse ?? false,
          onsessioninitialized: (sid) => {
            transports.set(sid, created);
          },
        });
        created.onclose = () => {
          transports.delete(id);
        };
        const server = await makeServer(req, id);
        servers.push(server);
        await server.connect(created);
        transport = created;
      }
      await transport.handleRequest(req, res);
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: new URL(`http://127.0.0.1:${port}/mcp`),
    async close() {
      await Promise.allSettled(servers.map((server) => server.close()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
