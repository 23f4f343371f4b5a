/**
 * R62 [MUST] (Progress): progress notifications stop once the task is terminal (completed or cancelled).
 * "After" is the order in which messages arrive: a progress notification received after the
 * `tasks/result` (or `tasks/cancel`) response is late. Over Streamable HTTP, where a session's streams
 * interleave, one received within a small margin of the response is given the benefit of the doubt.
 */
import type { Check } from '../check.js';
import { type CheckContext, describe } from '../context.js';
import type { Inbound, RawOutcome } from '../peer.js';
import { awaitProgress, nonce, PROGRESS, progressFor, RACE_MARGIN_MS } from './common.js';

/** Sends `method` for the task and tells which later messages arrived after its response. */
async function answerOf(ctx: CheckContext, method: 'tasks/result' | 'tasks/cancel', taskId: string): Promise<{ outcome: RawOutcome; isLate: (e: Inbound) => boolean }> {
  const id = `conf-r62-${nonce()}`;
  ctx.send(`${method} ${taskId}`);
  const outcome = await ctx.peer.requestAs(id, method, { taskId }, 5_000);
  const response = ctx.peer.inbound.find((e) => !('method' in e.message) && (e.message as { id?: unknown }).id === id);
  const seq = response?.seq ?? ctx.peer.lastSeq;
  const at = response?.at ?? Date.now();
  const margin = ctx.server.transport === 'http' ? RACE_MARGIN_MS : 0;
  return { outcome, isLate: (e) => e.seq > seq && (margin === 0 || e.at > at + margin) };
}

export const R62: Check = {
  id: 'R62',
  keyword: 'MUST',
  section: 'Progress',
  title: 'progress notifications stop once the task is terminal (completed or cancelled)',
  needs: { tools: [PROGRESS], exact: true, capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    const token = `conf-progress-${nonce()}`;
    ctx.expect('no notifications/progress for the task received after the response that showed it terminal');
    const task = await ctx.createTask(ctx.peer, PROGRESS, { steps: 3, delayMs: 10 }, { meta: { progressToken: token } });
    const ended = await answerOf(ctx, 'tasks/result', task.taskId);
    if (progressFor(ctx.peer, token).length === 0) {
      ctx.skip('the server sent no progress notification for the task (R61 checks that), so none can be seen stopping');
    }
    await new Promise((r) => setTimeout(r, 300));
    const late = progressFor(ctx.peer, token).filter(ended.isLate);
    ctx.see(`completed: ${late.length} late progress notification(s)`);
    if (late.length > 0) ctx.violation(`${late.length} progress notification(s) after the task completed`);
    if (ctx.server.capabilities.tasks?.cancel === undefined) return ctx.notChecked('progress stopping at a cancel (no tasks.cancel)');
    const token2 = `conf-progress-${nonce()}`;
    const running = await ctx.createTask(ctx.peer, PROGRESS, { steps: 40, delayMs: 25 }, { meta: { progressToken: token2 } });
    if ((await awaitProgress(ctx, running.taskId, token2, 2)) === 0) {
      ctx.notChecked('progress stopping at a cancel (no progress arrived for the task before the cancel)');
      ctx.cancelLater(ctx.peer, running.taskId);
      return;
    }
    const cancelled = await answerOf(ctx, 'tasks/cancel', running.taskId);
    const cancel = cancelled.outcome;
    ctx.see(`tasks/cancel after ${progressFor(ctx.peer, token2).length} progress notification(s): ${describe(cancel)}`);
    if (cancel.kind !== 'result') return ctx.notChecked(`progress stopping at a cancel (tasks/cancel failed: ${describe(cancel)})`);
    await new Promise((r) => setTimeout(r, 450));
    const lateCancel = progressFor(ctx.peer, token2).filter(cancelled.isLate);
    ctx.see(`cancelled: ${lateCancel.length} late progress notification(s)`);
    if (lateCancel.length > 0) ctx.violation(`${lateCancel.length} progress notification(s) after the task was cancelled`);
  },
};
