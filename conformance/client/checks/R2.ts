/** R2 [schema] (Capabilities): the client's initialize capabilities, tasks included, have the schema's shape. */
import { ClientCapabilitiesSchema } from '@modelcontextprotocol/sdk/types.js';
import type { ClientCheck } from '../check.js';
import type { ClientCheckContext } from '../context.js';
import { requireConnected } from './common.js';

export const R2: ClientCheck = {
  id: 'R2',
  keyword: 'schema',
  section: 'Capabilities',
  title: "the client's declared capabilities (tasks included) have the schema's shape",
  scenario: 'tool-required',
  run(ctx: ClientCheckContext) {
    requireConnected(ctx);
    ctx.expect('initialize params.capabilities validate against ClientCapabilitiesSchema; tasks.{list,cancel,requests.*} are objects');
    const caps = ctx.trace.initialize?.capabilities;
    ctx.see(`capabilities: ${JSON.stringify(caps)}`);
    const parsed = ClientCapabilitiesSchema.safeParse(caps);
    if (!parsed.success) ctx.violation(`capabilities do not validate: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  },
};
