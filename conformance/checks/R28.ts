/**
 * R28 [MUST NOT] (Status lifecycle): a terminal task never changes status.
 */
import type { Check } from '../check.js';
import { type CheckContext, describe } from '../context.js';
import { OPTIONAL } from './common.js';

export const R28: Check = {
  id: 'R28',
  keyword: 'MUST NOT',
  section: 'Status lifecycle',
  title: 'a terminal task never changes status',
  needs: { tools: [OPTIONAL], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('after completed/failed, repeated tasks/get (and a tasks/cancel attempt) keep the same status');
    const task = await ctx.createTask(ctx.peer, OPTIONAL, { text: 'r28' });
    const terminal = await ctx.waitTerminal(ctx.peer, task.taskId);
    ctx.see(`terminal status ${terminal.status}`);
    if (ctx.server.capabilities.tasks?.cancel !== undefined) {
      const cancel = await ctx.cancel(ctx.peer, task.taskId);
      ctx.see(`tasks/cancel on the terminal task: ${describe(cancel)}`);
    }
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 20));
      const again = await ctx.getTask(ctx.peer, task.taskId);
      if (again.status !== terminal.status) ctx.abort(`terminal task went from ${terminal.status} to ${again.status}`);
    }
    if (ctx.server.capabilities.tasks?.list !== undefined) {
      const { tasks } = await ctx.listAll(ctx.peer);
      const listed = tasks.find((t) => t.taskId === task.taskId);
      if (listed && listed.status !== terminal.status) ctx.violation(`tasks/list shows ${listed.status} for a ${terminal.status} task`);
    }
  },
};
