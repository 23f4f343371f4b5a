/**
 * R51 [MUST] (tasks/result): tasks/result success carries related-task _meta.
 */
import type { Check } from '../check.js';
import { type CheckContext, describe } from '../context.js';
import { OPTIONAL, relatedTaskId } from './common.js';

export const R51: Check = {
  id: 'R51',
  keyword: 'MUST',
  section: 'tasks/result',
  title: 'tasks/result success carries related-task _meta',
  needs: { tools: [OPTIONAL], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('result._meta["io.modelcontextprotocol/related-task"].taskId == the task id');
    const task = await ctx.createTask(ctx.peer, OPTIONAL, { text: 'r51' });
    const outcome = await ctx.result(ctx.peer, task.taskId, 5000);
    ctx.see(describe(outcome));
    if (outcome.kind !== 'result') ctx.abort('no success result');
    const related = relatedTaskId(outcome.result._meta);
    if (related !== task.taskId) ctx.violation(`related-task taskId is ${JSON.stringify(related)}, expected ${task.taskId}`);
  },
};
