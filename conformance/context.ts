/**
 * What a check gets to work with: the server's facts, the main connection, a way to open more
 * connections, helpers for the common task operations (each validated against the SDK's schemas),
 * and the recorder of what was sent, expected and seen.
 */
import {
  CancelTaskResultSchema,
  CreateTaskResultSchema,
  GetTaskResultSchema,
  ListTasksResultSchema,
  TaskSchema,
  type ServerCapabilities,
  type Task,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { describeBound, type BoundTool } from './discovery/toolPlan.js';
import { CheckSkip, Recorder } from './recorder.js';
import type { Inbound, Peer, RawOutcome } from './peer.js';
import type { Identity, RequestorMode } from './target.js';
import type { FixtureName, Severity } from './types.js';

/** Facts about the server, gathered once before the checks run. */
export interface ServerFacts {
  capabilities: ServerCapabilities;
  tools: Tool[];
  /** The tool each slot runs on: the fixture, a tool mapped with `--role`, or a discovered one. */
  bound: Map<FixtureName, BoundTool>;
  /** Why a slot has no tool. */
  toolProblems: Map<FixtureName, string>;
  transport: 'http' | 'stdio' | 'memory';
  requestors: RequestorMode;
  /** True when identity A carries a credential the user gave. */
  hasCredentials: boolean;
  sessionId: string | undefined;
}

/** Thrown to end a check early (after a violation was recorded). */
export class CheckAbort extends Error {}
export { CheckSkip };

/** Options of a tool call. */
export interface CallOptions {
  /** `params.task`; omitted when undefined. */
  task?: Record<string, unknown>;
  /** `params._meta`. */
  meta?: Record<string, unknown>;
  timeoutMs?: number;
  /** Extra keys merged into params (e.g. to send odd fields). */
  extra?: Record<string, unknown>;
}

/** One status seen for a task, and where. */
export interface StatusSighting {
  source: 'create' | 'get' | 'list' | 'cancel' | 'notification';
  task: Task;
  at: number;
}

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

/** True for `completed`, `failed` and `cancelled`. */
export function isTerminal(status: string): boolean {
  return TERMINAL.has(status);
}

/** Short text for a raw outcome, for the report. */
export function describe(outcome: RawOutcome): string {
  switch (outcome.kind) {
    case 'result':
      return `result ${clip(JSON.stringify(outcome.result))}`;
    case 'error':
      return `JSON-RPC error ${outcome.error.code} ${clip(JSON.stringify(outcome.error.message))}${
        outcome.error.data === undefined ? '' : ` data ${clip(JSON.stringify(outcome.error.data))}`
      }`;
    case 'timeout':
      return 'no response before the timeout';
    case 'closed':
      return 'the connection closed';
  }
}

/** Cuts long text for the report. */
export function clip(text: string | undefined, max = 240): string {
  if (text === undefined) return 'undefined';
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function zodText(error: { issues: Array<{ path: PropertyKey[]; message: string }> }): string {
  return error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');
}

/** The context one check runs in. */
export class CheckContext extends Recorder {
  readonly sent: string[] = [];
  /** Every status seen per task during this check (for R27, R38, R39). */
  readonly sightings = new Map<string, StatusSighting[]>();
  private readonly opened: Peer[] = [];
  /** Set when the check has ended (e.g. timed out): its helpers then stop at once. */
  ended = false;
  private readonly cleanups: Array<() => Promise<void>> = [];
  /** The tools this check called, as the report names them. */
  readonly toolsUsed = new Set<string>();
  /** Tasks created on a tool that is not a fixture: their work takes what it takes. */
  private readonly slowTasks = new Set<string>();

  constructor(
    readonly peer: Peer,
    readonly server: ServerFacts,
    private readonly openPeerFn: (identity: Identity) => Promise<Peer>,
    severity: Severity,
    /** Default timeout of one request. */
    readonly requestTimeoutMs: number,
    /** When the check's time runs out (ms since epoch). */
    readonly deadline: number = Number.POSITIVE_INFINITY,
  ) {
    super(severity);
  }

  /** True when the slot has a tool (fixture, role or discovered). */
  has(slot: FixtureName): boolean {
    return this.server.bound.has(slot);
  }

  /** True when the slot runs on the fixture itself, whose contract fixes arguments and results. */
  isFixture(slot: FixtureName): boolean {
    return this.server.bound.get(slot)?.source === 'fixture';
  }

  /**
   * Whether a call's result is the one the call with `text` gives: exact for a fixture; for another
   * tool `yes` when the result mentions the text (it took it as an argument), else `unknown`.
   */
  resultFor(outcome: RawOutcome, slot: FixtureName, text: string): 'yes' | 'no' | 'unknown' {
    const said = outcome.kind === 'result' ? firstText(outcome.result) : undefined;
    if (this.isFixture(slot)) return said === text ? 'yes' : 'no';
    if (outcome.kind !== 'result') return 'no';
    return JSON.stringify(outcome.result.content ?? '').includes(text) ? 'yes' : 'unknown';
  }

  /**
   * Records `message` as a violation when the result is not the one the call with `text` gives
   * (see {@link resultFor}), and as not observable when that cannot be told.
   */
  checkResultOf(outcome: RawOutcome, slot: FixtureName, text: string, message: string): void {
    const verdict = this.resultFor(outcome, slot, text);
    if (verdict === 'no') this.violation(message);
    else if (verdict === 'unknown') this.notChecked(`${message}? (the result of ${this.server.bound.get(slot)?.name} does not mention the text it was given, so it cannot be told)`);
  }

  /** A timeout for waiting on a task's work: `ms` for fixtures, the check's remaining time (less 1 s) for other tools. */
  private workTimeout(taskId: string, ms: number): number {
    if (!this.slowTasks.has(taskId)) return ms;
    return Math.max(ms, this.deadline - Date.now() - 1000);
  }

  /** Records what was sent; a repeat of the previous entry is counted instead (polling). */
  send(text: string): void {
    const last = this.sent.length - 1;
    const m = last >= 0 ? /^(.*) \(×(\d+)\)$/.exec(this.sent[last]!) : null;
    if (last >= 0 && this.sent[last] === text) this.sent[last] = `${text} (×2)`;
    else if (m && m[1] === text) this.sent[last] = `${text} (×${Number(m[2]) + 1})`;
    else this.sent.push(text);
  }
  /** Records a violation and ends the check. */
  abort(message: string, severity: Severity = this.severity): never {
    this.violation(message, severity);
    throw new CheckAbort(message);
  }

  /** Registers work to do when the check ends (cancel leftover tasks…). */
  onCleanup(fn: () => Promise<void>): void {
    this.cleanups.push(fn);
  }

  /** Opens another connection (closed when the check ends). */
  async openPeer(identity: Identity = 'A'): Promise<Peer> {
    const peer = await this.openPeerFn(identity);
    this.opened.push(peer);
    return peer;
  }

  /** Ends the check at once when it already ended (a timed-out check must not keep talking). */
  private live(): void {
    if (this.ended) throw new CheckAbort('the check already ended');
  }

  /** Runs cleanups and closes connections this check opened. */
  async dispose(): Promise<void> {
    this.ended = true;
    for (const fn of this.cleanups.reverse()) await fn().catch(() => undefined);
    for (const peer of this.opened) await peer.close().catch(() => undefined);
  }

  /** Validates a Task against the SDK's `TaskSchema` (and the `ttl` key, R41); records a failure when it does not. */
  validateTask(value: unknown, where: string): value is Task {
    const parsed = TaskSchema.safeParse(value);
    if (!parsed.success) {
      this.violation(`${where}: not a valid Task (${zodText(parsed.error)})`, 'failure');
      return false;
    }
    if (!Object.prototype.hasOwnProperty.call(value, 'ttl')) {
      this.violation(`${where}: Task has no ttl key`, 'failure');
      return false;
    }
    return true;
  }

  /** Remembers a status sighting of a task. */
  sight(source: StatusSighting['source'], task: Task): void {
    const list = this.sightings.get(task.taskId) ?? [];
    list.push({ source, task, at: Date.now() });
    this.sightings.set(task.taskId, list);
  }

  /** Sends `tools/call`. */
  async callTool(peer: Peer, name: string, args: Record<string, unknown>, options: CallOptions = {}): Promise<RawOutcome> {
    this.live();
    const call = this.resolve(name, args);
    const params: Record<string, unknown> = { name: call.name, arguments: call.args, ...(options.extra ?? {}) };
    if (options.task !== undefined) params.task = options.task;
    if (options.meta !== undefined) params._meta = options.meta;
    this.send(`tools/call ${clip(JSON.stringify(params), 200)}`);
    return peer.request('tools/call', params, options.timeoutMs ?? this.requestTimeoutMs);
  }

  /**
   * The tool and arguments of a call on a slot: a fixture gets the check's arguments; another tool
   * its own (given or generated), with the check's distinguishing text in its text property.
   */
  private resolve(name: string, args: Record<string, unknown>): { name: string; args: Record<string, unknown> } {
    const bound = this.server.bound.get(name as FixtureName);
    if (!bound) return { name, args };
    this.toolsUsed.add(describeBound(bound));
    if (bound.source === 'fixture') return { name, args };
    const text = [args.text, args.message, args.prompt].find((v): v is string => typeof v === 'string');
    const own = bound.textKey !== undefined && text !== undefined ? { ...bound.args, [bound.textKey]: text } : bound.args;
    return { name: bound.name, args: own };
  }

  /** Creates a task with a task-augmented `tools/call`; ends the check when no valid `CreateTaskResult` comes back. */
  async createTask(peer: Peer, name: string, args: Record<string, unknown>, options: CallOptions = {}): Promise<Task> {
    const outcome = await this.callTool(peer, name, args, { ...options, task: options.task ?? { ttl: 60_000 } });
    if (outcome.kind !== 'result') this.abort(`task-augmented tools/call ${name}: expected a CreateTaskResult, saw ${describe(outcome)}`);
    const parsed = CreateTaskResultSchema.safeParse(outcome.result);
    if (!parsed.success) {
      this.abort(`task-augmented tools/call ${name}: not a CreateTaskResult: ${clip(JSON.stringify(outcome.result))}`, 'failure');
    }
    const task = outcome.result.task;
    if (!this.validateTask(task, `CreateTaskResult.task of ${name}`)) throw new CheckAbort('invalid task');
    const bound = this.server.bound.get(name as FixtureName);
    if (bound !== undefined && bound.source !== 'fixture') this.slowTasks.add(task.taskId);
    this.sight('create', task);
    return task;
  }

  /** Sends `tasks/get`. */
  async get(peer: Peer, taskId: string, extraParams: Record<string, unknown> = {}): Promise<RawOutcome> {
    this.live();
    this.send(`tasks/get ${taskId}`);
    return peer.request('tasks/get', { taskId, ...extraParams }, this.requestTimeoutMs);
  }

  /** Sends `tasks/get` and returns the Task; ends the check on an error or an invalid result. */
  async getTask(peer: Peer, taskId: string): Promise<Task> {
    const outcome = await this.get(peer, taskId);
    if (outcome.kind !== 'result') this.abort(`tasks/get ${taskId}: expected a Task, saw ${describe(outcome)}`);
    const parsed = GetTaskResultSchema.safeParse(outcome.result);
    if (!parsed.success || !this.validateTask(stripMeta(outcome.result), 'tasks/get result')) {
      this.abort(`tasks/get ${taskId}: result is not a flat Task: ${clip(JSON.stringify(outcome.result))}`, 'failure');
    }
    const task = stripMeta(outcome.result) as unknown as Task;
    this.sight('get', task);
    return task;
  }

  /** Polls `tasks/get` until `done(task)` or the deadline; ends the check at the deadline. */
  async pollUntil(peer: Peer, taskId: string, done: (task: Task) => boolean, timeoutMs = 5000, what = 'the expected status'): Promise<Task> {
    timeoutMs = this.workTimeout(taskId, timeoutMs);
    const reached = await this.pollFor(peer, taskId, done, timeoutMs);
    if ('missed' in reached) this.abort(`task ${taskId} did not reach ${what} within ${timeoutMs} ms (last status ${reached.missed.status})`);
    return reached.task;
  }

  /** Polls `tasks/get` until `done(task)` or the deadline, recording nothing when the deadline passes (`missed`: the last task seen). */
  async pollFor(peer: Peer, taskId: string, done: (task: Task) => boolean, timeoutMs: number): Promise<{ task: Task } | { missed: Task }> {
    const deadline = Date.now() + timeoutMs;
    let task = await this.getTask(peer, taskId);
    while (!done(task)) {
      if (Date.now() > deadline) return { missed: task };
      await new Promise((r) => setTimeout(r, this.slowTasks.has(taskId) ? 100 : 15));
      task = await this.getTask(peer, taskId);
    }
    return { task };
  }

  /** Polls until terminal. */
  waitTerminal(peer: Peer, taskId: string, timeoutMs = 5000): Promise<Task> {
    return this.pollUntil(peer, taskId, (t) => isTerminal(t.status), timeoutMs, 'a terminal status');
  }

  /** Sends `tasks/result`. */
  result(peer: Peer, taskId: string, timeoutMs = this.requestTimeoutMs): Promise<RawOutcome> {
    this.live();
    this.send(`tasks/result ${taskId}`);
    return peer.request('tasks/result', { taskId }, this.workTimeout(taskId, timeoutMs));
  }

  /** Sends `tasks/cancel`. */
  cancel(peer: Peer, taskId: string): Promise<RawOutcome> {
    this.live();
    this.send(`tasks/cancel ${taskId}`);
    return peer.request('tasks/cancel', { taskId }, this.requestTimeoutMs);
  }

  /** Validates a `tasks/cancel` result; records sightings; returns the Task or undefined. */
  cancelledTask(outcome: RawOutcome, where = 'tasks/cancel result'): Task | undefined {
    if (outcome.kind !== 'result') return undefined;
    const parsed = CancelTaskResultSchema.safeParse(outcome.result);
    const flat = stripMeta(outcome.result);
    if (!parsed.success || !this.validateTask(flat, where)) {
      this.violation(`${where} is not a flat Task: ${clip(JSON.stringify(outcome.result))}`, 'failure');
      return undefined;
    }
    const task = flat as unknown as Task;
    this.sight('cancel', task);
    return task;
  }

  /** Walks `tasks/list` through every page; ends the check on an error. */
  async listAll(peer: Peer, maxPages = 200): Promise<{ tasks: Task[]; pages: number[] }> {
    this.live();
    const tasks: Task[] = [];
    const pages: number[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < maxPages; page++) {
      this.send(cursor === undefined ? 'tasks/list' : 'tasks/list {cursor}');
      const outcome = await peer.request('tasks/list', cursor === undefined ? {} : { cursor }, this.requestTimeoutMs);
      if (outcome.kind !== 'result') this.abort(`tasks/list${cursor ? ` (cursor ${cursor})` : ''}: saw ${describe(outcome)}`);
      const parsed = ListTasksResultSchema.safeParse(outcome.result);
      if (!parsed.success) this.abort(`tasks/list result is not a ListTasksResult: ${zodText(parsed.error)}`, 'failure');
      const list = outcome.result.tasks as unknown[];
      pages.push(list.length);
      for (const [i, item] of list.entries()) {
        if (this.validateTask(item, `tasks/list item ${i}`)) {
          tasks.push(item);
          this.sight('list', item);
        }
      }
      const next = outcome.result.nextCursor;
      if (next === undefined || next === null) return { tasks, pages };
      if (typeof next !== 'string') this.abort(`tasks/list nextCursor is not a string: ${JSON.stringify(next)}`, 'failure');
      cursor = next;
    }
    this.abort(`tasks/list did not end after ${maxPages} pages`);
  }

  /** Status notifications for a task received on a peer (after `since`). */
  statusNotifications(peer: Peer, taskId: string, since = 0): Array<{ entry: Inbound; params: Record<string, unknown> }> {
    return peer.inbound
      .filter((e) => e.seq > since && 'method' in e.message && e.message.method === 'notifications/tasks/status')
      .map((entry) => ({ entry, params: ((entry.message as { params?: Record<string, unknown> }).params ?? {}) }))
      .filter((n) => n.params.taskId === taskId);
  }

  /** Cancels a task at the end of the check (ignoring errors). */
  cancelLater(peer: Peer, taskId: string): void {
    this.onCleanup(async () => {
      await peer.request('tasks/cancel', { taskId }, 1000);
    });
  }
}

/** A result without its `_meta`. */
export function stripMeta(result: Record<string, unknown>): Record<string, unknown> {
  const { _meta: _ignored, ...rest } = result;
  return rest;
}

/** The text of the first text content of a CallToolResult-like object. */
export function firstText(result: Record<string, unknown>): string | undefined {
  const content = result.content as Array<{ type?: string; text?: string }> | undefined;
  const first = Array.isArray(content) ? content.find((c) => c?.type === 'text') : undefined;
  return first?.text;
}
