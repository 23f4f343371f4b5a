/**
 * R30 [MUST] (input_required): side-channel requests carry related-task _meta with the task id.
 */
import type { Check } from '../check.js';
import type { CheckContext } from '../context.js';
import { ELICIT, relatedTaskId, runSideChannel, SAMPLE } from './common.js';

export const R30: Check = {
  id: 'R30',
  keyword: 'MUST',
  section: 'input_required',
  title: 'side-channel requests carry related-task _meta with the task id',
  needs: { tools: [ELICIT], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('params._meta["io.modelcontextprotocol/related-task"].taskId == the task id, on elicitation/create and sampling/createMessage');
    const fixtures = [ELICIT, ...(ctx.has(SAMPLE) ? [SAMPLE] : [])] as Array<typeof ELICIT | typeof SAMPLE>;
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
