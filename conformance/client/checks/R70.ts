/** R70 [MUST] (Errors): an unknown taskId gets -32602; here, from the client. */
import type { ClientCheck } from '../check.js';
import type { ClientCheckContext } from '../context.js';
import { hostedTask, shown } from './receiver.js';

export const R70: ClientCheck = {
  id: 'R70',
  keyword: 'MUST',
  section: 'Client-hosted tasks',
  title: 'the client answers tasks/get of an unknown taskId with -32602',
  scenario: 'client-receiver',
  run(ctx: ClientCheckContext) {
    hostedTask(ctx);
    ctx.expect('JSON-RPC error -32602');
    const got = ctx.trace.probes.find((p) => p.what === 'tasks/get (unknown taskId)');
    ctx.see(`tasks/get unknown: ${shown(got)}`);
    if (!got) ctx.skip('the server never got to ask');
    if (got.error?.code !== -32602) ctx.violation(got.error ? `error ${got.error.code} instead of -32602` : 'tasks/get of an unknown task succeeded');
  },
};
