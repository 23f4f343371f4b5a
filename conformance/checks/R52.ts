/**
 * R52 [MUST] (Related-task metadata): messages related to a task carry its id in related-task _meta.
 */
import type { Check } from '../check.js';
import { type CheckContext, describe } from '../context.js';
import { ELICIT, relatedTaskId, runSideChannel } from './common.js';

export const R52: Check = {
  id: 'R52',
  keyword: 'MUST',
  section: 'Related-task metadata',
  title: 'messages related to a task carry its id in related-task _meta',
  needs: { tools: [ELICIT], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('the side-channel request and the tasks/result response of one task both name that task');
    const run = await runSideChannel(ctx, ELICIT);
    const ids = run.requests.map((e) => relatedTaskId((e.message as { params?: { _meta?: unknown } }).params?._meta));
    const resultId = run.result.kind === 'result' ? relatedTaskId(run.result.result._meta) : undefined;
    ctx.see(`task ${run.task.taskId}; side-channel related ids ${JSON.stringify(ids)}; tasks/result related id ${JSON.stringify(resultId)}`);
    if (run.requests.length === 0) ctx.violation('no side-channel request arrived');
    if (ids.some((id) => id !== run.task.taskId)) ctx.violation('a side-channel request does not name the task');
    if (run.result.kind !== 'result') ctx.violation(`tasks/result: ${describe(run.result)}`);
    else if (resultId !== run.task.taskId) ctx.violation('the tasks/result response does not name the task');
  },
};
