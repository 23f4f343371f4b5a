/** R9 [MUST NOT] (Tool negotiation): a tool without task support is not invoked as a task. */
import type { ClientCheck } from '../check.js';
import type { ClientCheckContext } from '../context.js';
import { requireConnected, toolCalls } from './common.js';

export const R9: ClientCheck = {
  id: 'R9',
  keyword: 'MUST NOT',
  section: 'Tool negotiation',
  title: "a tool whose taskSupport is absent is called without params.task",
  scenario: 'forbidden-tool',
  run(ctx: ClientCheckContext) {
    requireConnected(ctx);
    ctx.expect('tools/call conformance_plain_tool without params.task');
    const calls = toolCalls(ctx);
    if (calls.length === 0) ctx.notChecked('the client never called the tool');
    if (calls.some((c) => c.task !== undefined)) ctx.violation('the client invoked a tool without task support as a task');
  },
};
