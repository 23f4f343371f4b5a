/** R45 [SHOULD] (Polling): requestors keep polling until the task is terminal (or input_required), then stop. */
import type { ClientCheck } from '../check.js';
import type { ClientCheckContext } from '../context.js';
import { requireTask, seeDriver, taskRequests, terminal } from './common.js';

export const R45: ClientCheck = {
  id: 'R45',
  keyword: 'SHOULD',
  section: 'Polling',
  title: 'the client follows the task to its end (polling or an open tasks/result) and then stops polling',
  scenario: 'tool-required',
  run(ctx: ClientCheckContext) {
    const taskId = requireTask(ctx);
    ctx.expect('polls until a tasks/get shows a terminal status, or a tasks/result is open until the task ends; no tasks/get after a terminal answer');
    const polls = taskRequests(ctx.trace, 'tasks/get', taskId);
    const results = taskRequests(ctx.trace, 'tasks/result', taskId);
    const endedAt = ctx.trace.statuses.get(taskId)!.find((s) => terminal(s.status))?.at;
    ctx.see(`${polls.length} tasks/get (${polls.map((p) => String(p.status ?? p.code ?? 'unanswered')).join(', ')}); ${results.length} tasks/result; the task ${endedAt === undefined ? 'never ended' : 'ended'}`);
    seeDriver(ctx);
    const sawEnd = polls.some((p) => terminal(p.status));
    const waitedOnResult = results.some((r) => endedAt !== undefined && r.at <= endedAt && (r.answered ?? Number.POSITIVE_INFINITY) >= endedAt);
    if (endedAt === undefined) {
      if (ctx.trace.driver.timedOut) ctx.notChecked('the task never ended within the scenario');
      else ctx.violation('the client was done while the task still worked: it stopped polling before the end and had no tasks/result open');
    } else if (!sawEnd && !waitedOnResult) ctx.violation('the client stopped following the task before it ended (no terminal tasks/get and no tasks/result open at the end)');
    const firstEnd = polls.findIndex((p) => terminal(p.status));
    const after = firstEnd === -1 ? 0 : polls.length - firstEnd - 1;
    if (after > 0) ctx.violation(`the client polled ${after} more time(s) after a tasks/get showed the terminal status`);
  },
};
