/**
 * R60 [SHOULD NOT] (Related-task metadata): notifications/tasks/status carry no related-task _meta.
 */
import type { Check } from '../check.js';
import type { CheckContext } from '../context.js';
import { hasRelatedKey, OPTIONAL } from './common.js';

export const R60: Check = {
  id: 'R60',
  keyword: 'SHOULD NOT',
  section: 'Related-task metadata',
  title: 'notifications/tasks/status carry no related-task _meta',
  needs: { tools: [OPTIONAL], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('params._meta of notifications/tasks/status has no related-task key');
    const since = ctx.peer.lastSeq;
    const task = await ctx.createTask(ctx.peer, OPTIONAL, { text: 'r60', delayMs: 30 });
    await ctx.waitTerminal(ctx.peer, task.taskId);
    await ctx.peer.waitFor(
      (e) => 'method' in e.message && e.message.method === 'notifications/tasks/status' && (e.message.params as { taskId?: unknown })?.taskId === task.taskId,
      800,
      since,
    );
    const notes = ctx.statusNotifications(ctx.peer, task.taskId, since);
    if (notes.length === 0) ctx.skip('the server sent no notifications/tasks/status for the task');
    ctx.see(`${notes.length} notification(s); _meta: ${notes.map((n) => JSON.stringify(n.params._meta)).join(', ')}`);
    if (notes.some((n) => hasRelatedKey(n.params._meta))) ctx.violation('a status notification carries related-task _meta');
  },
};
