/**
 * R48 [MUST] (tasks/result): tasks/result on a terminal task returns the final result.
 */
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import type { Check } from '../check.js';
import { type CheckContext, describe } from '../context.js';
import { HOLD, LONG_HOLD_MS, nonce, OPTIONAL } from './common.js';

export const R48: Check = {
  id: 'R48',
  keyword: 'MUST',
  section: 'tasks/result',
  title: 'tasks/result on a terminal task returns the final result',
  needs: { tools: [OPTIONAL], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    const text = `r48-${nonce()}`;
    ctx.expect(`a CallToolResult with the text "${text}"; for a cancelled task, an answer (result or error) rather than none`);
    const task = await ctx.createTask(ctx.peer, OPTIONAL, { text });
    const terminal = await ctx.waitTerminal(ctx.peer, task.taskId);
    ctx.send(`tasks/result ${task.taskId} (status ${terminal.status})`);
    const outcome = await ctx.result(ctx.peer, task.taskId);
    ctx.see(describe(outcome));
    if (outcome.kind !== 'result') ctx.violation('no success result for a completed task');
    else if (!CallToolResultSchema.safeParse(outcome.result).success || ctx.resultFor(outcome, OPTIONAL, text) === 'no') {
      ctx.violation('the result is not the tool\'s CallToolResult');
    }
    if (ctx.has(HOLD) && ctx.server.capabilities.tasks?.cancel !== undefined) {
      const held = await ctx.createTask(ctx.peer, HOLD, { holdMs: LONG_HOLD_MS });
      await ctx.cancel(ctx.peer, held.taskId);
      const after = await ctx.result(ctx.peer, held.taskId, 3000);
      ctx.see(`tasks/result on a cancelled task: ${describe(after)}`);
      if (after.kind === 'timeout' || after.kind === 'closed') ctx.violation('tasks/result on a cancelled (terminal) task did not answer');
    }
  },
};
