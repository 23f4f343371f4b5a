/**
 * R55 [MUST] (Related-task metadata): related-task _meta on tasks/get, tasks/result, tasks/cancel is ignored in favour of params.taskId.
 */
import { RELATED_TASK_META_KEY } from '@modelcontextprotocol/sdk/types.js';
import type { Check } from '../check.js';
import { type CheckContext, describe } from '../context.js';
import { HOLD, LONG_HOLD_MS, nonce, OPTIONAL, UNKNOWN_TASK_ID } from './common.js';

export const R55: Check = {
  id: 'R55',
  keyword: 'MUST',
  section: 'Related-task metadata',
  title: 'related-task _meta on tasks/get, tasks/result, tasks/cancel is ignored in favour of params.taskId',
  needs: { tools: [OPTIONAL], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    const a = `r55-a-${nonce()}`;
    const ta = await ctx.createTask(ctx.peer, OPTIONAL, { text: a });
    const tb = await ctx.createTask(ctx.peer, OPTIONAL, { text: 'r55-b' });
    const metaB = { [RELATED_TASK_META_KEY]: { taskId: tb.taskId } };
    ctx.expect('answers about params.taskId whatever the related-task _meta names');
    ctx.send(`tasks/get {taskId:A, _meta: related-task B}`);
    const g = await ctx.peer.request('tasks/get', { taskId: ta.taskId, _meta: metaB }, 2000);
    ctx.see(`tasks/get: ${describe(g)}`);
    if (g.kind === 'timeout') ctx.abort('tasks/get with related-task _meta got no answer (was the response routed to the task named in _meta?)');
    if (g.kind !== 'result' || g.result.taskId !== ta.taskId) ctx.violation('tasks/get did not describe params.taskId');
    await ctx.waitTerminal(ctx.peer, ta.taskId);
    ctx.send(`tasks/result {taskId:A, _meta: related-task B}`);
    const r = await ctx.peer.request('tasks/result', { taskId: ta.taskId, _meta: metaB }, 5000);
    ctx.see(`tasks/result: ${describe(r)}`);
    ctx.checkResultOf(r, OPTIONAL, a, 'tasks/result did not return params.taskId\'s result');
    ctx.send(`tasks/get {taskId:"${UNKNOWN_TASK_ID}", _meta: related-task B}`);
    const u = await ctx.get(ctx.peer, UNKNOWN_TASK_ID, { _meta: metaB });
    ctx.see(`tasks/get unknown: ${describe(u)}`);
    if (u.kind !== 'error' || u.error.code !== -32602) ctx.violation('an unknown params.taskId with a valid related-task _meta did not give -32602');
    if (ctx.has(HOLD) && ctx.server.capabilities.tasks?.cancel !== undefined) {
      const held = await ctx.createTask(ctx.peer, HOLD, { holdMs: LONG_HOLD_MS });
      const other = await ctx.createTask(ctx.peer, HOLD, { holdMs: LONG_HOLD_MS });
      ctx.cancelLater(ctx.peer, other.taskId);
      const c = await ctx.peer.request('tasks/cancel', { taskId: held.taskId, _meta: { [RELATED_TASK_META_KEY]: { taskId: other.taskId } } }, 5000);
      ctx.see(`tasks/cancel {taskId:H1, _meta: related-task H2}: ${describe(c)}`);
      const h2 = await ctx.getTask(ctx.peer, other.taskId);
      if (h2.status === 'cancelled') ctx.violation('tasks/cancel cancelled the task named in _meta');
      if (c.kind !== 'result' || c.result.taskId !== held.taskId) ctx.violation('tasks/cancel did not cancel params.taskId');
    }
  },
};
