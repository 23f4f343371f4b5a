/**
 * R6 [stmt] (Capabilities): tasks.list / tasks.cancel say whether tasks/list / tasks/cancel are supported.
 */
import type { Check } from '../check.js';
import { type CheckContext, describe } from '../context.js';
import { UNKNOWN_TASK_ID } from './common.js';

export const R6: Check = {
  id: 'R6',
  keyword: 'stmt',
  section: 'Capabilities',
  title: 'tasks.list / tasks.cancel say whether tasks/list / tasks/cancel are supported',
  needs: { capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    const tasks = ctx.server.capabilities.tasks ?? {};
    ctx.send('tasks/list {}');
    const list = await ctx.peer.request('tasks/list', {}, ctx.requestTimeoutMs);
    ctx.see(`tasks/list: ${describe(list)}`);
    if (tasks.list !== undefined) {
      ctx.expect('tasks.list declared: tasks/list gives a result');
      if (list.kind !== 'result' || !Array.isArray(list.result.tasks)) ctx.violation('tasks.list is declared but tasks/list did not give a ListTasksResult');
    } else {
      ctx.expect('tasks.list not declared: tasks/list gives an error');
      if (list.kind !== 'error') ctx.violation('tasks.list is not declared but tasks/list did not fail');
    }
    ctx.send(`tasks/cancel {taskId:"${UNKNOWN_TASK_ID}"}`);
    const cancel = await ctx.peer.request('tasks/cancel', { taskId: UNKNOWN_TASK_ID }, ctx.requestTimeoutMs);
    ctx.see(`tasks/cancel: ${describe(cancel)}`);
    if (tasks.cancel !== undefined) {
      ctx.expect('tasks.cancel declared: tasks/cancel is served (unknown id → -32602, not -32601)');
      if (cancel.kind === 'error' && cancel.error.code === -32601) ctx.violation('tasks.cancel is declared but tasks/cancel is not served (-32601)');
      if (cancel.kind === 'timeout') ctx.violation('tasks/cancel did not answer');
    } else {
      ctx.expect('tasks.cancel not declared: tasks/cancel gives an error');
      if (cancel.kind !== 'error') ctx.violation('tasks.cancel is not declared but tasks/cancel did not fail');
    }
  },
};
