/**
 * G15 [stmt] (Retrieving task results; cancellation): cancelling the `tasks/result` request itself
 * (`notifications/cancelled` for its id) only ends that wait; the task keeps running, since only
 * `tasks/cancel` cancels a task.
 */
import type { Check } from '../check.js';
import type { CheckContext } from '../context.js';
import { HOLD, LONG_HOLD_MS } from './common.js';

export const G15: Check = {
  id: 'G15',
  keyword: 'stmt',
  section: 'Task cancellation',
  title: 'notifications/cancelled for a pending tasks/result ends that wait, not the task',
  needs: { tools: [HOLD], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('after notifications/cancelled for the pending tasks/result, tasks/get still shows the task working');
    const held = await ctx.createTask(ctx.peer, HOLD, { holdMs: LONG_HOLD_MS });
    ctx.cancelLater(ctx.peer, held.taskId);
    const requestId = `conf-g15-${held.taskId.slice(0, 8)}`;
    ctx.send(`tasks/result ${held.taskId} (id ${requestId}), then notifications/cancelled for it`);
    const pending = ctx.peer.requestAs(requestId, 'tasks/result', { taskId: held.taskId }, 3_000);
    // the request is on its way before it is cancelled: the server has it once it shows up in a tasks/get round trip
    await ctx.getTask(ctx.peer, held.taskId);
    await ctx.peer.notify('notifications/cancelled', { requestId, reason: 'conformance: stop waiting' });
    const after = await ctx.getTask(ctx.peer, held.taskId);
    ctx.see(`tasks/get after the cancelled wait: status ${after.status}`);
    if (after.status === 'cancelled') ctx.violation('cancelling the tasks/result request cancelled the task');
    void pending; // answered once the cleanup cancels the task
  },
};
