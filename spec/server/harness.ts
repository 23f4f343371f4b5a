/**
 * Test harness for the server runtime: a real SDK `Client` talking to a low-level `Server` with
 * tasks enabled, over `InMemoryTransport` or Streamable HTTP on 127.0.0.1 (stateful sessions, one
 * `Server` per session sharing one `TaskSupport`).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, type ClientOptions } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import {
  CallToolResultSchema,
  CreateMessageRequestSchema,
  CreateTaskResultSchema,
  ElicitRequestSchema,
  GetTaskPayloadResultSchema,
  GetTaskResultSchema,
  ListTasksResultSchema,
  CancelTaskResultSchema,
  type CreateMessageRequest,
  type CreateMessageResult,
  type ElicitRequest,
  type ElicitResult,
  type JSONRPCMessage,
  type Notification,
} from '@modelcontextprotocol/sdk/types.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { enableTasks, TaskSupport, type EnableTasksOptions, type ServerTaskBinding } from '../../src/server/index.js';
import { registerConformanceFixtures } from '../../conformance/fixtureTools.js';
import { startSessionHttpHost } from '../support/sessionHttpHost.js';

export const CLIENT_CAPABILITIES = { elicitation: { form: {} }, sampling: {} } as const;

/** Answers of the test client to side-channel requests. */
export interface ClientAnswers {
  elicit?: (request: ElicitRequest) => Promise<ElicitResult> | ElicitResult;
  sample?: (request: CreateMessageRequest) => Promise<CreateMessageResult> | CreateMessageResult;
}

/** A connected client plus what a test needs to inspect. */
export interface Connection {
  client: Client;
  /** Every notification the client received, in order. */
  notifications: Notification[];
  /** Resolves with the first received notification matching `predicate` (past or future). */
  nextNotification(predicate: (n: Notification) => boolean): Promise<Notification>;
  close(): Promise<void>;
}

/** Creates a client that records notifications and answers side-channel requests. */
export function makeClient(answers: ClientAnswers = {}, options: ClientOptions = {}): Omit<Connection, 'close'> {
  const client = new Client(
    { name: 'server-spec-client', version: '1.0.0' },
    { capabilities: CLIENT_CAPABILITIES, ...options },
  );
  const notifications: Notification[] = [];
  const waiters: { predicate: (n: Notification) => boolean; resolve: (n: Notification) => void }[] = [];
  client.fallbackNotificationHandler = async (notification) => {
    notifications.push(notification);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(notification)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(notification);
      }
    }
  };
  if ((options.capabilities ?? CLIENT_CAPABILITIES).elicitation) {
    client.setRequestHandler(ElicitRequestSchema, async (request) =>
      answers.elicit ? answers.elicit(request) : { action: 'accept', content: { confirm: true } },
    );
  }
  if ((options.capabilities ?? CLIENT_CAPABILITIES).sampling) {
    client.setRequestHandler(CreateMessageRequestSchema, async (request) =>
      answers.sample
        ? answers.sample(request)
        : { role: 'assistant', model: 'test-model', content: { type: 'text', text: 'sampled reply' } },
    );
  }
  return {
    client,
    notifications,
    nextNotification(predicate) {
      const seen = notifications.find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ predicate, resolve }));
    },
  };
}

export interface InMemoryHarness extends Connection {
  server: Server;
  tasks: ServerTaskBinding;
  support: TaskSupport;
}

export interface HarnessOptions {
  enable?: EnableTasksOptions;
  answers?: ClientAnswers;
  clientOptions?: ClientOptions;
  /** Registers the conformance fixtures (default true). */
  fixtures?: boolean;
  /** Extra setup of the server before connect. */
  setup?: (tasks: ServerTaskBinding, server: Server) => void;
  /** authInfo attached to every client message (the server sees it as `extra.authInfo`). */
  authInfo?: AuthInfo;
}

/** A client linked to a `Server` with tasks enabled and the fixtures registered, in memory. */
export async function inMemory(options: HarnessOptions = {}): Promise<InMemoryHarness> {
  const support = options.enable?.taskSupport ?? TaskSupport.inMemory();
  const server = new Server({ name: 'server-spec', version: '1.0.0' }, { capabilities: {} });
  const tasks = enableTasks(server, { ...options.enable, taskSupport: support });
  if (options.fixtures !== false) registerConformanceFixtures(tasks);
  options.setup?.(tasks, server);
  const conn = makeClient(options.answers, options.clientOptions);
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  if (options.authInfo) {
    const authInfo = options.authInfo;
    const send = clientTransport.send.bind(clientTransport);
    clientTransport.send = (message: JSONRPCMessage, opts?: { relatedRequestId?: string | number; authInfo?: AuthInfo }) =>
      send(message, { ...opts, authInfo });
  }
  await server.connect(serverTransport);
  await conn.client.connect(clientTransport);
  return {
    ...conn,
    server,
    tasks,
    support,
    async close() {
      await conn.client.close();
      await server.close();
      if (!options.enable?.taskSupport) await support.close();
    },
  };
}

export interface HttpHarness {
  url: URL;
  support: TaskSupport;
  /** Every per-session ServerTaskBinding, in creation order. */
  sessions: ServerTaskBinding[];
  /** Connects a new client (a new session). `token` becomes a Bearer token → authInfo.clientId. */
  connect(answers?: ClientAnswers, options?: { token?: string; clientOptions?: ClientOptions }): Promise<Connection>;
  close(): Promise<void>;
}

