/**
 * R76 [MUST] (Errors): malformed tasks/* requests get a JSON-RPC error with a standard code, and the server keeps serving.
 */
import type { Check } from '../check.js';
import { type CheckContext, describe } from '../context.js';
import { STANDARD_ERROR_CODES } from './common.js';

export const R76: Check = {
  id: 'R76',
  keyword: 'MUST',
  section: 'Errors',
  title: 'malformed tasks/* requests get a JSON-RPC error with a standard code, and the server keeps serving',
  needs: { capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('an error response (-32600…-32603, -32602 expected for bad params) for each, never silence or a crash; ping still answers');
    const cases: Array<[string, unknown]> = [
      ['tasks/get', { taskId: 42 }],
      ['tasks/get', { taskId: null }],
      ['tasks/result', { taskId: { nested: true } }],
      ['tasks/get', { taskId: 'x'.repeat(10_000) }],
    ];
    if (ctx.server.capabilities.tasks?.list !== undefined) cases.push(['tasks/list', { cursor: 7 }]);
    for (const [method, params] of cases) {
      const outcome = await ctx.peer.request(method, params, 3000);
      ctx.see(`${method} ${JSON.stringify(params).slice(0, 60)}: ${describe(outcome)}`);
      if (outcome.kind !== 'error') ctx.violation(`${method} with malformed params did not give an error`);
      else if (!STANDARD_ERROR_CODES.has(outcome.error.code) && !(outcome.error.code <= -32000 && outcome.error.code >= -32099)) {
        ctx.violation(`${method}: error code ${outcome.error.code} is not a JSON-RPC error code`);
      }
    }
    const ping = await ctx.peer.request('ping', {}, 3000);
    ctx.see(`ping: ${describe(ping)}`);
    if (ping.kind !== 'result') ctx.violation('the server stopped answering');
  },
};
