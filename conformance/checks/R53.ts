/**
 * R53 [MUST] (Related-task metadata): params.taskId decides which task tasks/get and tasks/result refer to.
 */
import type { Check } from '../check.js';
import { type CheckContext, describe } from '../context.js';
import { nonce, OPTIONAL } from './common.js';

export const R53: Check = {
  id: 'R53',
  keyword: 'MUST',
  section: 'Related-task metadata',
  title: 'params.taskId decides which task tasks/get and tasks/result refer to',
  needs: { tools: [OPTIONAL], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    const a = `r53-a-${nonce()}`;
    const b = `r53-b-${nonce()}`;
    ctx.expect('tasks/get and tasks/result of A describe A, of B describe B');
    const ta = await ctx.createTask(ctx.peer, OPTIONAL, { text: a });
    const tb = await ctx.createTask(ctx.peer, OPTIONAL, { text: b });
    const ga = await ctx.getTask(ctx.peer, ta.taskId);
    const gb = await ctx.getTask(ctx.peer, tb.taskId);
    if (ga.taskId !== ta.taskId || gb.taskId !== tb.taskId) ctx.violation('tasks/get returned another task');
    const ra = await ctx.result(ctx.peer, ta.taskId, 5000);
    const rb = await ctx.result(ctx.peer, tb.taskId, 5000);
    ctx.see(`A: ${describe(ra)}; B: ${describe(rb)}`);
    ctx.checkResultOf(ra, OPTIONAL, a, 'tasks/result of A is not A\'s result');
    ctx.checkResultOf(rb, OPTIONAL, b, 'tasks/result of B is not B\'s result');
  },
};
