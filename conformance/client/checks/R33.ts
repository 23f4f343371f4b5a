/** R33 [MUST] (Related-task metadata): the answer to a side-channel request carries the related-task _meta. */
import type { ClientCheck } from '../check.js';
import type { ClientCheckContext } from '../context.js';
import { firstTaskId, relatedTaskId, requireConnected } from './common.js';

export const R33: ClientCheck = {
  id: 'R33',
  keyword: 'MUST',
  section: 'Related-task metadata',
  title: 'the answer to a task’s elicitation carries _meta related-task {taskId}',
  scenario: 'input-required',
  run(ctx: ClientCheckContext) {
    requireConnected(ctx);
    const taskId = firstTaskId(ctx.trace);
    const asked = ctx.trace.answersOf('elicitation/create');
    if (taskId === undefined || asked.length === 0) ctx.skip('no elicitation reached the client (see R31)');
    ctx.expect(`result._meta["io.modelcontextprotocol/related-task"].taskId == ${taskId}`);
    for (const { answer } of asked) {
      const message = answer?.message as { result?: { _meta?: unknown }; error?: unknown } | undefined;
      ctx.see(`answer: ${message === undefined ? 'none' : JSON.stringify(message.result ?? message.error).slice(0, 200)}`);
      if (message === undefined) ctx.notChecked('the client never answered the elicitation');
      else if (message.result === undefined) ctx.notChecked('the client answered with an error');
      else if (relatedTaskId(message.result._meta) !== taskId) ctx.violation('the elicitation answer has no related-task _meta naming the task');
    }
  },
};
