/**
 * An SDK 1.32.x `McpServer` using the SDK's own built-in task support (InMemoryTaskStore +
 * InMemoryTaskMessageQueue, built-in tasks/* handlers), with the conformance fixtures written
 * the way the SDK allows: `registerToolTask` for task-capable tools, `registerTool` for the
 * forbidden one. The conformance suite runs against it to record the SDK's baseline.
 */
import { z } from 'zod';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { InMemoryTaskMessageQueue, InMemoryTaskStore } from '@modelcontextprotocol/sdk/experimental/tasks';
import type { CreateTaskRequestHandlerExtra, TaskRequestHandlerExtra } from '@modelcontextprotocol/sdk/experimental/tasks';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { CreateMessageResultSchema, ElicitResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const text = (value: string): CallToolResult => ({ content: [{ type: 'text', text: value }] });

type Work = (taskId: string, extra: CreateTaskRequestHandlerExtra) => Promise<{ status: 'completed' | 'failed'; result: CallToolResult }>;

/** A ToolTaskHandler that creates the task, runs `work` in the background and stores its result. */
function taskHandler<A>(work: (args: A) => Work) {
  return {
    createTask: async (args: A, extra: CreateTaskRequestHandlerExtra) => {
      const task = await extra.taskStore.createTask({ ttl: extra.taskRequestedTtl ?? 60_000, pollInterval: 50 });
      void (async () => {
        try {
          const { status, result } = await work(args)(task.taskId, extra);
          await extra.taskStore.storeTaskResult(task.taskId, status, result);
        } catch {
          // e.g. storing a result for a task that was cancelled meanwhile: the SDK refuses it
        }
      })();
      return { task };
    },
    getTask: async (_args: A, extra: TaskRequestHandlerExtra) => (await extra.taskStore.getTask(extra.taskId))!,
    getTaskResult: async (_args: A, extra: TaskRequestHandlerExtra) => (await extra.taskStore.getTaskResult(extra.taskId)) as CallToolResult,
  };
}

/** Builds one McpServer (one per connection) over a shared store and queue. */
export function createSdkServer(taskStore: InMemoryTaskStore, taskMessageQueue: InMemoryTaskMessageQueue): McpServer {
  const server = new McpServer(
    { name: 'sdk-builtin-tasks', version: '1.32.2' },
    {
      capabilities: { tools: {}, tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } } },
      taskStore,
      taskMessageQueue,
    },
  );
  const tasks = server.experimental.tasks;
  const textArgs = { text: z.string(), delayMs: z.number().optional() };
  const echo = (args: { text: string; delayMs?: number | undefined }): Work => async () => {
    await sleep(args.delayMs ?? 0);
    return { status: 'completed', result: text(args.text) };
  };
  tasks.registerToolTask('tasks_conformance_optional', { inputSchema: textArgs, execution: { taskSupport: 'optional' } }, taskHandler(echo));
  tasks.registerToolTask('tasks_conformance_required', { inputSchema: textArgs, execution: { taskSupport: 'required' } }, taskHandler(echo));
  server.registerTool('tasks_conformance_forbidden', { inputSchema: { text: z.string() } }, async (args) => text(args.text));
  tasks.registerToolTask(
    'tasks_conformance_tool_error',
    { inputSchema: { message: z.string() }, execution: { taskSupport: 'optional' } },
    taskHandler((args: { message: string }) => async () => ({ status: 'failed', result: { ...text(args.message), isError: true } })),
  );
  // The SDK's TaskStore keeps only a Result, so a JSON-RPC error can only be stored as a failed
  // isError result (G19 e): that is as close as the SDK lets a tool get.
  tasks.registerToolTask(
    'tasks_conformance_protocol_error',
    { inputSchema: { code: z.number(), message: z.string() }, execution: { taskSupport: 'optional' } },
    taskHandler((args: { code: number; message: string }) => async () => ({
      status: 'failed',
      result: { ...text(args.message), isError: true },
    })),
  );
  const relatedTask = (taskId: string) => ({ relatedTask: { taskId } }) as unknown as Record<string, never>;
  tasks.registerToolTask(
    'tasks_conformance_elicit',
    { inputSchema: { message: z.string() }, execution: { taskSupport: 'required' } },
    taskHandler((args: { message: string }) => async (taskId, extra) => {
      const answer = await extra.sendRequest(
        {
          method: 'elicitation/create',
          params: {
            mode: 'form',
            message: args.message,
            requestedSchema: { type: 'object', properties: { confirm: { type: 'boolean' } }, required: ['confirm'] },
          },
        },
        ElicitResultSchema,
        relatedTask(taskId),
      );
      const out = answer.action === 'accept' ? `confirmed: ${answer.content?.confirm === true}` : answer.action === 'decline' ? 'declined' : 'cancelled';
      return { status: 'completed', result: text(out) };
    }),
  );
  tasks.registerToolTask(
    'tasks_conformance_sample',
    { inputSchema: { prompt: z.string() }, execution: { taskSupport: 'required' } },
    taskHandler((args: { prompt: string }) => async (taskId, extra) => {
      const answer = await extra.sendRequest(
        { method: 'sampling/createMessage', params: { messages: [{ role: 'user', content: { type: 'text', text: args.prompt } }], maxTokens: 64 } },
        CreateMessageResultSchema,
        relatedTask(taskId),
      );
      const content = answer.content as { type: string; text?: string };
      return { status: 'completed', result: text(content.type === 'text' ? String(content.text) : '') };
    }),
  );
  tasks.registerToolTask(
    'tasks_conformance_progress',
    { inputSchema: { steps: z.number(), delayMs: z.number().optional() }, execution: { taskSupport: 'optional' } },
    taskHandler((args: { steps: number; delayMs?: number | undefined }) => async (taskId, extra) => {
      const token = extra._meta?.progressToken;
      for (let i = 1; i <= args.steps; i++) {
        await sleep(args.delayMs ?? 10);
        // The status update throws once the task was cancelled, which ends the loop: the only way
        // an SDK tool task learns about a cancellation (F3).
        await extra.taskStore.updateTaskStatus(taskId, 'working', `step ${i}/${args.steps}`);
        if (token !== undefined) {
          await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: i, total: args.steps } });
        }
      }
      return { status: 'completed', result: text('done') };
    }),
  );
  // No AbortSignal reaches a task's work in the SDK (F3): hold cannot stop early.
  tasks.registerToolTask(
    'tasks_conformance_hold',
    { inputSchema: { holdMs: z.number() }, execution: { taskSupport: 'optional' } },
    taskHandler((args: { holdMs: number }) => async () => {
      await sleep(args.holdMs);
      return { status: 'completed', result: text('held') };
    }),
  );
  tasks.registerToolTask(
    'tasks_conformance_stubborn',
    { inputSchema: { holdMs: z.number() }, execution: { taskSupport: 'optional' } },
    taskHandler((args: { holdMs: number }) => async () => {
      await sleep(args.holdMs);
      return { status: 'completed', result: text('stubborn') };
    }),
  );
  return server;
}

/** An in-process target: a new McpServer per connection, sharing one store and queue. */
export function sdkTarget(): { connect: () => Promise<Transport>; close: () => Promise<void> } {
  const store = new InMemoryTaskStore();
  const queue = new InMemoryTaskMessageQueue();
  const servers: McpServer[] = [];
  return {
    async connect() {
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      const server = createSdkServer(store, queue);
      servers.push(server);
      await server.connect(serverSide);
      return clientSide;
    },
    async close() {
      for (const s of servers) await s.close().catch(() => undefined);
      store.cleanup();
    },
  };
}
