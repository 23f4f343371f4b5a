/**
 * R70 [MUST] (Errors): unknown, missing or malformed taskId in tasks/get, tasks/result, tasks/cancel → -32602;
 * the server keeps serving.
 */
import type { Check } from '../check.js';
import { type CheckContext, describe } from '../context.js';
import { UNKNOWN_TASK_ID } from './common.js';

export const R70: Check = {
  id: 'R70',
  keyword: 'MUST',
  section: 'Errors',
  title: 'unknown, missing or malformed taskId in tasks/get, tasks/result, tasks/cancel → -32602',
  needs: { capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('JSON-RPC error -32602 for each');
    const methods = ['tasks/get', 'tasks/result', ...(ctx.server.capabilities.tasks?.cancel !== undefined ? ['tasks/cancel'] : [])];
    for (const method of methods) {
      for (const params of [{ taskId: UNKNOWN_TASK_ID }, {}, { taskId: 42 }, { taskId: null }, { taskId: { nested: true } }, { taskId: 'x'.repeat(10_000) }]) {
        const shown = JSON.stringify(params).slice(0, 60);
        ctx.send(`${method} ${shown}`);
        const outcome = await ctx.peer.request(method, params, 3000);
        ctx.see(`${method} ${shown}: ${describe(outcome)}`);
        if (outcome.kind !== 'error' || outcome.error.code !== -32602) ctx.violation(`${method} ${shown} did not give -32602`);
      }
    }
    const ping = await ctx.peer.request('ping', {}, 3000);
    ctx.see(`ping afterwards: ${describe(ping)}`);
    if (ping.kind !== 'result') ctx.violation('the server stopped answering after the malformed requests');
  },
};
