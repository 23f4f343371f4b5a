/**
 * The SDK's built-in task path, as the issue defines it: `@modelcontextprotocol/sdk` alone —
 * `McpServer` + `registerToolTask` + its `InMemoryTaskStore` and `InMemoryTaskMessageQueue`, driven by
 * `client.experimental.tasks.callToolStream` with its default settings.
 *
 * The tools follow the SDK's own examples: `createTask` creates the task, starts the work in the
 * background and returns; the work stores its result through `extra.taskStore`. The `elicit` tool
 * queues its `elicitation/create` with `relatedTask`, the SDK's in-process side channel (F5, docs/sdk-notes.md).
 */
import type { CreateTaskRequestHandlerExtra } from '@modelcontextprotocol/sdk/experimental/tasks/interfaces.js';
import { InMemoryTaskMessageQueue, InMemoryTaskStore } from '@modelcontextprotocol/sdk/experimental/tasks/stores/in-memory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { TaskRequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  CallToolResultSchema,
  CreateTaskResultSchema,
  ElicitResultSchema,
  ListTasksResultSchema,
  type CallToolResult,
  type CreateTaskResult,
} from '@modelcontextprotocol/sdk/types.js';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { z } from 'zod';
import { connect, type TransportKind } from '../transports.js';
import { ELICIT_CONFIRMED, ELICIT_PARAMS, expectText, textResult, type BenchTarget, type Gates, type WaitMode } from './target.js';

const TASK_TOOL = { execution: { taskSupport: 'required' as const } };

/** Creates the task, runs `work` in the background and stores what it returns. */
async function startInBackground(
  extra: CreateTaskRequestHandlerExtra,
  work: (taskId: string) => Promise<CallToolResult>,
): Promise<CreateTaskResult> {
  const task = await extra.taskStore.createTask({ ttl: extra.taskRequestedTtl });
  void (async () => {
    const result = await work(task.taskId);
    await extra.taskStore.storeTaskResult(task.taskId, 'completed', result);
  })().catch(() => {
    // A task cancelled or expired under the bench: nothing to store any more.
  });
  return { task };
}

/** Handlers every `registerToolTask` needs besides `createTask` (SDK 1.32 never calls them). */
const passthrough = {
  getTask: async (_args: unknown, extra: { taskId: string; taskStore: CreateTaskRequestHandlerExtra['taskStore'] }) =>
    extra.taskStore.getTask(extra.taskId),
  getTaskResult: async (_args: unknown, extra: { taskId: string; taskStore: CreateTaskRequestHandlerExtra['taskStore'] }) =>
    (await extra.taskStore.getTaskResult(extra.taskId)) as CallToolResult,
};

/** An `McpServer` with the SDK's store and queue and the three bench tools as task tools. */
function sdkServer(gates: Gates): { server: McpServer; store: InMemoryTaskStore } {
  const store = new InMemoryTaskStore();
  const server = new McpServer(
    { name: 'bench-sdk', version: '0.0.0' },
    {
      capabilities: { tasks: { requests: { tools: { call: {} } }, list: {}, cancel: {} } },
      taskStore: store,
      taskMessageQueue: new InMemoryTaskMessageQueue(),
    },
  );
  const tasks = server.experimental.tasks;
  tasks.registerToolTask('instant', { inputSchema: { text: z.string() }, ...TASK_TOOL }, {
    createTask: async ({ text }, extra) => startInBackground(extra, async () => textResult(text)),
    ...passthrough,
  });
  tasks.registerToolTask('gated', { inputSchema: { gate: z.string() }, ...TASK_TOOL }, {
    createTask: async ({ gate }, extra) =>
      startInBackground(extra, async () => {
        await gates.wait(gate);
        return textResult(gate);
      }),
    ...passthrough,
  });
  tasks.registerToolTask('elicit', { ...TASK_TOOL }, {
    createTask: async (extra) =>
      startInBackground(extra, async (taskId) => {
        // `relatedTask` is hidden from the option type but honoured at runtime (F10, docs/sdk-notes.md).
        const options = { relatedTask: { taskId } } as unknown as TaskRequestOptions;
        const answer = await extra.sendRequest({ method: 'elicitation/create', params: ELICIT_PARAMS }, ElicitResultSchema, options);
        return textResult(`confirmed: ${String(answer.content?.['confirm'])}`);
      }),
    getTask: async (extra) => extra.taskStore.getTask(extra.taskId),
    getTaskResult: async (extra) => (await extra.taskStore.getTaskResult(extra.taskId)) as CallToolResult,
  });
  return { server, store };
}

/** Drives one call through `callToolStream` (default options) and checks the final result. */
async function viaStream(client: Client, name: string, args: Record<string, unknown>, expected: string): Promise<void> {
  for await (const message of client.experimental.tasks.callToolStream({ name, arguments: args })) {
    if (message.type === 'error') throw message.error;
    if (message.type === 'result') {
      expectText(message.result as CallToolResult, expected);
      return;
    }
  }
  throw new Error('callToolStream ended without a result');
}

/** `tools/call` with `task: {}` as a raw request; resolves with the task id. */
async function createTask(client: Client, name: string, args: Record<string, unknown>): Promise<string> {
  const created = await client.request({ method: 'tools/call', params: { name, arguments: args, task: {} } }, CreateTaskResultSchema);
  return created.task.taskId;
}

/** Opens the SDK built-in target over `transport`. */
export async function openSdkTarget(transport: TransportKind, gates: Gates): Promise<BenchTarget & { store: InMemoryTaskStore }> {
  const { server, store } = sdkServer(gates);
  const { client, close } = await connect(server, transport);
  // Fills the client's tool cache so callToolStream adds `task: {}` by itself, as in real use.
  await client.listTools();
  return {
    key: 'sdk',
    transport,
    store,
    instant: (text) => viaStream(client, 'instant', { text }, text),
    async startGated(gateId: string, mode: WaitMode) {
      if (mode === 'stream') return { done: viaStream(client, 'gated', { gate: gateId }, gateId) };
      // `tools/call` with `task`, then one blocking `tasks/result` (the SDK's built-in handler).
      const taskId = await createTask(client, 'gated', { gate: gateId });
      const done = client
        .request({ method: 'tasks/result', params: { taskId } }, CallToolResultSchema)
        .then((result) => expectText(result, gateId));
      return { done };
    },
    elicit: () => viaStream(client, 'elicit', {}, ELICIT_CONFIRMED),
    async populate(count) {
      // As `callToolStream` creates them by default: no ttl (the SDK store then sets no timer).
      const request = { method: 'tools/call', params: { name: 'instant', arguments: { text: 'stored' } } };
      for (let i = 0; i < count; i++) {
        const task = await store.createTask({}, `populate-${i}`, request);
        await store.storeTaskResult(task.taskId, 'completed', textResult('stored'));
      }
    },
    async listFirstPage() {
      const page = await client.request({ method: 'tasks/list', params: {} }, ListTasksResultSchema);
      return page.tasks.length;
    },
    async close() {
      await close();
      store.cleanup();
    },
  };
}
