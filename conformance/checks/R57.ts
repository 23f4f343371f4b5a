/**
 * R57 [MAY] (Status lifecycle): status notifications, when sent, are full Tasks and cover every change (also cancellation).
 */
import type { Check } from '../check.js';
import { type CheckContext, describe, isTerminal } from '../context.js';
import { HOLD, LONG_HOLD_MS, notificationOf, OPTIONAL } from './common.js';

export const R57: Check = {
  id: 'R57',
  keyword: 'MAY',
  section: 'Status lifecycle',
  title: 'status notifications, when sent, are full Tasks and cover every change (also cancellation)',
  needs: { tools: [OPTIONAL], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    const peer = ctx.peer;
    ctx.expect('notifications/tasks/status params are a full Task; a server that notifies completion also notifies cancellation');
    const since = peer.lastSeq;
    const task = await ctx.createTask(peer, OPTIONAL, { text: 'r57', delayMs: 30 });
    const terminal = await ctx.waitTerminal(peer, task.taskId);
    const notifiedDone = await notificationOf(peer, task.taskId, terminal.status, 1000);
    for (const n of ctx.statusNotifications(peer, task.taskId, since)) ctx.validateTask(n.params, 'notifications/tasks/status params');
    ctx.see(`completion (${terminal.status}) notified: ${notifiedDone}`);
    if (!notifiedDone) ctx.violation('no notifications/tasks/status for the terminal status (the server may send none; requestors poll)');
    if (ctx.has(HOLD) && ctx.server.capabilities.tasks?.cancel !== undefined) {
      const held = await ctx.createTask(peer, HOLD, { holdMs: LONG_HOLD_MS });
      const cancel = await ctx.cancel(peer, held.taskId);
      ctx.see(`tasks/cancel: ${describe(cancel)}`);
      const notifiedCancel = await notificationOf(peer, held.taskId, 'cancelled', 1000);
      ctx.see(`cancellation notified: ${notifiedCancel}`);
      if (!notifiedCancel) ctx.violation('no notifications/tasks/status for the cancellation (cf. TS SDK F3)');
      for (const n of ctx.statusNotifications(peer, held.taskId, since)) ctx.validateTask(n.params, 'notifications/tasks/status params');
    } else {
      ctx.notChecked('the notification of a cancellation (no hold fixture or no tasks.cancel)');
    }
    for (const [taskId] of ctx.sightings) {
      const statuses = ctx.statusNotifications(peer, taskId, since).map((n) => n.params.status as string);
      if (statuses.some((s, i) => i > 0 && isTerminal(statuses[i - 1]!) && s !== statuses[i - 1])) {
        ctx.violation(`task ${taskId}: notification after a terminal status`, 'failure');
      }
    }
  },
};
