/**
 * R80 [SHOULD] (Errors): a tool result with isError:true makes the task failed (tasks/result still a success).
 */
import type { Check } from '../check.js';
import { type CheckContext, describe } from '../context.js';
import { TOOL_ERROR } from './common.js';

export const R80: Check = {
  id: 'R80',
  keyword: 'SHOULD',
  section: 'Errors',
  title: 'a tool result with isError:true makes the task failed (tasks/result still a success)',
  needs: { tools: [TOOL_ERROR], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('tasks/get status failed; tasks/result a success response with isError:true');
    const task = await ctx.createTask(ctx.peer, TOOL_ERROR, { message: 'r80' });
    const terminal = await ctx.waitTerminal(ctx.peer, task.taskId);
    ctx.see(`status ${terminal.status}`);
    if (terminal.status !== 'failed') ctx.violation(`an isError:true result left the task ${terminal.status}`);
    const outcome = await ctx.result(ctx.peer, task.taskId);
    ctx.see(`tasks/result: ${describe(outcome)}`);
    if (outcome.kind !== 'result' || outcome.result.isError !== true) ctx.violation('tasks/result is not a success response with isError:true', 'failure');
  },
};
