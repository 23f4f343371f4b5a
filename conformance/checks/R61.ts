/**
 * R61 [MUST] (Progress): progress after the CreateTaskResult keeps using the request's progressToken.
 */
import type { Check } from '../check.js';
import type { CheckContext } from '../context.js';
import { nonce, PROGRESS, progressFor } from './common.js';

export const R61: Check = {
  id: 'R61',
  keyword: 'MUST',
  section: 'Progress',
  title: 'progress after the CreateTaskResult keeps using the request\'s progressToken',
  needs: { tools: [PROGRESS], exact: true, capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    const token = `conf-progress-${nonce()}`;
    ctx.expect(`notifications/progress with progressToken "${token}" after the CreateTaskResult`);
    const task = await ctx.createTask(ctx.peer, PROGRESS, { steps: 3, delayMs: 20 }, { meta: { progressToken: token } });
    const createdSeq = ctx.peer.lastSeq;
    await ctx.result(ctx.peer, task.taskId, 5000);
    await ctx.peer.waitFor(() => progressFor(ctx.peer, token, createdSeq).length >= 3, 500, createdSeq);
    const after = progressFor(ctx.peer, token, createdSeq);
    ctx.see(`${after.length} progress notification(s) with the token after the CreateTaskResult`);
    if (after.length === 0) ctx.violation('no progress notification with the request\'s progressToken after the CreateTaskResult');
  },
};
