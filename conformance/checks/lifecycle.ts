/**
 * Status lifecycle: R27, R28, R57 (transitions seen through tasks/get, tasks/list, tasks/cancel
 * and notifications/tasks/status).
 */
import type { Check } from '../types.js';
import { describe, isTerminal, type CheckContext } from '../context.js';
import type { Peer } from '../peer.js';
import { badTransitions, ELICIT, HOLD, LONG_HOLD_MS, OPTIONAL, runSideChannel } from './common.js';

const SECTION = 'Status lifecycle';

/** Waits up to `ms` for a status notification of `status` for the task. */
async function notificationOf(ctx: CheckContext, peer: Peer, taskId: string, status: string, ms: number): Promise<boolean> {
  const found = await peer.waitFor(
    (e) =>
      'method' in e.message &&
      e.message.method === 'notifications/tasks/status' &&
      (e.message.params as { taskId?: unknown; status?: unknown } | undefined)?.taskId === taskId &&
      (e.message.params as { status?: unknown }).status === status,
    ms,
  );
  return found !== undefined;
}

function checkTransitions(ctx: CheckContext, peer: Peer): void {
  for (const [taskId, sightings] of ctx.sightings) {
    const polled = sightings.filter((s) => s.source !== 'notification').map((s) => s.task.status);
    const bad = badTransitions(polled);
    ctx.see(`task ${taskId}: ${polled.join(' → ')}`);
    for (const edge of bad) ctx.violation(`task ${taskId}: transition ${edge} seen through tasks/get, tasks/list and tasks/cancel`);
    const notified = ctx.statusNotifications(peer, taskId).map((n) => String(n.params.status));
    if (notified.length > 0) {
      ctx.see(`task ${taskId} notifications: ${notified.join(' → ')}`);
      for (const edge of badTransitions(notified)) ctx.violation(`task ${taskId}: transition ${edge} in notifications/tasks/status`);
    }
  }
}

export const R27: Check = {
  id: 'R27',
  keyword: 'MUST',
  section: SECTION,
  title: 'status moves only along the allowed transitions',
  needs: { fixtures: [OPTIONAL], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('working → input_required|completed|failed|cancelled; input_required → working|completed|failed|cancelled');
    const peer = ctx.peer;
    const done = await ctx.createTask(peer, OPTIONAL, { text: 'r27', delayMs: 60 });
    await ctx.waitTerminal(peer, done.taskId);
    if (ctx.server.capabilities.tasks?.list !== undefined) await ctx.listAll(peer);
    await ctx.getTask(peer, done.taskId);
    if (ctx.server.fixtures.has(ELICIT)) {
      const run = await runSideChannel(ctx, ELICIT);
      await ctx.waitTerminal(peer, run.task.taskId);
    }
    if (ctx.server.fixtures.has(HOLD) && ctx.server.capabilities.tasks?.cancel !== undefined) {
      const held = await ctx.createTask(peer, HOLD, { holdMs: LONG_HOLD_MS });
      await ctx.getTask(peer, held.taskId);
      ctx.cancelledTask(await ctx.cancel(peer, held.taskId));
      const after = await ctx.get(peer, held.taskId);
      if (after.kind === 'result') await ctx.getTask(peer, held.taskId);
    }
    await new Promise((r) => setTimeout(r, 50));
    checkTransitions(ctx, peer);
  },
};

export const R28: Check = {
  id: 'R28',
  keyword: 'MUST NOT',
  section: SECTION,
  title: 'a terminal task never changes status',
  needs: { fixtures: [OPTIONAL], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('after completed/failed, repeated tasks/get (and a tasks/cancel attempt) keep the same status');
    const task = await ctx.createTask(ctx.peer, OPTIONAL, { text: 'r28' });
    const terminal = await ctx.waitTerminal(ctx.peer, task.taskId);
    ctx.see(`terminal status ${terminal.status}`);
    if (ctx.server.capabilities.tasks?.cancel !== undefined) {
      const cancel = await ctx.cancel(ctx.peer, task.taskId);
      ctx.see(`tasks/cancel on the terminal task: ${describe(cancel)}`);
    }
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 20));
      const again = await ctx.getTask(ctx.peer, task.taskId);
      if (again.status !== terminal.status) ctx.abort(`terminal task went from ${terminal.status} to ${again.status}`);
    }
    if (ctx.server.capabilities.tasks?.list !== undefined) {
      const { tasks } = await ctx.listAll(ctx.peer);
      const listed = tasks.find((t) => t.taskId === task.taskId);
      if (listed && listed.status !== terminal.status) ctx.violation(`tasks/list shows ${listed.status} for a ${terminal.status} task`);
    }
  },
};

export const R57: Check = {
  id: 'R57',
  keyword: 'MAY',
  section: SECTION,
  title: 'status notifications, when sent, are full Tasks and cover every change (also cancellation)',
  needs: { fixtures: [OPTIONAL], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    const peer = ctx.peer;
    ctx.expect('notifications/tasks/status params are a full Task; a server that notifies completion also notifies cancellation');
    const since = peer.lastSeq;
    const task = await ctx.createTask(peer, OPTIONAL, { text: 'r57', delayMs: 30 });
    const terminal = await ctx.waitTerminal(peer, task.taskId);
    const notifiedDone = await notificationOf(ctx, peer, task.taskId, terminal.status, 1000);
    for (const n of ctx.statusNotifications(peer, task.taskId, since)) ctx.validateTask(n.params, 'notifications/tasks/status params');
    ctx.see(`completion (${terminal.status}) notified: ${notifiedDone}`);
    if (!notifiedDone) ctx.violation('no notifications/tasks/status for the terminal status (the server may send none; requestors poll)');
    if (ctx.server.fixtures.has(HOLD) && ctx.server.capabilities.tasks?.cancel !== undefined) {
      const held = await ctx.createTask(peer, HOLD, { holdMs: LONG_HOLD_MS });
      const cancel = await ctx.cancel(peer, held.taskId);
      ctx.see(`tasks/cancel: ${describe(cancel)}`);
      const notifiedCancel = await notificationOf(ctx, peer, held.taskId, 'cancelled', 1000);
      ctx.see(`cancellation notified: ${notifiedCancel}`);
      if (!notifiedCancel) ctx.violation('no notifications/tasks/status for the cancellation (cf. TS SDK F3)');
      for (const n of ctx.statusNotifications(peer, held.taskId, since)) ctx.validateTask(n.params, 'notifications/tasks/status params');
    } else {
      ctx.see('cancellation not checked (no hold fixture or no tasks.cancel)');
    }
    for (const [taskId] of ctx.sightings) {
      const statuses = ctx.statusNotifications(peer, taskId, since).map((n) => n.params.status as string);
      if (statuses.some((s, i) => i > 0 && isTerminal(statuses[i - 1]!) && s !== statuses[i - 1])) {
        ctx.violation(`task ${taskId}: notification after a terminal status`, 'failure');
      }
    }
  },
};

export const LIFECYCLE_CHECKS: Check[] = [R27, R28, R57];
