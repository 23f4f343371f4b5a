/**
 * R2 [schema] (Capabilities): capabilities.tasks has the schema shape (every leaf an object).
 */
import { ServerTasksCapabilitySchema } from '@modelcontextprotocol/sdk/types.js';
import type { Check } from '../check.js';
import type { CheckContext } from '../context.js';

export const R2: Check = {
  id: 'R2',
  keyword: 'schema',
  section: 'Capabilities',
  title: 'capabilities.tasks has the schema shape (every leaf an object)',
  async run(ctx: CheckContext) {
    const tasks = ctx.server.capabilities.tasks as unknown;
    ctx.see(`capabilities.tasks = ${JSON.stringify(tasks)}`);
    if (tasks === undefined) ctx.skip('the server declares no tasks capability');
    ctx.expect('tasks: { list?: {}, cancel?: {}, requests?: { tools?: { call?: {} } } } (ServerTasksCapabilitySchema)');
    const parsed = ServerTasksCapabilitySchema.safeParse(tasks);
    if (!parsed.success) ctx.violation(`capabilities.tasks does not match the SDK's ServerTasksCapabilitySchema: ${parsed.error.message}`);
    const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);
    const t = tasks as Record<string, unknown>;
    if (!isObject(t)) ctx.abort('capabilities.tasks is not an object');
    for (const key of ['list', 'cancel', 'requests'] as const) {
      if (t[key] !== undefined && !isObject(t[key])) ctx.violation(`capabilities.tasks.${key} is ${JSON.stringify(t[key])}, not an object`);
    }
    const requests = t.requests as Record<string, unknown> | undefined;
    const tools = requests?.tools;
    if (tools !== undefined && !isObject(tools)) ctx.violation('capabilities.tasks.requests.tools is not an object');
    const call = (tools as Record<string, unknown> | undefined)?.call;
    if (call !== undefined && !isObject(call)) ctx.violation('capabilities.tasks.requests.tools.call is not an object');
  },
};
