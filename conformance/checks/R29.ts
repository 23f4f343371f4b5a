/**
 * R29 [SHOULD] (input_required): a task waiting for a side-channel answer is input_required.
 */
import type { Check } from '../check.js';
import type { CheckContext } from '../context.js';
import { ELICIT, runSideChannel } from './common.js';

export const R29: Check = {
  id: 'R29',
  keyword: 'SHOULD',
  section: 'input_required',
  title: 'a task waiting for a side-channel answer is input_required',
  needs: { tools: [ELICIT], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('tasks/get shows input_required while the elicitation/create is outstanding');
    const run = await runSideChannel(ctx, ELICIT);
    ctx.see(`polling saw input_required: ${run.sawInputRequiredWhilePolling}; status while answering: ${run.statusAtRequest.join(', ') || '(no elicitation arrived)'}`);
    if (run.requests.length === 0) ctx.abort('no elicitation/create arrived (see R30)');
    if (!run.sawInputRequiredWhilePolling && !run.statusAtRequest.includes('input_required')) {
      ctx.violation('the task was never input_required while its elicitation was outstanding');
    }
  },
};
