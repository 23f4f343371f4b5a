/**
 * tasks/cancel: R69, R71, R72, R73.
 */
import type { Check } from '../types.js';
import type { CheckContext } from '../context.js';
import { describe } from '../context.js';
import { ELICIT, HOLD, LONG_HOLD_MS, nonce, OPTIONAL, PROGRESS, progressFor, STUBBORN, TOOL_ERROR } from './common.js';

const SECTION = 'Cancellation';

export const R69: Check = {
  id: 'R69',
  keyword: 'MUST',
  section: SECTION,
  title: 'cancelling a terminal task gets -32602 (also a second cancel)',
  needs: { fixtures: [OPTIONAL], capabilities: ['tools.call', 'cancel'] },
  async run(ctx: CheckContext) {
    ctx.expect('JSON-RPC error -32602 for tasks/cancel on a completed, a failed and an already cancelled task');
    const done = await ctx.createTask(ctx.peer, OPTIONAL, { text: 'r69' });
    await ctx.waitTerminal(ctx.peer, done.taskId);
    const c1 = await ctx.cancel(ctx.peer, done.taskId);
    ctx.see(`cancel completed: ${describe(c1)}`);
    if (c1.kind !== 'error' || c1.error.code !== -32602) ctx.violation('cancelling a completed task did not give -32602');
    if (ctx.server.fixtures.has(TOOL_ERROR)) {
      const failed = await ctx.createTask(ctx.peer, TOOL_ERROR, { message: 'r69' });
      const t = await ctx.waitTerminal(ctx.peer, failed.taskId);
      const c = await ctx.cancel(ctx.peer, failed.taskId);
      ctx.see(`cancel ${t.status}: ${describe(c)}`);
      if (c.kind !== 'error' || c.error.code !== -32602) ctx.violation(`cancelling a ${t.status} task did not give -32602`);
    }
    if (ctx.server.fixtures.has(HOLD)) {
      const held = await ctx.createTask(ctx.peer, HOLD, { holdMs: LONG_HOLD_MS });
      const first = await ctx.cancel(ctx.peer, held.taskId);
      const second = await ctx.cancel(ctx.peer, held.taskId);
      ctx.see(`cancel twice: ${describe(first)} / ${describe(second)}`);
      if (second.kind !== 'error' || second.error.code !== -32602) ctx.violation('a second cancel did not give -32602');
    }
  },
};

export const R71: Check = {
  id: 'R71',
  keyword: 'MUST',
  section: SECTION,
  title: 'a valid cancel answers with the Task already cancelled (and stops the work)',
  needs: { fixtures: [HOLD], capabilities: ['tools.call', 'cancel'] },
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
    if (ctx.server.fixtures.has(ELICIT)) {
      const prev = ctx.peer.elicit;
      const waiting = await ctx.createTask(ctx.peer, ELICIT, { message: `r71 ${nonce()}` });
      const seen = await ctx.pollUntil(ctx.peer, waiting.taskId, (t) => t.status !== 'working', 1000, 'input_required').catch(() => undefined);
      ctx.peer.elicit = prev;
      if (seen?.status === 'input_required') {
        const c = await ctx.cancel(ctx.peer, waiting.taskId);
        ctx.see(`tasks/cancel input_required task: ${describe(c)}`);
        const t = ctx.cancelledTask(c);
        if (!t || t.status !== 'cancelled') ctx.violation('cancelling an input_required task did not give a cancelled Task');
      } else {
        ctx.cancelLater(ctx.peer, waiting.taskId);
        ctx.see('the elicit task did not become input_required before tasks/result; input_required cancel not checked');
      }
    }
    if (ctx.server.fixtures.has(PROGRESS)) {
      const token = `conf-r71-${nonce()}`;
      const running = await ctx.createTask(ctx.peer, PROGRESS, { steps: 40, delayMs: 25 }, { meta: { progressToken: token } });
      await ctx.peer.waitFor(() => progressFor(ctx.peer, token).length >= 2, 2000);
      await ctx.cancel(ctx.peer, running.taskId);
      const cancelledAt = Date.now();
      await new Promise((r) => setTimeout(r, 450));
      const late = progressFor(ctx.peer, token).filter((e) => e.at > cancelledAt + 150);
      const status = await ctx.get(ctx.peer, running.taskId);
      ctx.see(`progress task: ${late.length} progress notification(s) after the cancel; statusMessage ${status.kind === 'result' ? JSON.stringify(status.result.statusMessage) : describe(status)}`);
      if (late.length > 0) ctx.violation('the work went on after the cancel (progress notifications kept coming)', 'warning');
    }
  },
};

export const R72: Check = {
  id: 'R72',
  keyword: 'MUST',
  section: SECTION,
  title: 'a cancelled task stays cancelled when its work completes later',
  needs: { fixtures: [STUBBORN], capabilities: ['tools.call', 'cancel'] },
  async run(ctx: CheckContext) {
    ctx.expect('tasks/get shows cancelled (or -32602) after the stubborn tool tried to complete');
    const task = await ctx.createTask(ctx.peer, STUBBORN, { holdMs: 250 });
    const c = await ctx.cancel(ctx.peer, task.taskId);
    ctx.see(`tasks/cancel: ${describe(c)}`);
    if (c.kind !== 'result') ctx.abort('the cancel failed');
    await new Promise((r) => setTimeout(r, 600));
    const after = await ctx.get(ctx.peer, task.taskId);
    ctx.see(`tasks/get after the tool finished: ${describe(after)}`);
    if (after.kind === 'result' && after.result.status !== 'cancelled') ctx.violation(`the cancelled task became ${String(after.result.status)}`);
    if (after.kind === 'error' && after.error.code !== -32602) ctx.violation(`tasks/get gave error ${after.error.code}`);
    if (ctx.server.capabilities.tasks?.list !== undefined) {
      const { tasks } = await ctx.listAll(ctx.peer);
      const listed = tasks.find((t) => t.taskId === task.taskId);
      if (listed && listed.status !== 'cancelled') ctx.violation(`tasks/list shows the cancelled task as ${listed.status}`);
    }
  },
};

export const R73: Check = {
  id: 'R73',
  keyword: 'MAY',
  section: SECTION,
  title: 'after a cancel, tasks/get shows cancelled or -32602 (deleted)',
  needs: { fixtures: [HOLD], capabilities: ['tools.call', 'cancel'] },
  async run(ctx: CheckContext) {
    ctx.expect('tasks/get after tasks/cancel: status cancelled or JSON-RPC error -32602');
    const held = await ctx.createTask(ctx.peer, HOLD, { holdMs: LONG_HOLD_MS });
    await ctx.cancel(ctx.peer, held.taskId);
    const after = await ctx.get(ctx.peer, held.taskId);
    ctx.see(describe(after));
    const ok = (after.kind === 'result' && after.result.status === 'cancelled') || (after.kind === 'error' && after.error.code === -32602);
    if (!ok) ctx.violation('neither cancelled nor -32602');
  },
};

export const CANCEL_CHECKS: Check[] = [R69, R71, R72, R73];
