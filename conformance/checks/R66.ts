/**
 * R66 [MUST] (tasks/list): following nextCursor reaches every task.
 */
import type { Check } from '../check.js';
import type { CheckContext } from '../context.js';
import { OPTIONAL } from './common.js';

export const R66: Check = {
  id: 'R66',
  keyword: 'MUST',
  section: 'tasks/list',
  title: 'following nextCursor reaches every task',
  needs: { capabilities: ['list', 'tools.call'], tools: [OPTIONAL] },
  async run(ctx: CheckContext) {
    ctx.send(`25 task-augmented tools/call ${OPTIONAL}, then tasks/list following nextCursor`);
    ctx.expect('the union of the pages holds all 25 tasks, each once');
    const created = await Promise.all(Array.from({ length: 25 }, (_, i) => ctx.createTask(ctx.peer, OPTIONAL, { text: `r66-${i}` })));
    const { tasks, pages } = await ctx.listAll(ctx.peer);
    const ids = tasks.map((t) => t.taskId);
    ctx.see(`page sizes ${pages.join(', ')}; ${ids.length} listed, ${new Set(ids).size} distinct`);
    const missing = created.filter((t) => !ids.includes(t.taskId));
    if (missing.length > 0) ctx.violation(`${missing.length} created task(s) never listed`);
    if (new Set(ids).size !== ids.length) ctx.violation('a task was listed twice across pages', 'warning');
  },
};
