/** R12 [MUST] (Tool negotiation): a tool with taskSupport 'required' is invoked as a task. */
import type { ClientCheck } from '../check.js';
import type { ClientCheckContext } from '../context.js';
import { requireConnected, seeDriver, toolCalls } from './common.js';

export const R12: ClientCheck = {
  id: 'R12',
  keyword: 'MUST',
  section: 'Tool negotiation',
  title: "a tool with taskSupport 'required' is called with params.task",
  scenario: 'tool-required',
  run(ctx: ClientCheckContext) {
    requireConnected(ctx);
    ctx.expect('every tools/call conformance_task_tool carries params.task (an object)');
    const calls = toolCalls(ctx);
    seeDriver(ctx);
    if (calls.length === 0) ctx.notChecked('the client never called the tool');
    if (calls.some((c) => c.task === undefined)) ctx.violation("the client called a tool with taskSupport 'required' without params.task");
    else if (calls.some((c) => typeof c.task !== 'object' || c.task === null)) ctx.violation('params.task is not an object');
  },
};
