/** R26 [MUST] (Task creation): a task begins in working; here, one the client hosts. */
import type { ClientCheck } from '../check.js';
import type { ClientCheckContext } from '../context.js';
import { hostedTask, shown } from './receiver.js';

export const R26: ClientCheck = {
  id: 'R26',
  keyword: 'MUST',
  section: 'Client-hosted tasks',
  title: 'a task the client creates for a task-augmented elicitation begins in working',
  scenario: 'client-receiver',
  run(ctx: ClientCheckContext) {
    const { probe } = hostedTask(ctx);
    ctx.expect('CreateTaskResult.task.status == "working"');
    const created = probe('elicitation/create {task}');
    ctx.see(`elicitation/create {task}: ${shown(created)}`);
    const status = (created?.result?.task as { status?: unknown } | undefined)?.status;
    if (status !== 'working') ctx.violation(`the new task began in ${JSON.stringify(status)}`);
  },
};
