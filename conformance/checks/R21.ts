/**
 * R21 [MAY] (Tool negotiation): plain call of an optional tool: a normal result or -32600.
 */
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import type { Check } from '../check.js';
import { type CheckContext, describe } from '../context.js';
import { OPTIONAL } from './common.js';

export const R21: Check = {
  id: 'R21',
  keyword: 'MAY',
  section: 'Tool negotiation',
  title: 'plain call of an optional tool: a normal result or -32600',
  needs: { tools: [OPTIONAL], plainCall: true, capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('a CallToolResult, or JSON-RPC error -32600 if the server requires tasks for tools/call');
    const outcome = await ctx.callTool(ctx.peer, OPTIONAL, { text: 'r21' });
    ctx.see(describe(outcome));
    if (outcome.kind === 'error' && outcome.error.code === -32600) return;
    if (outcome.kind === 'result' && CallToolResultSchema.safeParse(outcome.result).success && typeof outcome.result.task !== 'object') return;
    ctx.violation('neither a CallToolResult nor -32600');
  },
};
