/**
 * R13 [MUST] (Tool negotiation): required tool called without task → JSON-RPC error -32601.
 */
import type { Check } from '../check.js';
import { type CheckContext, describe } from '../context.js';
import { nonce, ranAnyway, REQUIRED } from './common.js';

export const R13: Check = {
  id: 'R13',
  keyword: 'MUST',
  section: 'Tool negotiation',
  title: 'required tool called without task → JSON-RPC error -32601',
  needs: { tools: [REQUIRED] },
  async run(ctx: CheckContext) {
    ctx.expect('JSON-RPC error -32601 (not a CallToolResult with isError:true)');
    const text = `r13 ${nonce()}`;
    const outcome = await ctx.callTool(ctx.peer, REQUIRED, { text, count: true });
    ctx.see(describe(outcome));
    if (outcome.kind === 'error') {
      if (outcome.error.code !== -32601) ctx.violation(`error code ${outcome.error.code} instead of -32601`);
      await ranAnyway(ctx, REQUIRED, text, { task: { ttl: 60_000 } });
      return;
    }
    if (outcome.kind === 'result' && outcome.result.isError === true) {
      ctx.violation('a CallToolResult with isError:true instead of JSON-RPC error -32601 (cf. TS SDK F1)');
    } else if (outcome.kind === 'result') {
      ctx.violation('the required tool ran without a task');
    } else {
      ctx.violation(`no answer: ${describe(outcome)}`);
    }
  },
};
