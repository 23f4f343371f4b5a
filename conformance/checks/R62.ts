/**
 * R62 [MUST] (Progress): progress notifications stop once the task is terminal (completed or cancelled).
 */
import type { Check } from '../check.js';
import { type CheckContext, describe } from '../context.js';
import { awaitProgress, nonce, PROGRESS, progressFor, RACE_MARGIN_MS } from './common.js';

export const R62: Check = {
  id: 'R62',
  keyword: 'MUST',
  section: 'Progress',
  title: 'progress notifications stop once the task is terminal (completed or cancelled)',
  needs: { fixtures: [PROGRESS], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    const token = `conf-progress-${nonce()}`;
    ctx.expect(`no notifications/progress for the task more than ${RACE_MARGIN_MS} ms after it was seen terminal`);
    const task = await ctx.createTask(ctx.peer, PROGRESS, { steps: 3, delayMs: 10 }, { meta: { progressToken: token } });
    await ctx.result(ctx.peer, task.taskId, 5000);
    const terminalAt = Date.now();
    if (progressFor(ctx.peer, token).length === 0) {
      ctx.skip('the server sent no progress notification for the task (R61 checks that), so none can be seen stopping');
    }
    await new Promise((r) => setTimeout(r, 300));
    const late = progressFor(ctx.peer, token).filter((e) => e.at > terminalAt + RACE_MARGIN_MS);
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
    const cancel = await ctx.cancel(ctx.peer, running.taskId);
    const cancelledAt = Date.now();
    ctx.see(`tasks/cancel after ${progressFor(ctx.peer, token2).length} progress notification(s): ${describe(cancel)}`);
    if (cancel.kind !== 'result') return ctx.notChecked(`progress stopping at a cancel (tasks/cancel failed: ${describe(cancel)})`);
    await new Promise((r) => setTimeout(r, 450));
    const lateCancel = progressFor(ctx.peer, token2).filter((e) => e.at > cancelledAt + RACE_MARGIN_MS);
    ctx.see(`cancelled: ${lateCancel.length} late progress notification(s)`);
    if (lateCancel.length > 0) ctx.violation(`${lateCancel.length} progress notification(s) after the task was cancelled`);
  },
};
