/**
 * R65 [SHOULD] (tasks/list): tasks/list pages its results (no page above 100 tasks).
 */
import type { Check } from '../check.js';
import type { CheckContext } from '../context.js';
import { OPTIONAL } from './common.js';

export const R65: Check = {
  id: 'R65',
  keyword: 'SHOULD',
  section: 'tasks/list',
  title: 'tasks/list pages its results (no page above 100 tasks)',
  needs: { capabilities: ['list', 'tools.call'], tools: [OPTIONAL] },
  async run(ctx: CheckContext) {
    ctx.send(`101 task-augmented tools/call ${OPTIONAL}, then tasks/list`);
    ctx.expect('no single page holds more than 100 tasks');
    for (let i = 0; i < 101; i += 25) {
      await Promise.all(Array.from({ length: Math.min(25, 101 - i) }, (_, j) => ctx.createTask(ctx.peer, OPTIONAL, { text: `r65-${i + j}` })));
    }
    const { pages } = await ctx.listAll(ctx.peer);
    ctx.see(`page sizes: ${pages.join(', ')}`);
    if (pages.some((n) => n > 100)) ctx.violation('a page holds more than 100 tasks');
  },
};
