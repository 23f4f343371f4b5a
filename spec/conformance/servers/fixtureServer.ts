/**
 * A small, self-contained, spec-following SEP-1686 server with the conformance fixtures, used to
 * test the conformance runner itself. Knobs break it on purpose (an `isError` result instead of
 * -32601, a `tasks/result` that does not block, …) so tests can show the matching checks fail.
 *
 * Not a product: the real reference server lives in src/cli/serve. This one exists so the suite's
 * tests do not depend on it and can be broken at will.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  CallToolRequestSchema,
  CreateMessageResultSchema,
  ElicitResultSchema,
  ListTasksRequestSchema,
  ListToolsRequestSchema,
  McpError,
  RELATED_TASK_META_KEY,
  type CallToolResult,
  type Task,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';

/** Ways to break the server on purpose. */
export interface Breakage {
  /** A `required` tool called without `task` returns an `isError` result (TS SDK F1). */
  requiredAsIsError?: boolean;
  /** A `forbidden` tool called with `task` runs and returns its result (TS SDK F1). */
  forbiddenRuns?: boolean;
  /** `tasks/result` answers at once for a task that is still working. */
  nonBlockingResult?: boolean;
  /** `tasks/cancel` sends no status notification (TS SDK F3). */
  noCancelNotification?: boolean;
  /** Declare no `tasks.list`. */
  noList?: boolean;
  /** Issue guessable ids (`task-1`, `task-2`, …). */
  sequentialIds?: boolean;
  /** Leave these fixture tools out of tools/list. */
  omitFixtures?: string[];
  /** Declare `forbidden` for this fixture although the fixture contract says otherwise. */
  wrongSupport?: string;
  /** Answer an internal error (the protocol-error fixture's `plain` exception) with this code instead of -32603. */
  internalErrorCode?: number;
  /** A task failed by an internal error gets no statusMessage. */
  internalErrorSilent?: boolean;
  /** `tasks/get`, `tasks/result`, `tasks/cancel` with a `taskId` that is not a string: -32603 instead of -32602. */
  badParamsInternal?: boolean;
  /** Refuse (-32602) every task-augmented `tools/call` whose `task` asks for a `ttl` of exactly 60 s (R23's call). */
  refuseMinuteTasks?: boolean;
  /** The elicit fixture's task never shows `input_required` (it stays `working` while it asks). */
  noInputRequired?: boolean;
  /** A cancelled hold fixture keeps working to its end (its status says cancelled). */
  cancelKeepsWorking?: boolean;
  /** The progress fixture sends one more progress notification 20 ms after its task ended. */
  progressAfterEnd?: boolean;
  /** Refused calls (a `required` tool without `task`, a `forbidden` one with it) run the tool before the -32601. */
  refusedRuns?: boolean;
  /** The elicit fixture's task stays `input_required` after the answer (until it ends). */
  stayInputRequired?: boolean;
  /** `lastUpdatedAt` stays at `createdAt` whatever changes. */
  frozenLastUpdatedAt?: boolean;
  /** Tasks are dropped this many ms after creation, while `ttl` reports what was asked. */
  expireEarlyMs?: number;
  /** A `tasks/result` cancelled with `notifications/cancelled` cancels its task too (G15). */
  cancelTaskWithResult?: boolean;
}

type Outcome = { result: CallToolResult } | { error: { code: number; message: string; data?: unknown } };

interface Rec {
  task: Task;
  owner: string;
  outcome?: Outcome;
  waiters: Set<() => void>;
  abort: AbortController;
  notify: (task: Task) => void;
  timer?: NodeJS.Timeout;
}

const FIXTURES: Array<{ name: string; support: 'optional' | 'required' | 'forbidden' }> = [
  { name: 'tasks_conformance_optional', support: 'optional' },
  { name: 'tasks_conformance_required', support: 'required' },
  { name: 'tasks_conformance_forbidden', support: 'forbidden' },
  { name: 'tasks_conformance_tool_error', support: 'optional' },
  { name: 'tasks_conformance_protocol_error', support: 'optional' },
  { name: 'tasks_conformance_elicit', support: 'required' },
  { name: 'tasks_conformance_sample', support: 'required' },
  { name: 'tasks_conformance_progress', support: 'optional' },
  { name: 'tasks_conformance_hold', support: 'optional' },
  { name: 'tasks_conformance_stubborn', support: 'optional' },
];

