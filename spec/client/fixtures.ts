/**
 * Test fixtures for the client task layer: an SDK `McpServer` using the SDK's own task support
 * (`registerToolTask`, `InMemoryTaskStore`, `InMemoryTaskMessageQueue`), wire recording, gates.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTaskMessageQueue, InMemoryTaskStore } from '@modelcontextprotocol/sdk/experimental/tasks/stores/in-memory.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  ElicitResultSchema,
  type CallToolResult,
  type ClientCapabilities,
  type JSONRPCMessage,
  type ServerCapabilities,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

/** A promise released from outside. */
export class Gate<T = void> {
  readonly promise: Promise<T>;
  open!: (value: T) => void;
  fail!: (error: unknown) => void;
  constructor() {
    this.promise = new Promise<T>((resolve, reject) => {
      this.open = resolve;
      this.fail = reject;
    });
    this.promise.catch(() => undefined);
  }
}

/** Named gates the fixture tools wait on. */
export class Gates {
  readonly #gates = new Map<string, Gate>();
  get(name: string): Gate {
    let gate = this.#gates.get(name);
    if (gate === undefined) {
      gate = new Gate();
      this.#gates.set(name, gate);
    }
    return gate;
  }
  open(name: string): void {
    this.get(name).open();
  }
}

/** Every message a transport sent, and a way to wait for one. */
export class WireLog {
  readonly sent: JSONRPCMessage[] = [];
  readonly #waiters: Array<{ match: (m: JSONRPCMessage) => boolean; resolve: (m: JSONRPCMessage) => void }> = [];

  record(message: JSONRPCMessage): void {
    this.sent.push(message);
    for (const waiter of [...this.#waiters]) {
      if (waiter.match(message)) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve(message);
      }
    }
  }

  /** Requests sent with this method. */
  requests(method: string): Array<JSONRPCMessage & { id: string | number; method: string; params?: Record<string, unknown> }> {
    return this.sent.filter((m) => 'method' in m && m.method === method && 'id' in m) as never;
  }

  /** Notifications sent with this method. */
  notifications(method: string): Array<JSONRPCMessage & { params?: Record<string, unknown> }> {
    return this.sent.filter((m) => 'method' in m && m.method === method && !('id' in m)) as never;
  }

  /** Resolves with the first message (already sent or future) that matches. */
  next(match: (m: JSONRPCMessage) => boolean): Promise<JSONRPCMessage> {
    const found = this.sent.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.#waiters.push({ match, resolve }));
  }

  /** Resolves once a request with `method` has been sent (counting from the start). */
  request(method: string, nth = 1): Promise<JSONRPCMessage> {
    let seen = 0;
    return this.next((m) => 'method' in m && m.method === method && 'id' in m && ++seen >= nth);
  }
}

/** Records what `transport` sends. */
export function recordSends(transport: Transport): WireLog {
  const log = new WireLog();
  const send = transport.send.bind(transport);
  transport.send = (message, options) => {
    log.record(message);
    return send(message, options);
  };
  return log;
}

/** A linked in-memory pair whose both directions are recorded. */
export function recordedPair(): { clientTransport: Transport; serverTransport: Transport; clientSent: WireLog; serverSent: WireLog } {
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  return { clientTransport, serverTransport, clientSent: recordSends(clientTransport), serverSent: recordSends(serverTransport) };
}

export interface SdkServerOptions {
  /** Server capabilities; default declares tasks.requests.tools.call, list and cancel. */
  capabilities?: ServerCapabilities;
  /** pollInterval the SDK store reports. Default 10 ms. */
  pollInterval?: number;
}

export interface SdkServerFixture {
  server: McpServer;
  store: InMemoryTaskStore;
  gates: Gates;
  /** Connects `client` (over a recorded in-memory pair). */
  connect(client: Client): Promise<{ clientSent: WireLog; serverSent: WireLog }>;
  close(): Promise<void>;
}

const text = (t: string): CallToolResult => ({ content: [{ type: 'text', text: t }] });

/**
 * An SDK `McpServer` with the SDK's built-in task support (mode A) and these tools:
 * - `sdk_echo` (required, `{text, gate?}`): completes with `text`, after gate `gate` opens if given;
 * - `sdk_optional` (optional, `{text}`): completes with `text`;
 * - `sdk_tool_error` (optional, `{message}`): `failed` with an `isError` result;
 * - `sdk_elicit` (required, `{message}`): elicits `{confirm: boolean}` through the SDK side channel;
 * - `sdk_hold` (optional, `{gate}`): completes with `held` once gate `gate` opens;
 * - `sdk_status` (optional, `{gate}`): after gate `<gate>:a` sets statusMessage `step 1`, after `<gate>:b` completes;
 * - `sdk_plain` (forbidden, `{text}`): a plain tool.
 */
