/**
 * Constants and small scenarios shared by several checks.
 */
import { RELATED_TASK_META_KEY, type Task } from '@modelcontextprotocol/sdk/types.js';
import { describe, isTerminal, type CheckContext } from '../context.js';
import type { Inbound, Peer, RawOutcome } from '../peer.js';

export const OPTIONAL = 'tasks_conformance_optional';
export const REQUIRED = 'tasks_conformance_required';
export const FORBIDDEN = 'tasks_conformance_forbidden';
export const TOOL_ERROR = 'tasks_conformance_tool_error';
export const PROTOCOL_ERROR = 'tasks_conformance_protocol_error';
export const ELICIT = 'tasks_conformance_elicit';
export const SAMPLE = 'tasks_conformance_sample';
export const PROGRESS = 'tasks_conformance_progress';
export const HOLD = 'tasks_conformance_hold';
export const STUBBORN = 'tasks_conformance_stubborn';

/** A long hold: long enough to outlast any check, short enough not to leak for long. */
export const LONG_HOLD_MS = 4000;

/** An id no server has issued. */
export const UNKNOWN_TASK_ID = 'conformance-unknown-task-3f9a2c';

/** Allowed status transitions (R27); staying in the same status is allowed too. */
export const ALLOWED_EDGES: Record<string, string[]> = {
  working: ['input_required', 'completed', 'failed', 'cancelled'],
  input_required: ['working', 'completed', 'failed', 'cancelled'],
  completed: [],
  failed: [],
  cancelled: [],
};

/** A short random suffix so texts and tokens differ between runs. */
export function nonce(): string {
  return Math.random().toString(36).slice(2, 10);
}

/** ISO 8601 / RFC 3339 date-time (R38, R39). */
export const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** The related-task id in a `_meta` object, if any. */
export function relatedTaskId(meta: unknown): unknown {
  if (!meta || typeof meta !== 'object') return undefined;
  const related = (meta as Record<string, unknown>)[RELATED_TASK_META_KEY];
  if (!related || typeof related !== 'object') return related === undefined ? undefined : related;
  return (related as { taskId?: unknown }).taskId;
}

/** True when the `_meta` object has the related-task key at all. */
export function hasRelatedKey(meta: unknown): boolean {
  return !!meta && typeof meta === 'object' && RELATED_TASK_META_KEY in (meta as object);
}

/** Server→client requests of a method received after `since`. */
export function serverRequests(peer: Peer, method: string, since: number): Inbound[] {
  return peer.inbound.filter((e) => e.seq > since && 'method' in e.message && 'id' in e.message && e.message.method === method);
}

/** Progress notifications for a token received after `since`. */
export function progressFor(peer: Peer, token: string, since = 0): Inbound[] {
  return peer.inbound.filter(
    (e) =>
      e.seq > since &&
      'method' in e.message &&
      e.message.method === 'notifications/progress' &&
      (e.message.params as { progressToken?: unknown } | undefined)?.progressToken === token,
  );
}

/**
 * Waits until at least `count` progress notifications for `token` arrived. A server that has no
 * stream of its own to the requestor (stateless Streamable HTTP) can deliver a task's progress only
 * on an open `tasks/result`, so when none arrives in the first second one is opened (and left to
 * end with the task). Returns how many arrived.
 */
export async function awaitProgress(ctx: CheckContext, taskId: string, token: string, count: number): Promise<number> {
  const enough = (): boolean => progressFor(ctx.peer, token).length >= count;
  await ctx.peer.waitFor(enough, 1000);
  if (!enough()) {
    void ctx.result(ctx.peer, taskId).catch(() => undefined);
    await ctx.peer.waitFor(enough, 2000);
  }
  return progressFor(ctx.peer, token).length;
}

/** What the elicit / sample fixture scenario saw. */
export interface SideChannelRun {
  task: Task;
  /** The side-channel requests received for the task. */
  requests: Inbound[];
  /** Statuses read with tasks/get while the side-channel request was being answered. */
  statusAtRequest: string[];
  /** Whether polling saw `input_required` before `tasks/result` was sent. */
  sawInputRequiredWhilePolling: boolean;
  /** When we answered the side-channel request (ms since epoch). */
  answeredAt: number | undefined;
  result: RawOutcome;
}

