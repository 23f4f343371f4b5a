/**
 * R7 [schema] (Tool negotiation): tools/list: execution.taskSupport is forbidden, optional or required.
 */
import { ListToolsResultSchema } from '@modelcontextprotocol/sdk/types.js';
import type { Check } from '../check.js';
import { type CheckContext, describe } from '../context.js';
import { describeBound } from '../discovery/toolPlan.js';

export const R7: Check = {
  id: 'R7',
  keyword: 'schema',
  section: 'Tool negotiation',
  title: 'tools/list: execution.taskSupport is forbidden, optional or required',
  async run(ctx: CheckContext) {
    if (!ctx.server.capabilities.tools) ctx.skip('the server declares no tools capability');
    ctx.send('tools/list');
    const outcome = await ctx.peer.request('tools/list', {}, ctx.requestTimeoutMs);
    ctx.see(describe(outcome));
    ctx.expect('a ListToolsResult whose tools have execution.taskSupport absent or one of forbidden/optional/required');
    if (outcome.kind !== 'result') ctx.abort('tools/list failed');
    const parsed = ListToolsResultSchema.safeParse(outcome.result);
    if (!parsed.success) ctx.violation(`tools/list result fails ListToolsResultSchema: ${parsed.error.message}`);
    const tools = (outcome.result.tools as Array<{ name?: string; execution?: { taskSupport?: unknown } }>) ?? [];
    for (const tool of tools) {
      const support = tool.execution?.taskSupport;
      if (support !== undefined && !['forbidden', 'optional', 'required'].includes(support as string)) {
        ctx.violation(`tool ${tool.name}: execution.taskSupport = ${JSON.stringify(support)}`);
      }
    }
    for (const [name, bound] of ctx.server.bound) if (bound.source !== 'fixture') ctx.see(`${name} stands in: ${describeBound(bound)}`);
    for (const problem of ctx.server.toolProblems.values()) if (problem.includes('declares taskSupport')) ctx.see(`${problem} (treated as absent)`);
  },
};
