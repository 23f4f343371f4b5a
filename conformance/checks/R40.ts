/**
 * R40 [MAY] (Task fields): the receiver may override the requested ttl (and reports the actual one).
 */
import type { Check } from '../check.js';
import type { CheckContext } from '../context.js';
import { OPTIONAL } from './common.js';

export const R40: Check = {
  id: 'R40',
  keyword: 'MAY',
  section: 'Task fields',
  title: 'the receiver may override the requested ttl (and reports the actual one)',
  needs: { tools: [OPTIONAL], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('a CreateTaskResult with ttl an integer or null (possibly different from 999999999); tasks/get reports the same ttl');
    const task = await ctx.createTask(ctx.peer, OPTIONAL, { text: 'r40' }, { task: { ttl: 999_999_999 } });
    const got = await ctx.getTask(ctx.peer, task.taskId);
    ctx.see(`requested 999999999, created with ttl ${task.ttl}, tasks/get ttl ${got.ttl}`);
    if (task.ttl !== null && !Number.isInteger(task.ttl)) ctx.violation('ttl is not an integer or null');
    if (got.ttl !== task.ttl) ctx.violation('tasks/get reports a different ttl than the CreateTaskResult');
  },
};
