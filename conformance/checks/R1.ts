/**
 * R1 [MUST] (Capabilities): a server that creates tasks declares capabilities.tasks.requests.tools.call.
 */
import type { Check } from '../check.js';
import { type CheckContext, describe } from '../context.js';
import { OPTIONAL } from './common.js';

export const R1: Check = {
  id: 'R1',
  keyword: 'MUST',
  section: 'Capabilities',
  title: 'a server that creates tasks declares capabilities.tasks.requests.tools.call',
  needs: { tools: [OPTIONAL] },
  async run(ctx: CheckContext) {
    const declared = ctx.server.capabilities.tasks?.requests?.tools?.call !== undefined;
    ctx.see(`initialize: capabilities.tasks = ${JSON.stringify(ctx.server.capabilities.tasks)}`);
    ctx.expect('a CreateTaskResult only from a server that declared capabilities.tasks.requests.tools.call');
    const outcome = await ctx.callTool(ctx.peer, OPTIONAL, { text: 'r1' }, { task: { ttl: 60_000 } });
    ctx.see(describe(outcome));
    const created = outcome.kind === 'result' && typeof outcome.result.task === 'object';
    if (created && !declared) ctx.violation('the server answered with a CreateTaskResult but did not declare the tasks capability');
  },
};
