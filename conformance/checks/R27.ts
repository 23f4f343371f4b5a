/**
 * R27 [MUST] (Status lifecycle): status moves only along the allowed transitions.
 */
import type { Check } from '../check.js';
import type { CheckContext } from '../context.js';
import { checkTransitions, ELICIT, HOLD, LONG_HOLD_MS, OPTIONAL, runSideChannel } from './common.js';

export const R27: Check = {
  id: 'R27',
  keyword: 'MUST',
  section: 'Status lifecycle',
  title: 'status moves only along the allowed transitions',
  needs: { tools: [OPTIONAL], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('working → input_required|completed|failed|cancelled; input_required → working|completed|failed|cancelled');
    const peer = ctx.peer;
    const done = await ctx.createTask(peer, OPTIONAL, { text: 'r27', delayMs: 60 });
    await ctx.waitTerminal(peer, done.taskId);
    if (ctx.server.capabilities.tasks?.list !== undefined) await ctx.listAll(peer);
    await ctx.getTask(peer, done.taskId);
    if (ctx.has(ELICIT)) {
      const run = await runSideChannel(ctx, ELICIT);
      await ctx.waitTerminal(peer, run.task.taskId);
    }
    if (ctx.has(HOLD) && ctx.server.capabilities.tasks?.cancel !== undefined) {
      const held = await ctx.createTask(peer, HOLD, { holdMs: LONG_HOLD_MS });
      await ctx.getTask(peer, held.taskId);
      ctx.cancelledTask(await ctx.cancel(peer, held.taskId));
      const after = await ctx.get(peer, held.taskId);
      if (after.kind === 'result') await ctx.getTask(peer, held.taskId);
    }
    await new Promise((r) => setTimeout(r, 50));
    checkTransitions(ctx, peer);
  },
};
