/**
 * R11 [MAY] (Tool negotiation): optional tool: accepted both as a task and as a normal call.
 */
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import type { Check } from '../check.js';
import { type CheckContext, describe } from '../context.js';
import { OPTIONAL } from './common.js';

export const R11: Check = {
  id: 'R11',
  keyword: 'MAY',
  section: 'Tool negotiation',
  title: 'optional tool: accepted both as a task and as a normal call',
  needs: { tools: [OPTIONAL], plainCall: true, capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('with task: a CreateTaskResult; without: a CallToolResult with the text');
    const withTask = await ctx.callTool(ctx.peer, OPTIONAL, { text: 'r11-task' }, { task: { ttl: 60_000 } });
    ctx.see(`with task: ${describe(withTask)}`);
    if (withTask.kind !== 'result' || typeof withTask.result.task !== 'object') ctx.violation('a task-augmented call of an optional tool did not create a task');
    const plain = await ctx.callTool(ctx.peer, OPTIONAL, { text: 'r11-plain' });
    ctx.see(`without task: ${describe(plain)}`);
    if (plain.kind !== 'result' || !CallToolResultSchema.safeParse(plain.result).success) ctx.violation('a plain call of an optional tool did not return a CallToolResult');
    else ctx.checkResultOf(plain, OPTIONAL, 'r11-plain', 'a plain call of an optional tool did not return its CallToolResult');
  },
};
