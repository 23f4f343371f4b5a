/**
 * R32 [SHOULD] (input_required): once answered, the task leaves input_required.
 */
import type { Check } from '../check.js';
import { type CheckContext, isTerminal } from '../context.js';
import { ELICIT, runSideChannel } from './common.js';

export const R32: Check = {
  id: 'R32',
  keyword: 'SHOULD',
  section: 'input_required',
  title: 'once answered, the task leaves input_required',
  needs: { fixtures: [ELICIT], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('after the elicitation is answered, tasks/get shows working or a terminal status');
    const run = await runSideChannel(ctx, ELICIT);
    if (run.answeredAt === undefined) ctx.abort('no elicitation/create arrived (see R30)');
    const task = await ctx.pollUntil(ctx.peer, run.task.taskId, (t) => t.status === 'working' || isTerminal(t.status), 3000, 'working or a terminal status');
    ctx.see(`status after the answer: ${task.status}`);
  },
};
