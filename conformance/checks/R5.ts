/**
 * R5 [stmt] (Capabilities): task on a request type not listed in capabilities.tasks.requests is ignored.
 */
import { ListToolsResultSchema } from '@modelcontextprotocol/sdk/types.js';
import type { Check } from '../check.js';
import { type CheckContext, describe } from '../context.js';

export const R5: Check = {
  id: 'R5',
  keyword: 'stmt',
  section: 'Capabilities',
  title: 'task on a request type not listed in capabilities.tasks.requests is ignored',
  needs: { capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.send('tools/list {task:{ttl:60000}}');
    ctx.expect('a normal ListToolsResult (tools/list is not listed in capabilities.tasks.requests)');
    const outcome = await ctx.peer.request('tools/list', { task: { ttl: 60_000 } }, ctx.requestTimeoutMs);
    ctx.see(describe(outcome));
    if (outcome.kind !== 'result') ctx.abort('tools/list with task did not give a result');
    if (typeof outcome.result.task === 'object') ctx.violation('tools/list with task gave a CreateTaskResult');
    else if (!ListToolsResultSchema.safeParse(outcome.result).success) ctx.violation('tools/list with task did not give a ListToolsResult');
  },
};
