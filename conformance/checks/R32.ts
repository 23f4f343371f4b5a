/**
 * R32 [SHOULD] (input_required): once answered, the task leaves input_required — back to `working`,
 * seen while the elicit fixture works on `holdAfterMs` after the answer.
 */
import type { Check } from '../check.js';
import { type CheckContext, isTerminal } from '../context.js';
import { ELICIT, fixtureTakes, nonce, runSideChannel } from './common.js';

/** How long the elicit fixture works on after its answer, for the task to be seen `working` (ms). */
const HOLD_AFTER_MS = 1_500;

export const R32: Check = {
  id: 'R32',
  keyword: 'SHOULD',
  section: 'input_required',
  title: 'once answered, the task leaves input_required',
  needs: { tools: [ELICIT], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    if (!fixtureTakes(ctx, ELICIT, 'holdAfterMs')) {
      ctx.expect('after the elicitation is answered, tasks/get shows working or a terminal status');
      const run = await runSideChannel(ctx, ELICIT);
      if (run.answeredAt === undefined) ctx.abort('no elicitation/create arrived (see R30)');
      const task = await ctx.pollUntil(ctx.peer, run.task.taskId, (t) => t.status === 'working' || isTerminal(t.status), 3000, 'working or a terminal status');
      ctx.see(`status after the answer: ${task.status}`);
      if (isTerminal(task.status)) ctx.notChecked(`the return to working (${ELICIT} takes no holdAfterMs, so it ends right after the answer)`);
      return;
    }
    ctx.expect(`the task answered, still working ${HOLD_AFTER_MS} ms: tasks/get shows working (not input_required, not ended)`);
    const prev = ctx.peer.elicit;
    let answered!: () => void;
    const answeredNow = new Promise<void>((resolve) => (answered = resolve));
    ctx.peer.elicit = async (params) => {
      const answer = await prev(params);
      answered();
      return answer;
    };
    try {
      const task = await ctx.createTask(ctx.peer, ELICIT, { message: `r32 ${nonce()}`, holdAfterMs: HOLD_AFTER_MS });
      const pending = ctx.result(ctx.peer, task.taskId, HOLD_AFTER_MS + 5_000);
      const arrived = await Promise.race([answeredNow.then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), 3_000))]);
      if (!arrived) ctx.abort('no elicitation/create arrived within 3 s of tasks/result (see R30)');
      const after = await ctx.pollFor(ctx.peer, task.taskId, (t) => t.status !== 'input_required', 1_000);
      const status = 'task' in after ? after.task.status : after.missed.status;
      ctx.see(`status after the answer: ${status}`);
      if (status === 'input_required') ctx.violation('the task stayed input_required for 1 s after its question was answered');
      else if (status !== 'working') ctx.violation(`the task was ${status} right after the answer, though its work goes on ${HOLD_AFTER_MS} ms`);
      await pending;
    } finally {
      ctx.peer.elicit = prev;
    }
  },
};
