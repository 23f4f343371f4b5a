/**
 * R49 [MUST] (tasks/result): tasks/result on a working task blocks until the task is terminal.
 */
import type { Check } from '../check.js';
import { type CheckContext, describe, isTerminal } from '../context.js';
import { HOLD, LONG_HOLD_MS, nonce, OPTIONAL } from './common.js';

export const R49: Check = {
  id: 'R49',
  keyword: 'MUST',
  section: 'tasks/result',
  title: 'tasks/result on a working task blocks until the task is terminal',
  needs: { tools: [OPTIONAL], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    const text = `r49-${nonce()}`;
    ctx.expect('tasks/result sent while the task works answers only once it is terminal, with the result');
    const task = await ctx.createTask(ctx.peer, OPTIONAL, { text, delayMs: 400 });
    ctx.send(`tasks/result ${task.taskId} right after creation`);
    const outcome = await ctx.result(ctx.peer, task.taskId, 5000);
    const after = await ctx.getTask(ctx.peer, task.taskId);
    ctx.see(`tasks/result: ${describe(outcome)}; tasks/get right after: ${after.status}`);
    if (!isTerminal(after.status)) ctx.violation(`tasks/result answered while the task was still ${after.status}`);
    ctx.checkResultOf(outcome, OPTIONAL, text, 'tasks/result did not return the result once the task completed');
    if (ctx.has(HOLD) && ctx.server.capabilities.tasks?.cancel !== undefined) {
      const held = await ctx.createTask(ctx.peer, HOLD, { holdMs: LONG_HOLD_MS });
      const pending = ctx.result(ctx.peer, held.taskId, 4000);
      await ctx.getTask(ctx.peer, held.taskId);
      await ctx.cancel(ctx.peer, held.taskId);
      const answered = await pending;
      ctx.see(`tasks/result pending while the task was cancelled: ${describe(answered)}`);
      if (answered.kind === 'timeout' || answered.kind === 'closed') ctx.violation('a blocked tasks/result did not answer when the task was cancelled');
    }
  },
};