/**
 * Runs the elicit or sample fixture as a task: polls `tasks/get` briefly for `input_required`,
 * then calls `tasks/result`, answering the side-channel request when it arrives.
 */
export async function runSideChannel(ctx: CheckContext, fixture: typeof ELICIT | typeof SAMPLE): Promise<SideChannelRun> {
  const peer = ctx.peer;
  const since = peer.lastSeq;
  const statusAtRequest: string[] = [];
  let answeredAt: number | undefined;
  let taskId: string | undefined;
  const observe = async (): Promise<void> => {
    if (taskId === undefined) return;
    const outcome = await peer.request('tasks/get', { taskId }, 2000);
    if (outcome.kind === 'result' && typeof outcome.result.status === 'string') statusAtRequest.push(outcome.result.status);
  };
  const prevElicit = peer.elicit;
  const prevSample = peer.sample;
  peer.elicit = async (params) => {
    await observe();
    const answer = await prevElicit(params);
    answeredAt = Date.now();
    return answer;
  };
  peer.sample = async (params) => {
    await observe();
    const answer = await prevSample(params);
    answeredAt = Date.now();
    return answer;
  };
  try {
    const args = fixture === ELICIT ? { message: `conformance elicit ${nonce()}` } : { prompt: `conformance prompt ${nonce()}` };
    const task = await ctx.createTask(peer, fixture, args);
    taskId = task.taskId;
    let sawInputRequiredWhilePolling = false;
    const deadline = Date.now() + 1500;
    while (Date.now() < deadline && answeredAt === undefined) {
      const current = await ctx.getTask(peer, task.taskId);
      if (current.status === 'input_required') {
        sawInputRequiredWhilePolling = true;
        break;
      }
      if (isTerminal(current.status)) break;
      await new Promise((r) => setTimeout(r, 15));
    }
    const result = await ctx.result(peer, task.taskId, 4000);
    ctx.see(`tasks/result: ${describe(result)}`);
    const method = fixture === ELICIT ? 'elicitation/create' : 'sampling/createMessage';
    const requests = serverRequests(peer, method, since);
    return { task, requests, statusAtRequest, sawInputRequiredWhilePolling, answeredAt, result };
  } finally {
    peer.elicit = prevElicit;
    peer.sample = prevSample;
  }
}

/** Checks a sequence of statuses against the allowed transitions; returns the bad pairs. */
export function badTransitions(statuses: string[]): string[] {
  const bad: string[] = [];
  for (let i = 1; i < statuses.length; i++) {
    const from = statuses[i - 1]!;
    const to = statuses[i]!;
    if (from === to) continue;
    if (!(ALLOWED_EDGES[from] ?? []).includes(to)) bad.push(`${from} → ${to}`);
  }
  return bad;
}

/** Progress notifications arriving this long after a terminal status was observed count as late (R62, R71). */
export const RACE_MARGIN_MS = 150;

/** The JSON-RPC 2.0 error codes (R76). */
export const STANDARD_ERROR_CODES = new Set([-32700, -32600, -32601, -32602, -32603]);

/** Waits up to `ms` for a status notification of `status` for the task. */
export async function notificationOf(peer: Peer, taskId: string, status: string, ms: number): Promise<boolean> {
  const found = await peer.waitFor(
    (e) =>
      'method' in e.message &&
      e.message.method === 'notifications/tasks/status' &&
      (e.message.params as { taskId?: unknown; status?: unknown } | undefined)?.taskId === taskId &&
      (e.message.params as { status?: unknown }).status === status,
    ms,
  );
  return found !== undefined;
}

/** Records the status sequences of the check's tasks and flags disallowed transitions (R27). */
export function checkTransitions(ctx: CheckContext, peer: Peer): void {
  for (const [taskId, sightings] of ctx.sightings) {
    const polled = sightings.filter((s) => s.source !== 'notification').map((s) => s.task.status);
    const bad = badTransitions(polled);
    ctx.see(`task ${taskId}: ${polled.join(' → ')}`);
    for (const edge of bad) ctx.violation(`task ${taskId}: transition ${edge} seen through tasks/get, tasks/list and tasks/cancel`);
    const notified = ctx.statusNotifications(peer, taskId).map((n) => String(n.params.status));
    if (notified.length > 0) {
      ctx.see(`task ${taskId} notifications: ${notified.join(' → ')}`);
      for (const edge of badTransitions(notified)) ctx.violation(`task ${taskId}: transition ${edge} in notifications/tasks/status`);
    }
  }
}

