/**
 * R23 [MUST] (Task creation): the receiver chooses the task id (a requested id is not used).
 */
import type { Check } from '../check.js';
import { type CheckContext, describe } from '../context.js';
import { OPTIONAL } from './common.js';

export const R23: Check = {
  id: 'R23',
  keyword: 'MUST',
  section: 'Task creation',
  title: 'the receiver chooses the task id (a requested id is not used)',
  needs: { tools: [OPTIONAL], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    const chosen = 'conformance-requestor-chosen-id';
    ctx.expect(`a CreateTaskResult whose taskId is not "${chosen}" (or an error rejecting the field)`);
    const outcome = await ctx.callTool(ctx.peer, OPTIONAL, { text: 'r23' }, { task: { ttl: 60_000, taskId: chosen } });
    ctx.see(describe(outcome));
    if (outcome.kind === 'error') ctx.skip(`the server refused the call (${describe(outcome)}): whether it would take a requestor-chosen id cannot be seen`);
    if (outcome.kind !== 'result') ctx.abort('no answer');
    const id = (outcome.result.task as { taskId?: unknown } | undefined)?.taskId;
    if (id === chosen) ctx.violation('the server used the task id the requestor sent');
  },
};
