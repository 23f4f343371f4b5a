/**
 * R69 [MUST] (Cancellation): cancelling a terminal task gets -32602 (also a second cancel).
 */
import type { Check } from '../check.js';
import { type CheckContext, describe } from '../context.js';
import { HOLD, LONG_HOLD_MS, OPTIONAL, TOOL_ERROR } from './common.js';

export const R69: Check = {
  id: 'R69',
  keyword: 'MUST',
  section: 'Cancellation',
  title: 'cancelling a terminal task gets -32602 (also a second cancel)',
  needs: { tools: [OPTIONAL], capabilities: ['tools.call', 'cancel'] },
  async run(ctx: CheckContext) {
    ctx.expect('JSON-RPC error -32602 for tasks/cancel on a completed, a failed and an already cancelled task');
    const done = await ctx.createTask(ctx.peer, OPTIONAL, { text: 'r69' });
    await ctx.waitTerminal(ctx.peer, done.taskId);
    const c1 = await ctx.cancel(ctx.peer, done.taskId);
    ctx.see(`cancel completed: ${describe(c1)}`);
    if (c1.kind !== 'error' || c1.error.code !== -32602) ctx.violation('cancelling a completed task did not give -32602');
    if (ctx.has(TOOL_ERROR)) {
      const failed = await ctx.createTask(ctx.peer, TOOL_ERROR, { message: 'r69' });
      const t = await ctx.waitTerminal(ctx.peer, failed.taskId);
      const c = await ctx.cancel(ctx.peer, failed.taskId);
      ctx.see(`cancel ${t.status}: ${describe(c)}`);
      if (c.kind !== 'error' || c.error.code !== -32602) ctx.violation(`cancelling a ${t.status} task did not give -32602`);
    }
    if (ctx.has(HOLD)) {
      const held = await ctx.createTask(ctx.peer, HOLD, { holdMs: LONG_HOLD_MS });
      const first = await ctx.cancel(ctx.peer, held.taskId);
      const second = await ctx.cancel(ctx.peer, held.taskId);
      ctx.see(`cancel twice: ${describe(first)} / ${describe(second)}`);
      if (second.kind !== 'error' || second.error.code !== -32602) ctx.violation('a second cancel did not give -32602');
    }
  },
};
