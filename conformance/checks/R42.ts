/**
 * R42 [MAY] (Task fields): after ttl a task may be gone: tasks/get then gives -32602.
 */
import type { Check } from '../check.js';
import { type CheckContext, describe } from '../context.js';
import { OPTIONAL } from './common.js';

export const R42: Check = {
  id: 'R42',
  keyword: 'MAY',
  section: 'Task fields',
  title: 'after ttl a task may be gone: tasks/get then gives -32602',
  needs: { tools: [OPTIONAL], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('after the ttl elapsed: the Task, or JSON-RPC error -32602');
    const task = await ctx.createTask(ctx.peer, OPTIONAL, { text: 'r42' }, { task: { ttl: 200 } });
    ctx.see(`created with ttl ${task.ttl}`);
    const wait = typeof task.ttl === 'number' && task.ttl <= 1000 ? task.ttl + 400 : 600;
    await new Promise((r) => setTimeout(r, wait));
    const outcome = await ctx.get(ctx.peer, task.taskId);
    ctx.see(`tasks/get after ${wait} ms: ${describe(outcome)}`);
    if (outcome.kind === 'error' && outcome.error.code !== -32602) ctx.violation(`error code ${outcome.error.code} instead of -32602`);
    if (outcome.kind === 'timeout' || outcome.kind === 'closed') ctx.violation('no answer');
  },
};
