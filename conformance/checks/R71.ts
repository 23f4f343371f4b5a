/**
 * R71 [MUST] (Cancellation): a valid cancel answers with the Task already cancelled (and stops the work).
 */
import type { Check } from '../check.js';
import { type CheckContext, describe } from '../context.js';
import { awaitProgress, ELICIT, FORBIDDEN, fixtureTakes, HOLD, LONG_HOLD_MS, nonce, PROGRESS, progressFor, RACE_MARGIN_MS, runCount } from './common.js';

/** How long the counted hold of {@link workStopped} would run if the cancel did not stop it (ms). */
const COUNTED_HOLD_MS = 300;

/**
 * Whether a cancelled hold stopped, told by the fixtures' `count` option: a hold given `text` counts a
 * run on it when its wait runs to the end, so after the cancel and its hold time a counted call of the
 * forbidden fixture on that text must say #1, not #2.
 */
async function workStopped(ctx: CheckContext): Promise<void> {
  if (!fixtureTakes(ctx, HOLD, 'count') || !ctx.has(FORBIDDEN) || !fixtureTakes(ctx, FORBIDDEN, 'count')) return;
  const text = `r71 ${nonce()}`;
  const held = await ctx.createTask(ctx.peer, HOLD, { holdMs: COUNTED_HOLD_MS, text, count: true });
  await ctx.cancel(ctx.peer, held.taskId);
  await new Promise((r) => setTimeout(r, COUNTED_HOLD_MS + 300));
  const reply = await ctx.callTool(ctx.peer, FORBIDDEN, { text, count: true });
  ctx.see(`a counted hold cancelled at once, then the forbidden fixture on its text: ${describe(reply)}`);
  if ((runCount(reply, text) ?? 0) > 1) ctx.violation('the cancelled work went on to its end (the hold counted its run after the cancel)', 'warning');
}

export const R71: Check = {
  id: 'R71',
  keyword: 'MUST',
  section: 'Cancellation',
  title: 'a valid cancel answers with the Task already cancelled (and stops the work)',
  needs: { tools: [HOLD], capabilities: ['tools.call', 'cancel'] },
  async run(ctx: CheckContext) {
    ctx.expect('tasks/cancel result: flat Task with status cancelled; tasks/get right after: cancelled; work stops (SHOULD)');
    const held = await ctx.createTask(ctx.peer, HOLD, { holdMs: LONG_HOLD_MS });
    const outcome = await ctx.cancel(ctx.peer, held.taskId);
    ctx.see(`tasks/cancel working task: ${describe(outcome)}`);
    const task = ctx.cancelledTask(outcome);
    if (!task) ctx.abort('no Task in the tasks/cancel result');
    if (task.status !== 'cancelled' || task.taskId !== held.taskId) ctx.violation(`tasks/cancel result has status ${task.status}`);
    const after = await ctx.get(ctx.peer, held.taskId);
    ctx.see(`tasks/get right after: ${describe(after)}`);
    if (after.kind === 'result' && after.result.status !== 'cancelled') ctx.violation(`tasks/get right after the cancel shows ${String(after.result.status)}`);
    if (ctx.has(ELICIT)) {
      // the question is never answered here, so the task stays input_required until the cancel
      const prev = ctx.peer.elicit;
      ctx.peer.elicit = () => new Promise(() => undefined);
      const waiting = await ctx.createTask(ctx.peer, ELICIT, { message: `r71 ${nonce()}` });
      const isWaiting = (t: { status: string }) => t.status !== 'working';
      // input_required is a SHOULD (R29): a server that never shows it is not failed here; one that
      // asks only once tasks/result is open gets one
      let reached = await ctx.pollFor(ctx.peer, waiting.taskId, isWaiting, 1000);
      if ('missed' in reached) {
        void ctx.result(ctx.peer, waiting.taskId, 3000).catch(() => undefined);
        reached = await ctx.pollFor(ctx.peer, waiting.taskId, isWaiting, 1000);
      }
      const seen = 'task' in reached ? reached.task : undefined;
      if (seen?.status === 'input_required') {
        const c = await ctx.cancel(ctx.peer, waiting.taskId);
        ctx.see(`tasks/cancel input_required task: ${describe(c)}`);
        const t = ctx.cancelledTask(c);
        if (!t || t.status !== 'cancelled') ctx.violation('cancelling an input_required task did not give a cancelled Task');
      } else {
        ctx.cancelLater(ctx.peer, waiting.taskId);
        ctx.notChecked('cancelling an input_required task (the elicit task never showed input_required, with or without tasks/result)');
      }
      ctx.peer.elicit = prev;
    } else {
      ctx.notChecked('cancelling an input_required task (no elicit fixture)');
    }
    if (ctx.isFixture(PROGRESS)) {
      const token = `conf-r71-${nonce()}`;
      const running = await ctx.createTask(ctx.peer, PROGRESS, { steps: 40, delayMs: 25 }, { meta: { progressToken: token } });
      const before = await awaitProgress(ctx, running.taskId, token, 2);
      await ctx.cancel(ctx.peer, running.taskId);
      const cancelledAt = Date.now();
      await new Promise((r) => setTimeout(r, 450));
      const late = progressFor(ctx.peer, token).filter((e) => e.at > cancelledAt + RACE_MARGIN_MS);
      const status = await ctx.get(ctx.peer, running.taskId);
      ctx.see(`progress task: ${before} progress notification(s) before and ${late.length} after the cancel; statusMessage ${status.kind === 'result' ? JSON.stringify(status.result.statusMessage) : describe(status)}`);
      if (late.length > 0) ctx.violation('the work went on after the cancel (progress notifications kept coming)', 'warning');
    } else {
      ctx.notChecked('the work stopping after the cancel (no progress fixture)');
    }
    await workStopped(ctx);
  },
};
