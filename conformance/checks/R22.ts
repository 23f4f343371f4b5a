/**
 * R22 [MUST] (Task creation): task ids are strings.
 */
import type { Check } from '../check.js';
import { type CheckContext, describe } from '../context.js';
import { OPTIONAL } from './common.js';

export const R22: Check = {
  id: 'R22',
  keyword: 'MUST',
  section: 'Task creation',
  title: 'task ids are strings',
  needs: { tools: [OPTIONAL], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('typeof task.taskId === "string" (and non-empty)');
    const outcome = await ctx.callTool(ctx.peer, OPTIONAL, { text: 'r22' }, { task: { ttl: 60_000 } });
    ctx.see(describe(outcome));
    if (outcome.kind !== 'result') ctx.abort('no CreateTaskResult');
    const id = (outcome.result.task as { taskId?: unknown } | undefined)?.taskId;
    if (typeof id !== 'string' || id === '') ctx.violation(`taskId is ${JSON.stringify(id)}`);
  },
};
