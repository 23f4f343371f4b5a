/**
 * Serves one scenario's scripted server over Streamable HTTP on 127.0.0.1 (one SDK transport and
 * one server per session), recording every message of every session into the scenario's trace.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { readJsonBody } from '../../src/transport/requestBody.js';
import type { Scenario } from './scenarios.js';
import { createScriptedServer } from './scriptedServer.js';
import type { ClientTrace } from './trace.js';

/** A running scenario server. */
export interface ScriptedHost {
  url: string;
  close(): Promise<void>;
}

/** Wraps a server-side transport so that every message it sends goes into the trace (inbound ones are recorded off the HTTP body). */
function recording(inner: Transport, trace: ClientTrace, session: () => string): Transport {
  const wrapper: Transport = {
    async start() {
      inner.onmessage = (message, extra) => wrapper.onmessage?.(message, extra);
      inner.onclose = () => wrapper.onclose?.();
      inner.onerror = (error) => wrapper.onerror?.(error);
      await inner.start();
    },
    send(message, options) {
      trace.record('out', session(), message);
      return inner.send(message, options);
    },
    close: () => inner.close(),
    get sessionId() {
      return inner.sessionId;
    },
  };
  return wrapper;
}

/** The most a client may POST in one body (a scripted scenario needs a few kB). */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Starts the scenario's server on `port` (0: a free one). */
export async function startScriptedHost(scenario: Scenario, trace: ClientTrace, port = 0): Promise<ScriptedHost> {
  const transports = new Map<string, StreamableHTTPServerTransport>();
  const servers: Server[] = [];
  const http = createServer((req, res) => {
    void (async () => {
      // the body is read here so that what the client sent is recorded even when the transport refuses it
      const read = req.method === 'POST' ? await readJsonBody(req, MAX_BODY_BYTES) : undefined;
      if (read !== undefined && read.kind !== 'json') {
        const [status, code, message] = read.kind === 'tooLarge' ? [413, -32600, 'Request body too large'] : [400, -32700, 'Parse error'];
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
        return;
      }
      const body = read?.value;
      const sessionId = req.headers['mcp-session-id'];
      let session = typeof sessionId === 'string' ? sessionId : '';
      let transport = typeof sessionId === 'string' ? transports.get(sessionId) : undefined;
      if (!transport) {
        if (req.method !== 'POST' || sessionId !== undefined) {
          res.writeHead(sessionId === undefined ? 400 : 404).end();
          return;
        }
        const id = randomUUID();
        session = id;
        const created = new StreamableHTTPServerTransport({ sessionIdGenerator: () => id, onsessioninitialized: (sid) => void transports.set(sid, created) });
        created.onclose = () => void transports.delete(id);
        const server = createScriptedServer(scenario, trace);
        servers.push(server);
        await server.connect(recording(created, trace, () => id));
        transport = created;
      }
      for (const message of Array.isArray(body) ? body : body === undefined ? [] : [body]) trace.record('in', session, message as JSONRPCMessage);
      await transport.handleRequest(req, res, body);
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: bound } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/mcp`,
    async close() {
      await Promise.allSettled(servers.map((server) => server.close()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
