/**
 * The scripted 2025-11-25 server of client conformance (one per session): the scenario's tool and
 * a small task table that behaves exactly as the spec says (tasks begin `working`, `tasks/result`
 * blocks and carries the related-task `_meta`, terminal tasks refuse `tasks/cancel` with -32602,
 * an `input_required` task's elicitation goes out only on an open `tasks/result`), so that what
 * the checks see is the client's doing.
 */
import { randomUUID } from 'node:crypto';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  CancelTaskRequestSchema,
  ElicitResultSchema,
  ErrorCode,
  GetTaskPayloadRequestSchema,
  GetTaskRequestSchema,
  ListTasksRequestSchema,
  ListToolsRequestSchema,
  McpError,
  RELATED_TASK_META_KEY,
  type CallToolResult,
  type ClientCapabilities,
  type Task,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { TASK_POLL_INTERVAL_MS, TASK_WORK_MS, type Scenario } from './scenarios.js';
import type { ClientTrace } from './trace.js';

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);
const anyResult = z.looseObject({});

interface Entry {
  task: Task;
  result?: CallToolResult;
  /** Woken at every status change. */
  readonly waiters: Set<() => void>;
  /** Set while the task waits for the client's answer, delivered on the next open tasks/result. */
  question?: { ask: (send: (params: Record<string, unknown>) => Promise<Record<string, unknown>>) => Promise<void> };
}

const TOOLS: Record<string, Tool> = {
  conformance_task_tool: { name: 'conformance_task_tool', description: 'Works 1 s as a task, then completes.', inputSchema: { type: 'object' }, execution: { taskSupport: 'required' } },
  conformance_plain_tool: { name: 'conformance_plain_tool', description: 'Answers at once (no task support).', inputSchema: { type: 'object' } },
  conformance_elicit_tool: { name: 'conformance_elicit_tool', description: 'A task that asks the user to confirm, then completes.', inputSchema: { type: 'object' }, execution: { taskSupport: 'required' } },
  conformance_failing_tool: { name: 'conformance_failing_tool', description: 'A task that fails (isError: true).', inputSchema: { type: 'object' }, execution: { taskSupport: 'required' } },
  conformance_ask_tool: { name: 'conformance_ask_tool', description: 'Asks the client to confirm through a task the client hosts.', inputSchema: { type: 'object' } },
};

const text = (value: string, isError = false): CallToolResult => ({ content: [{ type: 'text', text: value }], ...(isError ? { isError: true } : {}) });
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());
const related = (taskId: string): Record<string, unknown> => ({ [RELATED_TASK_META_KEY]: { taskId } });

/** The schema of the confirmation the elicit tools ask for. */
const CONFIRM_SCHEMA = { type: 'object', properties: { confirm: { type: 'boolean', title: 'Confirm' } }, required: ['confirm'] } as const;

