/**
 * R20 [MUST] (Tool negotiation): task on a request type without declared task support is ignored (processed normally).
 */
import type { Check } from '../check.js';
import { type CheckContext, describe, firstText } from '../context.js';
import { FORBIDDEN, OPTIONAL } from './common.js';

export const R20: Check = {
  id: 'R20',
  keyword: 'MUST',
  section: 'Tool negotiation',
  title: 'task on a request type without declared task support is ignored (processed normally)',
  async run(ctx: CheckContext) {
    const declared = ctx.server.capabilities.tasks?.requests?.tools?.call !== undefined;
    if (!declared) {
      const tool = ctx.isFixture(FORBIDDEN) ? FORBIDDEN : ctx.isFixture(OPTIONAL) ? OPTIONAL : undefined;
      if (!tool) ctx.skip('server lacks tasks.requests.tools.call and has no forbidden/optional fixture to call');
      ctx.expect('tools/call with task to a server without tasks.requests.tools.call: a normal CallToolResult');
      const outcome = await ctx.callTool(ctx.peer, tool, { text: 'r20' }, { task: { ttl: 1000 } });
      ctx.see(describe(outcome));
      if (outcome.kind !== 'result' || typeof outcome.result.task === 'object' || firstText(outcome.result) !== 'r20') {
        ctx.violation('the task metadata was not ignored');
      }
      return;
    }
    ctx.send('ping {task:{ttl:1000}}');
    ctx.expect('ping (no task support declared for it) with task: a normal empty result');
    const outcome = await ctx.peer.request('ping', { task: { ttl: 1000 } }, ctx.requestTimeoutMs);
    ctx.see(describe(outcome));
    if (outcome.kind !== 'result') ctx.violation('ping with task metadata failed');
    else if (typeof outcome.result.task === 'object') ctx.violation('ping with task metadata created a task');
  },
};
