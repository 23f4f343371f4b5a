/** R51 [MUST] (tasks/result): a tasks/result response carries the related-task _meta; here, the client's. */
import type { ClientCheck } from '../check.js';
import type { ClientCheckContext } from '../context.js';
import { relatedTaskId } from './common.js';
import { hostedTask, shown } from './receiver.js';

export const R51: ClientCheck = {
  id: 'R51',
  keyword: 'MUST',
  section: 'Client-hosted tasks',
  title: 'the client’s tasks/result answer carries _meta related-task {taskId}',
  scenario: 'client-receiver',
  run(ctx: ClientCheckContext) {
    const { taskId, probe } = hostedTask(ctx);
    ctx.expect(`tasks/result result._meta["io.modelcontextprotocol/related-task"].taskId == ${taskId}`);
    const got = probe('tasks/result');
    ctx.see(`tasks/result: ${shown(got)}`);
    if (!got) ctx.skip('the server never got to ask tasks/result (the task did not end)');
    if (got.error) ctx.violation(`tasks/result of the finished task failed: ${got.error.code}`);
    else if (relatedTaskId(got.result?._meta) !== taskId) ctx.violation('the tasks/result answer has no related-task _meta naming the task');
  },
};