/** Creates the server of one session of `scenario`, recording into `trace`. */
export function createScriptedServer(scenario: Scenario, trace: ClientTrace): Server {
  const server = new Server(
    { name: 'mcp-tasks-client-conformance', version: '1.0.0' },
    {
      capabilities: scenario.serverTasks ? { tools: {}, tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } } } : { tools: {} },
    },
  );
  const tasks = new Map<string, Entry>();
  const clientCaps = (): ClientCapabilities => server.getClientCapabilities() ?? {};

  const setStatus = (entry: Entry, status: Task['status'], statusMessage?: string): void => {
    if (TERMINAL.has(entry.task.status)) return;
    const { statusMessage: _old, ...rest } = entry.task;
    entry.task = { ...rest, status, lastUpdatedAt: new Date().toISOString(), ...(statusMessage !== undefined ? { statusMessage } : {}) };
    trace.status(entry.task.taskId, status);
    for (const wake of [...entry.waiters]) wake();
    entry.waiters.clear();
  };

  const finish = (entry: Entry, result: CallToolResult): void => {
    if (TERMINAL.has(entry.task.status)) return;
    entry.result = result;
    setStatus(entry, result.isError ? 'failed' : 'completed');
  };

  const create = (): Entry => {
    const now = new Date().toISOString();
    const task: Task = { taskId: randomUUID(), status: 'working', ttl: 60_000, createdAt: now, lastUpdatedAt: now, pollInterval: TASK_POLL_INTERVAL_MS };
    const entry: Entry = { task, waiters: new Set() };
    tasks.set(task.taskId, entry);
    trace.status(task.taskId, 'working');
    trace.pollIntervals.set(task.taskId, TASK_POLL_INTERVAL_MS);
    return entry;
  };

  /** The work of each task tool. */
  const work = async (tool: string, entry: Entry): Promise<void> => {
    switch (tool) {
      case 'conformance_task_tool':
        await pause(TASK_WORK_MS);
        return finish(entry, text('done'));
      case 'conformance_failing_tool':
        await pause(300);
        return finish(entry, text('it broke', true));
      case 'conformance_elicit_tool': {
        await pause(200);
        if (!clientCaps().elicitation) return finish(entry, text('the client declares no elicitation'));
        let answered!: (answer: Record<string, unknown>) => void;
        const answer = new Promise<Record<string, unknown>>((resolve) => (answered = resolve));
        entry.question = {
          ask: async (send) => {
            entry.question = undefined;
            answered(await send({ mode: 'form', message: 'Confirm the conformance task?', requestedSchema: CONFIRM_SCHEMA, _meta: related(entry.task.taskId) }));
          },
        };
        setStatus(entry, 'input_required', 'waiting for the confirmation');
        const got = await answer;
        setStatus(entry, 'working');
        await pause(200);
        return finish(entry, text(`answered: ${String(got.action)}`));
      }
    }
  };

  const find = (taskId: unknown): Entry => {
    const entry = typeof taskId === 'string' ? tasks.get(taskId) : undefined;
    if (!entry) throw new McpError(ErrorCode.InvalidParams, 'Failed to retrieve task: Task not found');
    return entry;
  };

  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: [TOOLS[scenario.tool]!] }));

  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const tool = TOOLS[request.params.name];
    if (!tool || tool.name !== scenario.tool) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${request.params.name}`);
    const support = tool.execution?.taskSupport ?? 'forbidden';
    const asTask = request.params.task !== undefined && scenario.serverTasks;
    if (asTask && support === 'forbidden') throw new McpError(ErrorCode.MethodNotFound, `Tool ${tool.name} does not support task augmentation`);
    if (!asTask && support === 'required' && scenario.serverTasks) throw new McpError(ErrorCode.MethodNotFound, `Tool ${tool.name} requires task augmentation (taskSupport: 'required')`);
    if (asTask) {
      const entry = create();
      void work(tool.name, entry);
      return { task: entry.task } as never;
    }
    if (tool.name === 'conformance_ask_tool') return askThroughClientTask(server, trace, extra.sendRequest);
    // a plain call (forbidden tool, or no tasks capability): the work, done inline
    if (tool.name === 'conformance_failing_tool') return text('it broke', true);
    return text(tool.name === 'conformance_plain_tool' ? 'plain' : 'done');
  });

  if (!scenario.serverTasks) return server;

  server.setRequestHandler(GetTaskRequestSchema, (request) => find(request.params.taskId).task);

  server.setRequestHandler(GetTaskPayloadRequestSchema, async (request, extra) => {
    const entry = find(request.params.taskId);
    while (!TERMINAL.has(entry.task.status)) {
      const question = entry.question;
      if (question) {
        await question.ask((params) => extra.sendRequest({ method: 'elicitation/create', params } as never, ElicitResultSchema) as Promise<Record<string, unknown>>);
        continue;
      }
      await new Promise<void>((resolve) => entry.waiters.add(resolve));
    }
    if (!entry.result) throw new McpError(ErrorCode.InvalidParams, `Task ${entry.task.taskId} was cancelled`);
    return { ...entry.result, _meta: { ...entry.result._meta, ...related(entry.task.taskId) } };
  });

  server.setRequestHandler(CancelTaskRequestSchema, (request) => {
    const entry = find(request.params.taskId);
    if (TERMINAL.has(entry.task.status)) throw new McpError(ErrorCode.InvalidParams, `Cannot cancel task: already in terminal status '${entry.task.status}'`);
    setStatus(entry, 'cancelled', 'cancelled by the requestor');
    return entry.task;
  });

  server.setRequestHandler(ListTasksRequestSchema, () => ({ tasks: [...tasks.values()].map((e) => e.task) }));
  return server;
}

type SendRequest = (request: never, schema: typeof anyResult) => Promise<Record<string, unknown>>;

/**
 * `conformance_ask_tool`: with a client that hosts elicitation tasks, sends it a task-augmented
 * `elicitation/create`, polls the task to its end, fetches its result, then cancels the finished
 * task and asks for an unknown one, recording every answer; otherwise elicits plainly.
 */
async function askThroughClientTask(server: Server, trace: ClientTrace, sendRequest: unknown): Promise<CallToolResult> {
  const send = sendRequest as SendRequest;
  const caps = server.getClientCapabilities() ?? {};
  const probe = async (what: string, method: string, params: Record<string, unknown>): Promise<Record<string, unknown> | undefined> => {
    try {
      const result = await send({ method, params } as never, anyResult);
      trace.probes.push({ what, at: Date.now(), result });
      return result;
    } catch (error) {
      const code = error instanceof McpError ? error.code : Number.NaN;
      trace.probes.push({ what, at: Date.now(), error: { code, message: error instanceof Error ? error.message : String(error) } });
      return undefined;
    }
  };
  const params = { mode: 'form', message: 'Confirm the conformance task?', requestedSchema: CONFIRM_SCHEMA };
  if (!caps.tasks?.requests?.elicitation?.create) {
    if (caps.elicitation) await probe('elicitation/create (plain: the client hosts no elicitation tasks)', 'elicitation/create', params);
    return text('asked plainly');
  }
  const created = await probe('elicitation/create {task}', 'elicitation/create', { ...params, task: { ttl: 60_000 } });
  const task = created?.task as Task | undefined;
  if (!task || typeof task.taskId !== 'string') return text('the client created no task');
  const deadline = Date.now() + 8_000;
  let status = task.status;
  // as a requestor the server honours the client's pollInterval too (R44), within bounds
  const every = Math.min(1000, Math.max(50, typeof task.pollInterval === 'number' ? task.pollInterval : 100));
  while (!TERMINAL.has(status) && Date.now() < deadline) {
    await pause(every);
    const got = await probe('tasks/get', 'tasks/get', { taskId: task.taskId });
    if (!got) break;
    status = String(got.status) as Task['status'];
  }
  await probe('tasks/result', 'tasks/result', { taskId: task.taskId });
  if (caps.tasks.cancel) await probe('tasks/cancel (terminal task)', 'tasks/cancel', { taskId: task.taskId });
  await probe('tasks/get (unknown taskId)', 'tasks/get', { taskId: 'conformance-unknown-task-3f9a2c' });
  return text('asked through a task');
}
