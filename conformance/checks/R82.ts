/**
 * R82 [MUST] (Security): tasks are bound to the requestor that created them.
 */
import type { Check } from '../check.js';
import { type CheckContext, describe } from '../context.js';
import { OPTIONAL } from './common.js';

export const R82: Check = {
  id: 'R82',
  keyword: 'MUST',
  section: 'Security',
  title: 'tasks are bound to the requestor that created them',
  needs: { tools: [OPTIONAL], capabilities: ['tools.call'], identities: 2 },
  async run(ctx: CheckContext) {
    ctx.expect('requestor A can read its task; requestor B cannot');
    const b = await ctx.openPeer('B');
    ctx.see(`second requestor made by ${ctx.server.requestors}`);
    const task = await ctx.createTask(ctx.peer, OPTIONAL, { text: 'r82' });
    await ctx.getTask(ctx.peer, task.taskId);
    const fromB = await ctx.get(b, task.taskId);
    ctx.see(`B tasks/get: ${describe(fromB)}`);
    if (fromB.kind !== 'error') ctx.violation('requestor B could read requestor A\'s task');
  },
};
