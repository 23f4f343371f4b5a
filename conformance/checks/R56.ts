/**
 * R56 [SHOULD NOT] (Related-task metadata): tasks/get, tasks/list and tasks/cancel results carry no related-task _meta.
 */
import type { Check } from '../check.js';
import { type CheckContext, describe } from '../context.js';
import { hasRelatedKey, HOLD, LONG_HOLD_MS, OPTIONAL } from './common.js';

export const R56: Check = {
  id: 'R56',
  keyword: 'SHOULD NOT',
  section: 'Related-task metadata',
  title: 'tasks/get, tasks/list and tasks/cancel results carry no related-task _meta',
  needs: { tools: [OPTIONAL], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('no "io.modelcontextprotocol/related-task" key in those results\' _meta');
    const task = await ctx.createTask(ctx.peer, OPTIONAL, { text: 'r56' });
    const g = await ctx.get(ctx.peer, task.taskId);
    ctx.see(`tasks/get: ${describe(g)}`);
    if (g.kind === 'result' && hasRelatedKey(g.result._meta)) ctx.violation('tasks/get result has related-task _meta');
    if (ctx.server.capabilities.tasks?.list !== undefined) {
      const l = await ctx.peer.request('tasks/list', {}, ctx.requestTimeoutMs);
      ctx.see(`tasks/list _meta: ${l.kind === 'result' ? JSON.stringify(l.result._meta) : describe(l)}`);
      if (l.kind === 'result' && hasRelatedKey(l.result._meta)) ctx.violation('tasks/list result has related-task _meta');
    }
    if (ctx.has(HOLD) && ctx.server.capabilities.tasks?.cancel !== undefined) {
      const held = await ctx.createTask(ctx.peer, HOLD, { holdMs: LONG_HOLD_MS });
      const c = await ctx.cancel(ctx.peer, held.taskId);
      ctx.see(`tasks/cancel: ${describe(c)}`);
      if (c.kind === 'result' && hasRelatedKey(c.result._meta)) ctx.violation('tasks/cancel result has related-task _meta');
    } else {
      ctx.notChecked('the tasks/cancel result (no hold fixture or no tasks.cancel)');
    }
  },
};