/**
 * Whether a fixture takes an option the contract added later (`count`, `holdAfterMs`, `plain`): it
 * is named in the tool's input schema. Servers whose fixtures predate it are not asked for it.
 */
export function fixtureTakes(ctx: CheckContext, fixture: string, option: string): boolean {
  const tool = ctx.server.tools.find((t) => t.name === fixture);
  return JSON.stringify(tool?.inputSchema ?? {}).includes(`"${option}"`);
}

/** The run count a counting fixture reported for `text` (`text #N`), or undefined when it reported none. */
export function runCount(reply: RawOutcome, text: string): number | undefined {
  const said = reply.kind === 'result' ? JSON.stringify(reply.result.content ?? '') : '';
  const marker = `${text} #`;
  const at = said.indexOf(marker);
  const digits = at === -1 ? null : /^\d+/.exec(said.slice(at + marker.length));
  return digits ? Number(digits[0]) : undefined;
}

/**
 * After a call that was refused: whether the tool ran anyway, told by the fixture's `count` option
 * (`text #N`): a second, accepted call on the same text must say `#1`. Records a violation when it
 * ran; notes what could not be seen when the fixture does not count.
 */
export async function ranAnyway(ctx: CheckContext, fixture: string, text: string, options: { task?: Record<string, unknown> } = {}): Promise<void> {
  if (!fixtureTakes(ctx, fixture, 'count')) {
    ctx.notChecked(`whether the refused call ran the tool anyway (${fixture} takes no count option)`);
    return;
  }
  let reply: RawOutcome;
  if (options.task === undefined) {
    reply = await ctx.callTool(ctx.peer, fixture, { text, count: true });
  } else {
    const task = await ctx.createTask(ctx.peer, fixture, { text, count: true }, { task: options.task });
    reply = await ctx.result(ctx.peer, task.taskId, 5_000);
  }
  const runs = runCount(reply, text);
  ctx.see(`the same text again, accepted: ${describe(reply)}`);
  if (runs !== undefined && runs > 1) ctx.violation('the refused call ran the tool anyway (the accepted call after it counted a second run)');
  else if (runs !== 1) ctx.notChecked(`whether the refused call ran the tool anyway (the accepted call did not report its count: ${describe(reply)})`);
}

/** How long the optional task of {@link exercise} works before it completes (ms). */
export const EXERCISE_DELAY_MS = 80;

/** Creates a task, polls it to the end, lists, cancels a held one: every Task is sighted. */
export async function exercise(ctx: CheckContext): Promise<{ delayed: Task }> {
  const since = ctx.peer.lastSeq;
  const task = await ctx.createTask(ctx.peer, OPTIONAL, { text: 'fields', delayMs: EXERCISE_DELAY_MS });
  await ctx.getTask(ctx.peer, task.taskId);
  await new Promise((r) => setTimeout(r, 30));
  await ctx.waitTerminal(ctx.peer, task.taskId);
  if (ctx.server.capabilities.tasks?.list !== undefined) await ctx.listAll(ctx.peer);
  if (ctx.has(HOLD) && ctx.server.capabilities.tasks?.cancel !== undefined) {
    const held = await ctx.createTask(ctx.peer, HOLD, { holdMs: LONG_HOLD_MS });
    ctx.cancelledTask(await ctx.cancel(ctx.peer, held.taskId));
  }
  for (const taskId of ctx.sightings.keys()) {
    for (const n of ctx.statusNotifications(ctx.peer, taskId, since)) {
      if (ctx.validateTask(n.params, 'notifications/tasks/status params')) ctx.sight('notification', n.params as unknown as Task);
    }
  }
  return { delayed: task };
}

/** Every sighting of every task of the check. */
export function allSightings(ctx: CheckContext): Array<{ source: string; task: Task }> {
  return [...ctx.sightings.values()].flat();
}
