/** R44 [SHOULD] (Task fields): requestors honour pollInterval: they never poll faster than it. */
import type { ClientCheck } from '../check.js';
import type { ClientCheckContext } from '../context.js';
import { requireTask, taskRequests } from './common.js';

/** Polls this much earlier than the interval are still honouring it (timer and network jitter). */
const SLACK = 0.8;

export const R44: ClientCheck = {
  id: 'R44',
  keyword: 'SHOULD',
  section: 'Polling',
  title: 'tasks/get is never sent more often than the task’s pollInterval',
  scenario: 'tool-required',
  run(ctx: ClientCheckContext) {
    const taskId = requireTask(ctx);
    const interval = ctx.trace.pollIntervals.get(taskId)!;
    ctx.expect(`consecutive tasks/get of the task at least ${interval} ms apart (pollInterval; ${Math.round(interval * SLACK)} ms with jitter)`);
    const polls = taskRequests(ctx.trace, 'tasks/get', taskId);
    const gaps = polls.slice(1).map((p, i) => p.at - polls[i]!.at);
    ctx.see(`${polls.length} tasks/get; gaps ${gaps.length ? gaps.map((g) => `${g} ms`).join(', ') : 'none'}`);
    if (polls.length < 2) ctx.notChecked('the client polled less than twice (it may wait on tasks/result instead)');
    const fast = gaps.filter((g) => g < interval * SLACK);
    if (fast.length > 0) ctx.violation(`${fast.length} poll(s) came faster than the pollInterval of ${interval} ms (shortest gap ${Math.min(...fast)} ms)`);
  },
};
