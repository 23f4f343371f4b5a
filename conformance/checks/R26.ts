/**
 * R26 [MUST] (Task creation): a task begins in working.
 */
import type { Check } from '../check.js';
import type { CheckContext } from '../context.js';
import { OPTIONAL } from './common.js';

export const R26: Check = {
  id: 'R26',
  keyword: 'MUST',
  section: 'Task creation',
  title: 'a task begins in working',
  needs: { tools: [OPTIONAL], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('CreateTaskResult.task.status == "working", even for work that ends at once (delayMs 0) ');
    for (const delayMs of [0, 200]) {
      const task = await ctx.createTask(ctx.peer, OPTIONAL, { text: 'r26', delayMs });
      ctx.see(`delayMs ${delayMs}: status ${task.status}`);
      if (task.status !== 'working') ctx.violation(`a new task (delayMs ${delayMs}) began in ${task.status}`);
    }
  },
};