export interface HttpHarnessOptions {
  jsonResponse?: boolean;
  enable?: Omit<EnableTasksOptions, 'taskSupport'>;
  support?: TaskSupport;
  /**
   * Stateless Streamable HTTP: a fresh transport and Server for every request, each connected
   * through `tasks.routeResponses()`. Requests go round-robin to `processes` (default: the one
   * support), simulating several processes behind one address.
   */
  stateless?: { processes?: TaskSupport[] };
}

/** Takes a Bearer token as the client identity (`authInfo.clientId`), as `--demo-auth` does. */
function bearerAsClientId(req: IncomingMessage): void {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) {
    const token = auth.slice('Bearer '.length);
    (req as IncomingMessage & { auth?: AuthInfo }).auth = { token, clientId: token, scopes: [] };
  }
}

/** An HTTP server on 127.0.0.1 (free port) that hands every request to `handle`. */
async function startStatelessHost(handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>): Promise<{ url: URL; close(): Promise<void> }> {
  const httpServer = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  return {
    url: new URL(`http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/mcp`),
    async close() {
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}

/** A Streamable HTTP server on 127.0.0.1 with tasks enabled and the fixtures, one Server per session. */
export async function http(options: HttpHarnessOptions = {}): Promise<HttpHarness> {
  const support = options.support ?? TaskSupport.inMemory();
  const servers: Server[] = [];
  const sessions: ServerTaskBinding[] = [];
  const clients: Client[] = [];
  let turn = 0;
  const handleStateless = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'POST') {
      res.writeHead(405, { Allow: 'POST' }).end();
      return;
    }
    const processes = options.stateless?.processes ?? [support];
    const taskSupport = processes[turn++ % processes.length]!;
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: options.jsonResponse ?? false });
    const server = new Server({ name: 'server-spec-stateless', version: '1.0.0' }, { capabilities: {} });
    const tasks = enableTasks(server, { list: false, sideChannel: 'routed', ...options.enable, taskSupport });
    registerConformanceFixtures(tasks);
    servers.push(server);
    sessions.push(tasks);
    res.on('close', () => {
      void server.close();
    });
    await server.connect(tasks.routeResponses(transport));
    await transport.handleRequest(req, res);
  };
  const sessionServer = (): Server => {
    const server = new Server({ name: 'server-spec-http', version: '1.0.0' }, { capabilities: {} });
    const tasks = enableTasks(server, { ...options.enable, taskSupport: support });
    registerConformanceFixtures(tasks);
    servers.push(server);
    sessions.push(tasks);
    return server;
  };
  const host = options.stateless
    ? await startStatelessHost(handleStateless)
    : await startSessionHttpHost(sessionServer, { jsonResponse: options.jsonResponse ?? false, onRequest: bearerAsClientId });
  const url = host.url;
  return {
    url,
    support,
    sessions,
    async connect(answers, connectOptions = {}) {
      const conn = makeClient(answers, connectOptions.clientOptions);
      const headers: Record<string, string> = connectOptions.token ? { Authorization: `Bearer ${connectOptions.token}` } : {};
      const transport = new StreamableHTTPClientTransport(url, { requestInit: { headers } });
      await conn.client.connect(transport);
      clients.push(conn.client);
      return {
        ...conn,
        async close() {
          await transport.terminateSession().catch(() => undefined);
          await conn.client.close();
        },
      };
    },
    async close() {
      await Promise.allSettled(clients.map((client) => client.close()));
      await Promise.allSettled(servers.map((server) => server.close()));
      await host.close();
      if (!options.support) await support.close();
    },
  };
}

/** Calls a tool as a task and returns the created task. */
export async function callAsTask(
  client: Client,
  name: string,
  args: Record<string, unknown>,
  task: { ttl?: number } = {},
  options: RequestOptions = {},
) {
  const created = await client.request(
    { method: 'tools/call', params: { name, arguments: args, task } },
    CreateTaskResultSchema,
    options,
  );
  return created.task;
}

/** `tasks/get`. */
export function getTask(client: Client, taskId: string) {
  return client.request({ method: 'tasks/get', params: { taskId } }, GetTaskResultSchema);
}

/** `tasks/result`, parsed loosely (the payload of a tools/call). */
export function taskResult(client: Client, taskId: string, options: RequestOptions = {}) {
  return client.request({ method: 'tasks/result', params: { taskId } }, GetTaskPayloadResultSchema, options);
}

/** `tasks/result` parsed as a CallToolResult. */
export async function toolTaskResult(client: Client, taskId: string, options: RequestOptions = {}) {
  const result = await taskResult(client, taskId, options);
  return CallToolResultSchema.parse(result);
}

/** `tasks/cancel`. */
export function cancelTask(client: Client, taskId: string) {
  return client.request({ method: 'tasks/cancel', params: { taskId } }, CancelTaskResultSchema);
}

/** `tasks/list`. */
export function listTasks(client: Client, cursor?: string) {
  return client.request({ method: 'tasks/list', params: cursor === undefined ? {} : { cursor } }, ListTasksResultSchema);
}

/** The text of the first content block of a tool result. */
export function textOf(result: unknown): string {
  const content = (result as { content?: unknown }).content as { type: string; text?: string }[] | undefined;
  const first = content?.[0];
  return first?.type === 'text' ? (first.text ?? '') : '';
}

/** Asserts that a promise rejects with a JSON-RPC error of `code`; returns the error. */
export async function rejectsWithCode(promise: Promise<unknown>, code: number): Promise<{ code: number; message: string; data?: unknown }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { code?: unknown; message: string; data?: unknown };
    if (e.code !== code) throw new Error(`expected JSON-RPC error ${code}, got ${String(e.code)}: ${e.message}`);
    return e as { code: number; message: string; data?: unknown };
  }
  throw new Error(`expected JSON-RPC error ${code}, but the call succeeded`);
}
