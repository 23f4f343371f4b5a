/**
 * Connects a server and a client over one of the two transports every workload is measured on:
 * the SDK's InMemoryTransport, or Streamable HTTP on 127.0.0.1 (a stateful session, SSE responses).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';

/** The transports a workload runs on. */
export type TransportKind = 'memory' | 'http';

export const TRANSPORTS: readonly TransportKind[] = ['memory', 'http'];

/** Anything that can be connected like an SDK `Server` or `McpServer`. */
export interface Connectable {
  connect(transport: Transport): Promise<void>;
  close(): Promise<void>;
}

/** A connected client and how to tear the pair down. */
export interface Connection {
  client: Client;
  close(): Promise<void>;
}

/** Client capabilities every bench client declares (it answers elicitations). */
const CLIENT_CAPABILITIES = { elicitation: { form: {} } } as const;

/** A client that accepts every form elicitation with `{ confirm: true }`. */
export function benchClient(): Client {
  const client = new Client({ name: 'mcp-tasks-bench', version: '0.0.0' }, { capabilities: CLIENT_CAPABILITIES });
  client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: { confirm: true } }));
  return client;
}

/** Connects `server` to a fresh bench client over `kind`. */
export async function connect(server: Connectable, kind: TransportKind): Promise<Connection> {
  return kind === 'memory' ? connectInMemory(server) : connectHttp(server);
}

async function connectInMemory(server: Connectable): Promise<Connection> {
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  const client = benchClient();
  await client.connect(clientTransport);
  return {
    client,
    async close() {
      await client.close();
      await server.close();
    },
  };
}

async function connectHttp(server: Connectable): Promise<Connection> {
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID() });
  await server.connect(transport);
  const http: HttpServer = createServer((req, res) => {
    transport.handleRequest(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(err));
    });
  });
  // Keep the client's connections open between requests for the whole measurement.
  http.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  const client = benchClient();
  await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`)));
  return {
    client,
    async close() {
      await client.close();
      await server.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
