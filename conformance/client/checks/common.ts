/** Readings of a trace that several client checks share. */
import { RELATED_TASK_META_KEY } from '@modelcontextprotocol/sdk/types.js';
import type { ClientCheckContext } from '../context.js';
import type { ClientTrace, TraceEntry } from '../trace.js';

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

/** True for `completed`, `failed`, `cancelled`. */
export function terminal(status: unknown): boolean {
  return typeof status === 'string' && TERMINAL.has(status);
}

/** Ends the check as a skip when the client never initialized in this scenario. */
export function requireConnected(ctx: ClientCheckContext): void {
  if (ctx.trace.initialize !== undefined) return;
  const d = ctx.trace.driver;
  const how = d.timedOut ? 'the driver timed out' : d.error ? `the driver failed: ${d.error}` : d.exitCode !== undefined ? `the driver exited with ${d.exitCode}` : 'the driver ended';
  ctx.skip(`the client never connected in scenario ${ctx.trace.scenario} (${how})`);
}

/** The client's `tools/call` requests, each with whether it carried `params.task`, shown in `saw`. */
export function toolCalls(ctx: ClientCheckContext): Array<{ at: number; name: unknown; task: unknown }> {
  const calls = ctx.trace.requests('tools/call').map((r) => ({ at: r.at, name: r.params.name, task: r.params.task }));
  ctx.see(calls.length === 0 ? 'the client made no tools/call' : `tools/call: ${calls.map((c) => (c.task === undefined ? 'plain' : `with task ${JSON.stringify(c.task)}`)).join(', ')}`);
  return calls;
}

/** The first task the server created for the client, if any. */
export function firstTaskId(trace: ClientTrace): string | undefined {
  return trace.statuses.keys().next().value;
}

/** The task the client created in this scenario; ends the check as a skip when it never connected or created none. */
export function requireTask(ctx: ClientCheckContext): string {
  requireConnected(ctx);
  const taskId = firstTaskId(ctx.trace);
  if (taskId === undefined) ctx.skip('the client created no task');
  return taskId;
}

/** The client's requests of `method` naming `taskId`, each with the status (or error code) we answered. */
export function taskRequests(trace: ClientTrace, method: string, taskId: string): Array<TraceEntry & { answered?: number; status?: unknown; code?: number }> {
  return trace
    .requests(method)
    .filter((r) => r.params.taskId === taskId)
    .map((r) => {
      const answer = trace.answerTo(r.session, r.id);
      return { ...r, ...(answer ? { answered: answer.at, status: answer.result?.status, code: answer.error?.code } : {}) };
    });
}

/** The related-task id in a `_meta` object, if any. */
export function relatedTaskId(meta: unknown): unknown {
  const related = meta && typeof meta === 'object' ? (meta as Record<string, unknown>)[RELATED_TASK_META_KEY] : undefined;
  return related && typeof related === 'object' ? (related as { taskId?: unknown }).taskId : undefined;
}

/** Shows how the driver ended (in `saw`). */
export function seeDriver(ctx: ClientCheckContext): void {
  const d = ctx.trace.driver;
  if (d.timedOut) ctx.see('the driver did not finish before the scenario timeout');
  else if (d.error) ctx.see(`the driver failed: ${d.error}`);
}
