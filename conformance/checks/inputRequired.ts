/**
 * input_required and side-channel requests: R29, R30, R32.
 */
import type { Check } from '../types.js';
import type { CheckContext } from '../context.js';
import { isTerminal } from '../context.js';
import { ELICIT, relatedTaskId, runSideChannel, SAMPLE } from './common.js';

const SECTION = 'input_required';

export const R29: Check = {
  id: 'R29',
  keyword: 'SHOULD',
  section: SECTION,
  title: 'a task waiting for a side-channel answer is input_required',
  needs: { fixtures: [ELICIT], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('tasks/get shows input_required while the elicitation/create is outstanding');
    const run = await runSideChannel(ctx, ELICIT);
    ctx.see(`polling saw input_required: ${run.sawInputRequiredWhilePolling}; status while answering: ${run.statusAtRequest.join(', ') || '(no elicitation arrived)'}`);
    if (run.requests.length === 0) ctx.abort('no elicitation/create arrived', 'failure');
    if (!run.sawInputRequiredWhilePolling && !run.statusAtRequest.includes('input_required')) {
      ctx.violation('the task was never input_required while its elicitation was outstanding');
    }
  },
};

export const R30: Check = {
  id: 'R30',
  keyword: 'MUST',
  section: SECTION,
  title: 'side-channel requests carry related-task _meta with the task id',
  needs: { fixtures: [ELICIT], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('params._meta["io.modelcontextprotocol/related-task"].taskId == the task id, on elicitation/create and sampling/createMessage');
    const fixtures = [ELICIT, ...(ctx.server.fixtures.has(SAMPLE) ? [SAMPLE] : [])] as Array<typeof ELICIT | typeof SAMPLE>;
    for (const fixture of fixtures) {
      const run = await runSideChannel(ctx, fixture);
      if (run.requests.length === 0) {
        ctx.violation(`${fixture}: no side-channel request arrived`);
        continue;
      }
      for (const entry of run.requests) {
        const params = (entry.message as { params?: { _meta?: unknown } }).params;
        const related = relatedTaskId(params?._meta);
        ctx.see(`${fixture}: ${(entry.message as { method: string }).method} related-task ${JSON.stringify(related)} (task ${run.task.taskId})`);
        if (related !== run.task.taskId) ctx.violation(`${fixture}: side-channel request without the task's related-task _meta`);
      }
    }
  },
};

export const R32: Check = {
  id: 'R32',
  keyword: 'SHOULD',
  section: SECTION,
  title: 'once answered, the task leaves input_required',
  needs: { fixtures: [ELICIT], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('after the elicitation is answered, tasks/get shows working or a terminal status');
    const run = await runSideChannel(ctx, ELICIT);
    if (run.answeredAt === undefined) ctx.abort('no elicitation/create arrived', 'failure');
    const task = await ctx.pollUntil(ctx.peer, run.task.taskId, (t) => t.status === 'working' || isTerminal(t.status), 3000, 'working or a terminal status');
    ctx.see(`status after the answer: ${task.status}`);
  },
};

export const INPUT_REQUIRED_CHECKS: Check[] = [R29, R30, R32];
