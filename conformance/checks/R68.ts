/**
 * R68 [MUST] (tasks/list): every task tasks/get can retrieve is in tasks/list.
 */
import type { Check } from '../check.js';
import type { CheckContext } from '../context.js';
import { HOLD, LONG_HOLD_MS, OPTIONAL } from './common.js';

export const R68: Check = {
  id: 'R68',
  keyword: 'MUST',
  section: 'tasks/list',
  title: 'every task tasks/get can retrieve is in tasks/list',
  needs: { capabilities: ['list', 'tools.call'], tools: [OPTIONAL] },
  async run(ctx: CheckContext) {
    ctx.expect('working and completed tasks that tasks/get resolves all appear in tasks/list');
    const ids: string[] = [];
    const done = await ctx.createTask(ctx.peer, OPTIONAL, { text: 'r68' });
    await ctx.waitTerminal(ctx.peer, done.taskId);
    ids.push(done.taskId);
    if (ctx.has(HOLD)) {
      const held = await ctx.createTask(ctx.peer, HOLD, { holdMs: LONG_HOLD_MS });
      ctx.cancelLater(ctx.peer, held.taskId);
      ids.push(held.taskId);
    }
    for (const id of ids) await ctx.getTask(ctx.peer, id);
    const { tasks } = await ctx.listAll(ctx.peer);
    const listed = new Set(tasks.map((t) => t.taskId));
    for (const id of ids) {
      ctx.see(`${id}: ${listed.has(id) ? 'listed' : 'not listed'}`);
      if (!listed.has(id)) ctx.violation(`task ${id} is retrievable with tasks/get but not in tasks/list`);
    }
  },
};
