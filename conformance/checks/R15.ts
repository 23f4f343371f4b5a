/**
 * R15 [MUST] (Task creation): a task-augmented request gets a CreateTaskResult, not the operation result.
 */
import type { Check } from '../check.js';
import { type CheckContext, describe } from '../context.js';
import { OPTIONAL } from './common.js';

export const R15: Check = {
  id: 'R15',
  keyword: 'MUST',
  section: 'Task creation',
  title: 'a task-augmented request gets a CreateTaskResult, not the operation result',
  needs: { tools: [OPTIONAL], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('result.task is a Task (taskId, status, createdAt, lastUpdatedAt, ttl) and result has no content');
    const outcome = await ctx.callTool(ctx.peer, OPTIONAL, { text: 'r15', delayMs: 200 }, { task: { ttl: 60_000 } });
    ctx.see(describe(outcome));
    if (outcome.kind !== 'result') ctx.abort('no result');
    if ('content' in outcome.result) ctx.violation('the result has content: the operation result was returned instead of a CreateTaskResult');
    if (typeof outcome.result.task !== 'object' || outcome.result.task === null) ctx.abort('the result has no task object');
    ctx.validateTask(outcome.result.task, 'CreateTaskResult.task');
  },
};