export function sdkServer(options: SdkServerOptions = {}): SdkServerFixture {
  const store = new InMemoryTaskStore();
  const gates = new Gates();
  const pollInterval = options.pollInterval ?? 10;
  const server = new McpServer(
    { name: 'sdk-fixture', version: '1.0.0' },
    {
      capabilities: options.capabilities ?? { tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } } },
      taskStore: store,
      taskMessageQueue: new InMemoryTaskMessageQueue(),
    },
  );
  const tasks = server.experimental.tasks;
  const background = (work: () => Promise<void>): void => {
    void work().catch(() => undefined);
  };
  const unused = {
    getTask: async () => {
      throw new Error('unused');
    },
    getTaskResult: async () => {
      throw new Error('unused');
    },
  };

  tasks.registerToolTask(
    'sdk_echo',
    { inputSchema: { text: z.string(), gate: z.string().optional() }, execution: { taskSupport: 'required' } },
    {
      createTask: async ({ text: t, gate }, extra) => {
        const task = await extra.taskStore.createTask({ ttl: extra.taskRequestedTtl ?? 60_000, pollInterval });
        background(async () => {
          if (gate !== undefined) await gates.get(gate).promise;
          await extra.taskStore.storeTaskResult(task.taskId, 'completed', text(t));
        });
        return { task };
      },
      ...unused,
    },
  );
  tasks.registerToolTask(
    'sdk_optional',
    { inputSchema: { text: z.string() }, execution: { taskSupport: 'optional' } },
    {
      createTask: async ({ text: t }, extra) => {
        const task = await extra.taskStore.createTask({ ttl: 60_000, pollInterval });
        background(() => extra.taskStore.storeTaskResult(task.taskId, 'completed', text(t)));
        return { task };
      },
      ...unused,
    },
  );
  tasks.registerToolTask(
    'sdk_tool_error',
    { inputSchema: { message: z.string() }, execution: { taskSupport: 'optional' } },
    {
      createTask: async ({ message }, extra) => {
        const task = await extra.taskStore.createTask({ ttl: 60_000, pollInterval });
        background(() => extra.taskStore.storeTaskResult(task.taskId, 'failed', { ...text(message), isError: true }));
        return { task };
      },
      ...unused,
    },
  );
  tasks.registerToolTask(
    'sdk_elicit',
    { inputSchema: { message: z.string() }, execution: { taskSupport: 'required' } },
    {
      createTask: async ({ message }, extra) => {
        const task = await extra.taskStore.createTask({ ttl: 60_000, pollInterval });
        background(async () => {
          const answer = await extra.sendRequest(
            {
              method: 'elicitation/create',
              params: {
                mode: 'form',
                message,
                requestedSchema: { type: 'object', properties: { confirm: { type: 'boolean' } }, required: ['confirm'] },
              },
            },
            ElicitResultSchema,
            { relatedTask: { taskId: task.taskId } } as never,
          );
          const reply = answer.action === 'accept' ? `confirmed: ${String(answer.content?.confirm)}` : answer.action;
          await extra.taskStore.storeTaskResult(task.taskId, 'completed', {
            ...text(reply),
            structuredContent: { meta: answer._meta ?? null },
          });
        });
        return { task };
      },
      ...unused,
    },
  );
  tasks.registerToolTask(
    'sdk_hold',
    { inputSchema: { gate: z.string() }, execution: { taskSupport: 'optional' } },
    {
      createTask: async ({ gate }, extra) => {
        const task = await extra.taskStore.createTask({ ttl: 60_000, pollInterval });
        background(async () => {
          await gates.get(gate).promise;
          await extra.taskStore.storeTaskResult(task.taskId, 'completed', text('held'));
        });
        return { task };
      },
      ...unused,
    },
  );
  tasks.registerToolTask(
    'sdk_status',
    { inputSchema: { gate: z.string() }, execution: { taskSupport: 'optional' } },
    {
      createTask: async ({ gate }, extra) => {
        const task = await extra.taskStore.createTask({ ttl: 60_000, pollInterval });
        background(async () => {
          await gates.get(`${gate}:a`).promise;
          await extra.taskStore.updateTaskStatus(task.taskId, 'working', 'step 1');
          await gates.get(`${gate}:b`).promise;
          await extra.taskStore.storeTaskResult(task.taskId, 'completed', text('done'));
        });
        return { task };
      },
      ...unused,
    },
  );
  server.registerTool('sdk_plain', { inputSchema: { text: z.string() } }, async ({ text: t }) => text(t));

  return {
    server,
    store,
    gates,
    async connect(client: Client) {
      const pair = recordedPair();
      await server.connect(pair.serverTransport);
      await client.connect(pair.clientTransport);
      return { clientSent: pair.clientSent, serverSent: pair.serverSent };
    },
    async close() {
      await server.close();
      store.cleanup();
    },
  };
}

/** A plain SDK client that can answer form elicitation. */
export function sdkClient(capabilities: ClientCapabilities = { elicitation: { form: {} } }): Client {
  return new Client({ name: 'test-client', version: '1.0.0' }, { capabilities });
}
