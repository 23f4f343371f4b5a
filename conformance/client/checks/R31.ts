/** R31 [SHOULD] (input_required): on input_required the requestor calls tasks/result at once. */
import type { ClientCheck } from '../check.js';
import type { ClientCheckContext } from '../context.js';
import { requireConnected, requireTask, seeDriver, taskRequests } from './common.js';

/** How soon after input_required a tasks/result counts as "right away" (ms). */
const WITHIN_MS = 2000;

export const R31: ClientCheck = {
  id: 'R31',
  keyword: 'SHOULD',
  section: 'input_required',
  title: 'when the task is input_required the client calls tasks/result (the elicitation comes on it)',
  scenario: 'input-required',
  run(ctx: ClientCheckContext) {
    requireConnected(ctx);
    if (!ctx.capabilities.elicitation) ctx.skip('the client declares no elicitation capability, so the task never asks');
    const taskId = requireTask(ctx);
    const waitingAt = ctx.trace.firstAt(taskId, 'input_required');
    if (waitingAt === undefined) ctx.skip('the task never went input_required within the scenario');
    ctx.expect(`a tasks/result open within ${WITHIN_MS} ms of the task going input_required`);
    const results = taskRequests(ctx.trace, 'tasks/result', taskId);
    const open = results.find((r) => r.at <= waitingAt + WITHIN_MS && (r.answered ?? Number.POSITIVE_INFINITY) >= waitingAt);
    const polls = taskRequests(ctx.trace, 'tasks/get', taskId).filter((p) => p.status === 'input_required');
    ctx.see(`${results.length} tasks/result (${results.map((r) => `${r.at - waitingAt} ms after input_required`).join(', ') || 'none'}); ${polls.length} tasks/get showed input_required`);
    seeDriver(ctx);
    if (!open) ctx.violation(`no tasks/result within ${WITHIN_MS} ms of input_required: the elicitation, delivered on tasks/result, never reached the client`);
  },
};
