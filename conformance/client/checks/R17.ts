/** R17 [stmt] (Task creation): the actual result is available only through tasks/result, a failed task's too. */
import type { ClientCheck } from '../check.js';
import type { ClientCheckContext } from '../context.js';
import { requireTask, seeDriver, taskRequests } from './common.js';

export const R17: ClientCheck = {
  id: 'R17',
  keyword: 'stmt',
  section: 'tasks/result',
  title: "the client fetches a failed task's result with tasks/result",
  scenario: 'failed-task',
  run(ctx: ClientCheckContext) {
    const taskId = requireTask(ctx);
    ctx.expect('a tasks/result for the task, which ends failed with an isError CallToolResult');
    const results = taskRequests(ctx.trace, 'tasks/result', taskId);
    const failedAt = ctx.trace.firstAt(taskId, 'failed');
    ctx.see(`${results.length} tasks/result; the task ${failedAt === undefined ? 'never failed' : 'failed'}`);
    seeDriver(ctx);
    if (failedAt === undefined) ctx.skip('the task did not reach failed within the scenario');
    if (results.length === 0) ctx.violation('the client never asked for the failed task’s result (tasks/result), so it cannot have the CallToolResult');
  },
};