/** The fixtures whose optional arguments the suite looks for in their input schema. */
const INPUT_SCHEMAS: Record<string, Tool['inputSchema']> = {
  tasks_conformance_protocol_error: { type: 'object', properties: { plain: { type: 'boolean' } } },
  tasks_conformance_optional: { type: 'object', properties: { text: { type: 'string' }, count: { type: 'boolean' } } },
  tasks_conformance_required: { type: 'object', properties: { text: { type: 'string' }, count: { type: 'boolean' } } },
  tasks_conformance_forbidden: { type: 'object', properties: { text: { type: 'string' }, count: { type: 'boolean' } } },
  tasks_conformance_hold: { type: 'object', properties: { holdMs: { type: 'integer' }, text: { type: 'string' }, count: { type: 'boolean' } } },
  tasks_conformance_elicit: { type: 'object', properties: { message: { type: 'string' }, holdAfterMs: { type: 'integer' } } },
};

/** tasks/* schemas that let bad params through to the handler, which answers -32602 itself. */
const loose = <M extends string>(method: M) =>
  z.object({ method: z.literal(method), params: z.record(z.string(), z.unknown()).optional() });
const GetTaskRequestSchema = loose('tasks/get');
const GetTaskPayloadRequestSchema = loose('tasks/result');
const CancelTaskRequestSchema = loose('tasks/cancel');

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);
const PAGE = 10;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

function text(value: string): CallToolResult {
  return { content: [{ type: 'text', text: value }] };
}

