/**
 * R14 [MAY] (Task creation): task: {} (no ttl) is accepted.
 */
import type { Check } from '../check.js';
import type { CheckContext } from '../context.js';
import { OPTIONAL } from './common.js';

export const R14: Check = {
  id: 'R14',
  keyword: 'MAY',
  section: 'Task creation',
  title: 'task: {} (no ttl) is accepted',
  needs: { tools: [OPTIONAL], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('a CreateTaskResult whose task.ttl is an integer or null');
    const task = await ctx.createTask(ctx.peer, OPTIONAL, { text: 'r14' }, { task: {} });
    ctx.see(`task ${JSON.stringify(task)}`);
    if (task.ttl !== null && !Number.isInteger(task.ttl)) ctx.violation(`ttl ${task.ttl} is neither an integer nor null`);
  },
};
