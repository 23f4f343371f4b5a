/**
 * R73 [MAY] (Cancellation): after a cancel, tasks/get shows cancelled or -32602 (deleted).
 */
import type { Check } from '../check.js';
import { type CheckContext, describe } from '../context.js';
import { HOLD, LONG_HOLD_MS } from './common.js';

export const R73: Check = {
  id: 'R73',
  keyword: 'MAY',
  section: 'Cancellation',
  title: 'after a cancel, tasks/get shows cancelled or -32602 (deleted)',
  needs: { tools: [HOLD], capabilities: ['tools.call', 'cancel'] },
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
