/**
 * Fixture: our own server runtime (`enableTasks` + the conformance fixture tools) reachable in
 * memory or over Streamable HTTP on 127.0.0.1, for the client task layer's end-to-end tests.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { enableTasks, TaskSupport, type ServerTaskBinding } from '../../src/server/index.js';
import { registerConformanceFixtures } from '../../conformance/fixtureTools.js';
import { startSessionHttpHost } from '../support/sessionHttpHost.js';
import { recordedPair, recordSends, type WireLog } from './fixtures.js';

export interface OurServer {
  /** The servers created so far (one in memory; one per session over HTTP). */
  servers: Server[];
  /** Connects `client`; returns what it sent. */
  connect(client: Client): Promise<{ clientSent: WireLog }>;
  close(): Promise<void>;
}

/** Extra setup of each server before it connects. */
export type ServerSetup = (tasks: ServerTaskBinding, server: Server) => void;

function newServer(support: TaskSupport, servers: Server[], pollInterval: number, setup?: ServerSetup): { server: Server; tasks: ServerTaskBinding } {
  const server = new Server({ name: 'mcp-tasks-server', version: '1.0.0' }, { capabilities: {} });
  const tasks = enableTasks(server, { taskSupport: support, pollInterval });
  registerConformanceFixtures(tasks);
  setup?.(tasks, server);
  servers.push(server);
  return { server, tasks };
}

/** Our server in memory. */
export function ourServerInMemory(options: { pollInterval?: number; setup?: ServerSetup } = {}): OurServer {
  const support = TaskSupport.inMemory();
  const servers: Server[] = [];
  const clients: Client[] = [];
  return {
    servers,
    async connect(client) {
      const { server } = newServer(support, servers, options.pollInterval ?? 10, options.setup);
      const pair = recordedPair();
      await server.connect(pair.serverTransport);
      await client.connect(pair.clientTransport);
      clients.push(client);
      return { clientSent: pair.clientSent };
    },
    async close() {
      await Promise.allSettled(clients.map((c) => c.close()));
      await Promise.allSettled(servers.map((s) => s.close()));
      await support.close();
    },
  };
}

/** Our server over Streamable HTTP (SSE responses), one `Server` per session. */
export async function ourServerHttp(options: { pollInterval?: number; setup?: ServerSetup } = {}): Promise<OurServer & { url: URL }> {
  const support = TaskSupport.inMemory();
  const servers: Server[] = [];
  const clients: Client[] = [];
  const host = await startSessionHttpHost(() => newServer(support, servers, options.pollInterval ?? 10, options.setup).server);
  const url = host.url;
  return {
    url,
    servers,
    async connect(client) {
      const transport = new StreamableHTTPClientTransport(url);
      const clientSent = recordSends(transport);
      await client.connect(transport);
      clients.push(client);
      return { clientSent };
    },
    async close() {
      await Promise.allSettled(clients.map((c) => c.close()));
      await host.close();
      await support.close();
    },
  };
}
