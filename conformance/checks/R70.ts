/**
 * R70 [MUST] (Errors): unknown or missing taskId in tasks/get, tasks/result, tasks/cancel → -32602.
 */
import type { Check } from '../check.js';
import { type CheckContext, describe } from '../context.js';
import { UNKNOWN_TASK_ID } from './common.js';

export const R70: Check = {
  id: 'R70',
  keyword: 'MUST',
  section: 'Errors',
  title: 'unknown or missing taskId in tasks/get, tasks/result, tasks/cancel → -32602',
  needs: { capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('JSON-RPC error -32602 for each');
    const methods = ['tasks/get', 'tasks/result', ...(ctx.server.capabilities.tasks?.cancel !== undefined ? ['tasks/cancel'] : [])];
    for (const method of methods) {
      for (const params of [{ taskId: UNKNOWN_TASK_ID }, {}]) {
        ctx.send(`${method} ${JSON.stringify(params)}`);
        const outcome = await ctx.peer.request(method, params, 3000);
        ctx.see(`${method} ${JSON.stringify(params)}: ${describe(outcome)}`);
        if (outcome.kind !== 'error' || outcome.error.code !== -32602) ctx.violation(`${method} ${JSON.stringify(params)} did not give -32602`);
      }
    }
  },
};
