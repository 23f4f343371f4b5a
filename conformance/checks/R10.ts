/**
 * R10 [SHOULD] (Tool negotiation): task sent to a forbidden tool → JSON-RPC error -32601.
 */
import type { Check } from '../check.js';
import { type CheckContext, describe } from '../context.js';
import { FORBIDDEN, nonce, ranAnyway } from './common.js';

export const R10: Check = {
  id: 'R10',
  keyword: 'SHOULD',
  section: 'Tool negotiation',
  title: 'task sent to a forbidden tool → JSON-RPC error -32601',
  needs: { tools: [FORBIDDEN], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('JSON-RPC error -32601, the tool not run (a CreateTaskResult is a failure; anything else a warning)');
    const text = `r10 ${nonce()}`;
    const outcome = await ctx.callTool(ctx.peer, FORBIDDEN, { text, count: true }, { task: { ttl: 60_000 } });
    ctx.see(describe(outcome));
    if (outcome.kind === 'error') {
      if (/invalid .*result/i.test(outcome.error.message)) {
        // the server's own result validation failed: the tool ran, and what it produced failed the server's schema
        ctx.violation(`the server ran the forbidden tool and then rejected its own result (${outcome.error.code}: "${outcome.error.message}") instead of answering -32601`);
      } else if (outcome.error.code !== -32601) {
        ctx.violation(`error code ${outcome.error.code} instead of -32601`);
      }
      await ranAnyway(ctx, FORBIDDEN, text);
      return;
    }
    if (outcome.kind === 'result' && typeof outcome.result.task === 'object') {
      ctx.violation('the server created a task for a forbidden tool', 'failure');
      return;
    }
    if (outcome.kind === 'result') ctx.violation('the server ran the forbidden tool and returned a CallToolResult instead of error -32601');
    else ctx.violation(`no answer: ${describe(outcome)}`);
  },
};
