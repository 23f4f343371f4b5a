/**
 * R85 [MUST] (Security): another requestor's tasks/get, tasks/result and tasks/cancel are rejected.
 */
import type { Check } from '../check.js';
import { type CheckContext, describe } from '../context.js';
import { HOLD, LONG_HOLD_MS } from './common.js';

export const R85: Check = {
  id: 'R85',
  keyword: 'MUST',
  section: 'Security',
  title: 'another requestor\'s tasks/get, tasks/result and tasks/cancel are rejected',
  needs: { tools: [HOLD], capabilities: ['tools.call'], identities: 2 },
  async run(ctx: CheckContext) {
    ctx.expect('errors for B (recommended -32602, like an unknown id); A\'s task is not cancelled');
    const b = await ctx.openPeer('B');
    const task = await ctx.createTask(ctx.peer, HOLD, { holdMs: LONG_HOLD_MS });
    ctx.cancelLater(ctx.peer, task.taskId);
    const methods = ['tasks/get', 'tasks/result', ...(ctx.server.capabilities.tasks?.cancel !== undefined ? ['tasks/cancel'] : [])];
    for (const method of methods) {
      const outcome = await b.request(method, { taskId: task.taskId }, 2000);
      ctx.see(`B ${method}: ${describe(outcome)}`);
      if (outcome.kind === 'result') ctx.violation(`${method} from requestor B succeeded`);
      else if (outcome.kind === 'timeout') ctx.violation(`${method} from requestor B was not rejected (no answer; it may be blocking on A's task)`);
      else if (outcome.kind === 'error' && outcome.error.code !== -32602) ctx.see(`(code ${outcome.error.code}; -32602 would not reveal the task exists)`);
    }
    const a = await ctx.getTask(ctx.peer, task.taskId);
    ctx.see(`A tasks/get: ${a.status}`);
    if (a.status === 'cancelled') ctx.violation('requestor B cancelled requestor A\'s task');
  },
};
