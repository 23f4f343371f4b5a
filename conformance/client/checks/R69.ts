/** R69 [MUST] (Cancellation): tasks/cancel of a terminal task is refused with -32602; here, by the client. */
import type { ClientCheck } from '../check.js';
import type { ClientCheckContext } from '../context.js';
import { hostedTask, shown } from './receiver.js';

export const R69: ClientCheck = {
  id: 'R69',
  keyword: 'MUST',
  section: 'Client-hosted tasks',
  title: 'the client refuses tasks/cancel of its finished task with -32602',
  scenario: 'client-receiver',
  run(ctx: ClientCheckContext) {
    hostedTask(ctx);
    if (!ctx.capabilities.tasks?.cancel) ctx.skip('the client does not declare tasks.cancel');
    ctx.expect('JSON-RPC error -32602');
    const got = ctx.trace.probes.find((p) => p.what === 'tasks/cancel (terminal task)');
    ctx.see(`tasks/cancel: ${shown(got)}`);
    if (!got) ctx.skip('the task never ended, so no finished task could be cancelled');
    if (got.error?.code !== -32602) ctx.violation(got.error ? `error ${got.error.code} instead of -32602` : 'the cancel of a finished task succeeded');
  },
};
