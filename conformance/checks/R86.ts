/**
 * R86 [MUST] (Security): tasks/list shows only the requestor's own tasks.
 */
import type { Check } from '../check.js';
import type { CheckContext } from '../context.js';
import { OPTIONAL } from './common.js';

export const R86: Check = {
  id: 'R86',
  keyword: 'MUST',
  section: 'Security',
  title: 'tasks/list shows only the requestor\'s own tasks',
  needs: { tools: [OPTIONAL], capabilities: ['tools.call', 'list'], identities: 2 },
  async run(ctx: CheckContext) {
    ctx.expect('requestor B\'s tasks/list does not contain A\'s task');
    const b = await ctx.openPeer('B');
    const task = await ctx.createTask(ctx.peer, OPTIONAL, { text: 'r86' });
    const { tasks } = await ctx.listAll(b);
    ctx.see(`B lists ${tasks.length} task(s)`);
    if (tasks.some((t) => t.taskId === task.taskId)) ctx.violation('requestor B\'s tasks/list contains requestor A\'s task');
  },
};
