/**
 * R25 [schema] (Task creation): every status is one of working, input_required, completed, failed, cancelled.
 */
import { TaskStatusSchema } from '@modelcontextprotocol/sdk/types.js';
import type { Check } from '../check.js';
import type { CheckContext } from '../context.js';
import { OPTIONAL } from './common.js';

export const R25: Check = {
  id: 'R25',
  keyword: 'schema',
  section: 'Task creation',
  title: 'every status is one of working, input_required, completed, failed, cancelled',
  needs: { tools: [OPTIONAL], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('every Task seen (create, get, list) has a TaskStatus');
    const task = await ctx.createTask(ctx.peer, OPTIONAL, { text: 'r25', delayMs: 50 });
    await ctx.waitTerminal(ctx.peer, task.taskId);
    if (ctx.server.capabilities.tasks?.list !== undefined) await ctx.listAll(ctx.peer);
    const statuses = [...ctx.sightings.values()].flat().map((s) => s.task.status);
    ctx.see(`statuses seen: ${[...new Set(statuses)].join(', ')}`);
    for (const status of statuses) {
      if (!TaskStatusSchema.safeParse(status).success) ctx.violation(`status ${JSON.stringify(status)} is not a TaskStatus`);
    }
  },
};
