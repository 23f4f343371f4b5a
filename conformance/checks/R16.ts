/**
 * R16 [SHOULD] (Task creation): the CreateTaskResult comes back at once, not when the work ends.
 */
import type { Check } from '../check.js';
import { type CheckContext, describe } from '../context.js';
import { HOLD, LONG_HOLD_MS } from './common.js';

export const R16: Check = {
  id: 'R16',
  keyword: 'SHOULD',
  section: 'Task creation',
  title: 'the CreateTaskResult comes back at once, not when the work ends',
  needs: { tools: [HOLD], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect(`a CreateTaskResult well before the tool's ${LONG_HOLD_MS} ms of work end (within 2000 ms)`);
    const started = Date.now();
    const outcome = await ctx.callTool(ctx.peer, HOLD, { holdMs: LONG_HOLD_MS }, { task: { ttl: 60_000 }, timeoutMs: 2000 });
    const elapsed = Date.now() - started;
    ctx.see(`${describe(outcome)} after ${elapsed} ms`);
    if (outcome.kind === 'result' && typeof outcome.result.task === 'object' && outcome.result.task) {
      ctx.cancelLater(ctx.peer, String((outcome.result.task as { taskId: unknown }).taskId));
      return;
    }
    ctx.violation(outcome.kind === 'timeout' ? 'no CreateTaskResult within 2000 ms' : 'no CreateTaskResult');
  },
};
