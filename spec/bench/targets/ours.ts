/**
 * Ours: a low-level SDK `Server` with `enableTasks()` (this library's runtime), on the in-memory
 * backend or on Redis. The client drives each lifecycle with raw requests — `tools/call` with
 * `task`, then one blocking `tasks/result` — so the client layer is not involved.
 *
 * Deviations from the defaults, both so that W6 can store 100,000 tasks: raised store limits, and
 * a named scope on session-less transports (the default scope there is anonymous, whose tasks
 * `tasks/list` does not show). On Streamable HTTP the scope is the session id, as by default.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolResultSchema, CreateTaskResultSchema, ListTasksResultSchema, type Tool } from '@modelcontextprotocol/sdk/types.js';
import type { TaskStoreOptions } from '../../../src/core/taskStore.js';
import type { ScopeResolver } from '../../../src/server/scope.js';
import { callToolAsTask } from '../../../src/client/callToolAsTask.js';
import { enableTasks } from '../../../src/server/enableTasks.js';
import { TaskSupport } from '../../../src/runtime/taskSupport.js';
import { createRedisBackend } from '../../../src/stores/redis/backend.js';
import { timeConcurrent } from '../stats.js';
import { connect, type TransportKind } from '../transports.js';
import type { TargetEnv } from './index.js';
import { ELICIT_CONFIRMED, ELICIT_PARAMS, expectText, textResult, type BenchTarget } from './target.js';

/** The scope of session-less connections (and the one W6 fills). */
export const BENCH_SCOPE = 'bench';

const scope: ScopeResolver = (extra) => extra.sessionId ?? BENCH_SCOPE;

const STORE_OPTIONS: TaskStoreOptions = { limits: { maxTasks: 1_000_000, maxActiveTasksPerScope: 10_000 } };

const TEXT_SCHEMA = { type: 'object' as const, properties: { text: { type: 'string' } }, required: ['text'] };
const GATE_SCHEMA = { type: 'object' as const, properties: { gate: { type: 'string' } }, required: ['gate'] };
const EMPTY_SCHEMA = { type: 'object' as const, properties: {} };

function taskTool(name: string, inputSchema: Tool['inputSchema']): Tool {
  return { name, inputSchema, execution: { taskSupport: 'required' } };
}

let redisTargets = 0;

/** A `TaskSupport` and how to release its backend. */
interface Runtime {
  support: TaskSupport;
  /** Closes the runtime, then the backend's connections. */
  close(): Promise<void>;
}

/** The runtime for a backend, or why it cannot be built. */
async function runtimeFor(backend: 'memory' | 'redis', env: TargetEnv): Promise<Runtime | string> {
  if (backend === 'memory') {
    const support = TaskSupport.inMemory(STORE_OPTIONS);
    return { support, close: () => support.close() };
  }
  const redis = await env.redis();
  if (typeof redis === 'string') return redis;
  // A key prefix per target keeps the workloads' keyspaces apart on the shared Redis.
  const redisBackend = createRedisBackend(redis.url, { keyPrefix: `bench-${++redisTargets}`, store: STORE_OPTIONS });
  const { store, queue, responseChannel, leases } = redisBackend;
  const support = new TaskSupport({ store, queue, responseChannel, leases });
  return {
    support,
    async close() {
      await support.close();
      await redisBackend.close();
    },
  };
}

/** Opens ours over `transport` on `backend`. */
export async function openOursTarget(backend: 'memory' | 'redis', transport: TransportKind, env: TargetEnv): Promise<BenchTarget | string> {
  const runtime = await runtimeFor(backend, env);
  if (typeof runtime === 'string') return runtime;
  const { support } = runtime;
  const server = new Server({ name: `bench-ours-${backend}`, version: '0.0.0' }, { capabilities: {} });
  const tasks = enableTasks(server, { taskSupport: support, scope });
  tasks.registerTool<{ text: string }>(taskTool('instant', TEXT_SCHEMA), async ({ text }) => textResult(text));
  tasks.registerTool<{ gate: string }>(taskTool('gated', GATE_SCHEMA), async ({ gate }) => {
    await env.gates.wait(gate);
    return textResult(gate);
  });
  tasks.registerTool(taskTool('elicit', EMPTY_SCHEMA), async (_args, ctx) => {
    const answer = await ctx.elicit(ELICIT_PARAMS.message, ELICIT_PARAMS.requestedSchema);
    return textResult(`confirmed: ${String(answer.content?.['confirm'])}`);
  });
  const { client, close } = await connect(server, transport);

  const create = async (name: string, args: Record<string, unknown>): Promise<string> => {
    const created = await client.request({ method: 'tools/call', params: { name, arguments: args, task: {} } }, CreateTaskResultSchema);
    return created.task.taskId;
  };
  const result = (taskId: string) => client.request({ method: 'tasks/result', params: { taskId } }, CallToolResultSchema);
  const lifecycle = async (name: string, args: Record<string, unknown>, expected: string): Promise<void> => {
    expectText(await result(await create(name, args)), expected);
  };

  return {
    key: backend === 'memory' ? 'ours-memory' : 'ours-redis',
    transport,
    instant: (text) => lifecycle('instant', { text }, text),
    async instantViaHandle(text) {
      const task = await callToolAsTask(client, 'instant', { text });
      expectText(await task.result(), text);
    },
    async startGated(gateId) {
      const taskId = await create('gated', { gate: gateId });
      return { done: result(taskId).then((r) => expectText(r, gateId)) };
    },
    elicit: () => lifecycle('elicit', {}, ELICIT_CONFIRMED),
    async populate(count) {
      const request = { method: 'tools/call', params: { name: 'instant', arguments: { text: 'stored' } } };
      let i = 0;
      await timeConcurrent(count, 32, async () => {
        const task = await support.store.createTask({}, `populate-${i++}`, request, BENCH_SCOPE);
        await support.store.finishTask(task.taskId, { status: 'completed', outcome: { kind: 'result', result: textResult('stored') } }, BENCH_SCOPE);
      });
    },
    async listFirstPage() {
      const page = await client.request({ method: 'tasks/list', params: {} }, ListTasksResultSchema);
      return page.tasks.length;
    },
    async close() {
      await close();
      await tasks.close();
      await runtime.close();
    },
  };
}
