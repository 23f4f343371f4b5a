/**
 * R72 [MUST] (Cancellation): a cancelled task stays cancelled when its work completes later.
 */
import type { Check } from '../check.js';
import { type CheckContext, describe } from '../context.js';
import { STUBBORN } from './common.js';

export const R72: Check = {
  id: 'R72',
  keyword: 'MUST',
  section: 'Cancellation',
  title: 'a cancelled task stays cancelled when its work completes later',
  needs: { tools: [STUBBORN], capabilities: ['tools.call', 'cancel'] },
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
