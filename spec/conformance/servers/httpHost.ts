/**
 * Serves the fixture server (or any per-session server factory) over Streamable HTTP on
 * 127.0.0.1 with a free port, one transport per session. The owner of a session's tasks is the
 * bearer token when there is one, else the session.
 */
import type { IncomingMessage } from 'node:http';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { startSessionHttpHost } from '../../support/sessionHttpHost.js';

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
  const host = await startSessionHttpHost((req, sessionId) => makeServer(ownerOf(req, sessionId)), options);
  return { url: host.url.href, close: () => host.close() };
}
