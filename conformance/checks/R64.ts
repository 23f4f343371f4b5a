/**
 * R64 [MUST] (tasks/list): an invalid cursor gets -32602.
 */
import type { Check } from '../check.js';
import { type CheckContext, describe } from '../context.js';

export const R64: Check = {
  id: 'R64',
  keyword: 'MUST',
  section: 'tasks/list',
  title: 'an invalid cursor gets -32602',
  needs: { capabilities: ['list'] },
  async run(ctx: CheckContext) {
    ctx.send('tasks/list {cursor:"conformance-garbage-cursor"}');
    ctx.expect('JSON-RPC error -32602');
    const outcome = await ctx.peer.request('tasks/list', { cursor: 'conformance-garbage-cursor' }, ctx.requestTimeoutMs);
    ctx.see(describe(outcome));
    if (outcome.kind !== 'error' || outcome.error.code !== -32602) ctx.violation('an invalid cursor did not give -32602');
  },
};
