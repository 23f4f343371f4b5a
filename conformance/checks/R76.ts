/**
 * R76 [MUST] (Errors): an internal error (a plain exception in the tool) is answered with -32603,
 * as a plain call and through `tasks/result` of its task. Needs the protocol-error fixture's
 * `plain` option (the fixture contract's internal-error behaviour).
 */
import type { Check } from '../check.js';
import { type CheckContext, describe } from '../context.js';
import { fixtureTakes, nonce, PROTOCOL_ERROR } from './common.js';

export const R76: Check = {
  id: 'R76',
  keyword: 'MUST',
  section: 'Errors',
  title: 'an internal error (a plain exception in the tool) is -32603, called plainly and through tasks/result',
  needs: { tools: [PROTOCOL_ERROR], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    if (!fixtureTakes(ctx, PROTOCOL_ERROR, 'plain')) {
      ctx.skip(`${PROTOCOL_ERROR} does not take the plain option (a plain exception), so no internal error can be caused`);
    }
    ctx.expect('JSON-RPC error -32603 for the plain call; the task failed and tasks/result -32603');
    const args = { message: `r76 ${nonce()}`, plain: true };
    const plain = await ctx.callTool(ctx.peer, PROTOCOL_ERROR, args);
    ctx.see(`plain call: ${describe(plain)}`);
    if (plain.kind !== 'error' || plain.error.code !== -32603) ctx.violation(`the plain call did not give -32603: ${describe(plain)}`);
    const task = await ctx.createTask(ctx.peer, PROTOCOL_ERROR, args);
    const result = await ctx.result(ctx.peer, task.taskId, 5000);
    ctx.see(`tasks/result: ${describe(result)}`);
    if (result.kind !== 'error' || result.error.code !== -32603) ctx.violation(`tasks/result did not give -32603: ${describe(result)}`);
    const after = await ctx.getTask(ctx.peer, task.taskId);
    if (after.status !== 'failed') ctx.violation(`the task is ${after.status}, not failed`);
  },
};