/** Tasks shared by every connection of one server "process". */
export class TaskWorld {
  readonly tasks = new Map<string, Rec>();
  readonly #runs = new Map<string, number>();
  /** The fixtures' `count` option: `text #N`, N the runs on that text. */
  counted(value: string, count: boolean): string {
    if (!count) return value;
    const n = (this.#runs.get(value) ?? 0) + 1;
    this.#runs.set(value, n);
    return `${value} #${n}`;
  }
  /** Aborts all running work and clears timers. */
  close(): void {
    for (const rec of this.tasks.values()) {
      rec.abort.abort();
      clearTimeout(rec.timer);
    }
    this.tasks.clear();
  }
}

/** Creates one server connection acting for `owner`. */
export function createFixtureServer(world: TaskWorld, owner: string, breakage: Breakage = {}): Server {
  const server = new Server(
    { name: 'conformance-fixture-server', version: '0.0.1' },
    {
      capabilities: {
        tools: {},
        tasks: { ...(breakage.noList ? {} : { list: {} }), cancel: {}, requests: { tools: { call: {} } } },
      },
    },
  );

  const notFound = (): McpError => new McpError(-32602, 'Failed to retrieve task: Task not found');
  const find = (taskId: unknown): Rec => {
    if (breakage.badParamsInternal && typeof taskId !== 'string' && taskId !== undefined) throw new McpError(-32603, 'Internal error: taskId.startsWith is not a function');
    const rec = typeof taskId === 'string' ? world.tasks.get(taskId) : undefined;
    if (!rec || rec.owner !== owner) throw notFound();
    return rec;
  };
  const update = (rec: Rec, status: Task['status'], statusMessage?: string, silent = false): void => {
    if (TERMINAL.has(rec.task.status)) return;
    rec.task = {
      ...rec.task,
      status,
      lastUpdatedAt: breakage.frozenLastUpdatedAt ? rec.task.createdAt : new Date().toISOString(),
      ...(statusMessage !== undefined ? { statusMessage } : {}),
    };
    if (!silent) rec.notify(rec.task);
    if (TERMINAL.has(status)) {
      for (const wake of rec.waiters) wake();
      rec.waiters.clear();
    }
  };
  const finish = (rec: Rec, outcome: Outcome): void => {
    if (TERMINAL.has(rec.task.status)) return;
    rec.outcome = outcome;
    if ('error' in outcome) update(rec, 'failed', breakage.internalErrorSilent && outcome.error.message.startsWith('Internal error') ? undefined : `Request failed: ${outcome.error.message}`);
    else if (outcome.result.isError) update(rec, 'failed', 'The tool reported an error');
    else update(rec, 'completed');
  };

  async function work(name: string, args: Record<string, unknown>, rec: Rec | undefined, progressToken: unknown): Promise<Outcome> {
    const signal = rec?.abort.signal;
    const related = rec ? { _meta: { [RELATED_TASK_META_KEY]: { taskId: rec.task.taskId } } } : {};
    switch (name) {
      case 'tasks_conformance_optional':
      case 'tasks_conformance_required':
        await sleep(Number(args.delayMs ?? 0), signal);
        return { result: text(world.counted(String(args.text), args.count === true)) };
      case 'tasks_conformance_forbidden':
        return { result: text(world.counted(String(args.text), args.count === true)) };
      case 'tasks_conformance_tool_error':
        return { result: { ...text(String(args.message)), isError: true } };
      case 'tasks_conformance_protocol_error':
        if (args.plain === true) return { error: { code: breakage.internalErrorCode ?? -32603, message: `Internal error: ${String(args.message)}` } };
        return { error: { code: Number(args.code), message: String(args.message), data: { fixture: true } } };
      case 'tasks_conformance_elicit': {
        if (rec && !breakage.noInputRequired) update(rec, 'input_required');
        const answer = await server.request(
          {
            method: 'elicitation/create',
            params: {
              mode: 'form',
              message: String(args.message),
              requestedSchema: { type: 'object', properties: { confirm: { type: 'boolean' } }, required: ['confirm'] },
              ...related,
            },
          },
          ElicitResultSchema,
        );
        if (rec && !breakage.stayInputRequired) update(rec, 'working');
        await sleep(Number(args.holdAfterMs ?? 0), signal);
        if (answer.action === 'accept') return { result: text(`confirmed: ${answer.content?.confirm === true}`) };
        return { result: text(answer.action === 'decline' ? 'declined' : 'cancelled') };
      }
      case 'tasks_conformance_sample': {
        if (rec) update(rec, 'input_required');
        const answer = await server.request(
          {
            method: 'sampling/createMessage',
            params: { messages: [{ role: 'user', content: { type: 'text', text: String(args.prompt) } }], maxTokens: 64, ...related },
          },
          CreateMessageResultSchema,
        );
        if (rec) update(rec, 'working');
        const content = answer.content as { type: string; text?: string };
        return { result: text(content.type === 'text' ? String(content.text) : '') };
      }
      case 'tasks_conformance_progress': {
        const steps = Number(args.steps);
        for (let i = 1; i <= steps; i++) {
          await sleep(Number(args.delayMs ?? 10), signal);
          if (signal?.aborted) break;
          if (progressToken !== undefined) {
            await server.notification({ method: 'notifications/progress', params: { progressToken: progressToken as string, progress: i, total: steps } });
          }
          if (rec) update(rec, 'working', `step ${i}/${steps}`);
        }
        if (breakage.progressAfterEnd && progressToken !== undefined) {
          // one more progress notification, sent once the task has ended and its result has gone out
          const token = progressToken as string;
          setTimeout(() => void server.notification({ method: 'notifications/progress', params: { progressToken: token, progress: steps, total: steps } }).catch(() => undefined), 20);
        }
        return { result: text('done') };
      }
      case 'tasks_conformance_hold':
        await sleep(Number(args.holdMs), breakage.cancelKeepsWorking ? undefined : signal);
        if (typeof args.text === 'string' && (breakage.cancelKeepsWorking || !signal?.aborted)) world.counted(args.text, args.count === true);
        return { result: text('held') };
      case 'tasks_conformance_stubborn':
        await sleep(Number(args.holdMs));
        return { result: text('stubborn') };
      default:
        throw new McpError(-32602, `Unknown tool ${name}`);
    }
  }

  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: FIXTURES.filter((f) => !breakage.omitFixtures?.includes(f.name)).map(
      (f): Tool => ({
        name: f.name,
        inputSchema: INPUT_SCHEMAS[f.name] ?? { type: 'object' },
        execution: { taskSupport: f.name === breakage.wrongSupport ? 'forbidden' : f.support },
      }),
    ),
  }));

  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const { name, arguments: args = {}, task } = request.params;
    const fixture = FIXTURES.find((f) => f.name === name);
    if (!fixture) throw new McpError(-32602, `Unknown tool ${name}`);
    const progressToken = request.params._meta?.progressToken;
    if (task && breakage.refuseMinuteTasks && task.ttl === 60_000) throw new McpError(-32602, 'Tasks of one minute are refused');
    if (task && fixture.support === 'forbidden' && !breakage.forbiddenRuns) {
      if (breakage.refusedRuns) await work(name, args, undefined, progressToken);
      throw new McpError(-32601, `Tool ${name} does not support task augmentation`);
    }
    if (!task || fixture.support === 'forbidden') {
      if (fixture.support === 'required') {
        if (breakage.requiredAsIsError) return { ...text(`Tool ${name} requires task augmentation`), isError: true };
        if (breakage.refusedRuns) await work(name, args, undefined, progressToken);
        throw new McpError(-32601, `Tool ${name} requires task augmentation`);
      }
      const outcome = await work(name, args, undefined, progressToken);
      if ('error' in outcome) throw new McpError(outcome.error.code, outcome.error.message, outcome.error.data);
      return outcome.result;
    }
    const now = new Date().toISOString();
    const ttl = Math.min(typeof task.ttl === 'number' ? Math.max(1, Math.floor(task.ttl)) : 60_000, 3_600_000);
    const rec: Rec = {
      task: { taskId: breakage.sequentialIds ? `task-${world.tasks.size + 1}` : randomBytes(16).toString('hex'), status: 'working', createdAt: now, lastUpdatedAt: now, ttl, pollInterval: 50 },
      owner,
      waiters: new Set(),
      abort: new AbortController(),
      notify: (t) => void server.notification({ method: 'notifications/tasks/status', params: t }).catch(() => undefined),
    };
    rec.timer = setTimeout(() => {
      world.tasks.delete(rec.task.taskId);
      rec.abort.abort();
    }, breakage.expireEarlyMs ?? ttl);
    rec.timer.unref();
    world.tasks.set(rec.task.taskId, rec);
    const created = { ...rec.task };
    setImmediate(() => {
      work(name, args, rec, progressToken).then(
        (outcome) => finish(rec, outcome),
        (error: unknown) =>
          finish(rec, {
            error: {
              code: error instanceof McpError ? error.code : -32603,
              message: error instanceof Error ? error.message : String(error),
            },
          }),
      );
    });
    return { task: created };
  });

  server.setRequestHandler(GetTaskRequestSchema, (request) => ({ ...find(request.params?.taskId).task }));

  server.setRequestHandler(GetTaskPayloadRequestSchema, async (request, extra) => {
    const rec = find(request.params?.taskId);
    if (breakage.cancelTaskWithResult) extra.signal.addEventListener('abort', () => update(rec, 'cancelled', 'Cancelled with its tasks/result'), { once: true });
    if (!TERMINAL.has(rec.task.status)) {
      if (breakage.nonBlockingResult) return { content: [] };
      await new Promise<void>((resolve) => rec.waiters.add(resolve));
    }
    const meta = { [RELATED_TASK_META_KEY]: { taskId: rec.task.taskId } };
    if (!rec.outcome) throw new McpError(-32603, 'The task was cancelled and has no result');
    if ('error' in rec.outcome) throw new McpError(rec.outcome.error.code, rec.outcome.error.message, rec.outcome.error.data);
    return { ...rec.outcome.result, _meta: { ...(rec.outcome.result._meta ?? {}), ...meta } };
  });

  if (!breakage.noList) {
    server.setRequestHandler(ListTasksRequestSchema, (request) => {
      const mine = [...world.tasks.values()].filter((r) => r.owner === owner);
      let start = 0;
      const cursor = request.params?.cursor;
      if (cursor !== undefined) {
        const m = /^page:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
        if (!m) throw new McpError(-32602, 'Invalid cursor');
        start = Number(m[1]);
      }
      const page = mine.slice(start, start + PAGE).map((r) => ({ ...r.task }));
      const next = start + PAGE < mine.length ? Buffer.from(`page:${start + PAGE}`).toString('base64url') : undefined;
      return { tasks: page, ...(next ? { nextCursor: next } : {}) };
    });
  }

  server.setRequestHandler(CancelTaskRequestSchema, (request) => {
    const rec = find(request.params?.taskId);
    if (TERMINAL.has(rec.task.status)) throw new McpError(-32602, `Cannot cancel task: already in terminal status '${rec.task.status}'`);
    update(rec, 'cancelled', 'Cancelled by request', breakage.noCancelNotification);
    rec.abort.abort();
    return { ...rec.task };
  });

  return server;
}

/**
 * An in-process target for `runConformance`: every connection is a new server on a linked
 * `InMemoryTransport` pair over one shared {@link TaskWorld}. Identity A and B are two owners
 * (as two credentials would be).
 */
export function fixtureTarget(breakage: Breakage = {}): { connect: (identity: 'A' | 'B') => Promise<Transport>; world: TaskWorld; close: () => Promise<void> } {
  const world = new TaskWorld();
  const servers: Server[] = [];
  return {
    world,
    async connect(identity) {
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      const server = createFixtureServer(world, identity, breakage);
      servers.push(server);
      await server.connect(serverSide);
      return clientSide;
    },
    async close() {
      world.close();
      for (const s of servers) await s.close().catch(() => undefined);
    },
  };
}
