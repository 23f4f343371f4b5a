/**
 * R24 [MUST] (Task creation): task ids are unique (also across sessions).
 */
import type { Check } from '../check.js';
import type { CheckContext } from '../context.js';
import { OPTIONAL } from './common.js';

export const R24: Check = {
  id: 'R24',
  keyword: 'MUST',
  section: 'Task creation',
  title: 'task ids are unique (also across sessions)',
  needs: { tools: [OPTIONAL], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    const peers = [ctx.peer];
    if (ctx.server.transport === 'http' || ctx.server.transport === 'memory') {
      try {
        peers.push(await ctx.openPeer('A'));
      } catch {
        // one connection is enough to check uniqueness
      }
    }
    ctx.send(`20 task-augmented tools/call ${OPTIONAL} on each of ${peers.length} connection(s)`);
    ctx.expect('all task ids differ');
    const ids: string[] = [];
    for (const peer of peers) {
      const tasks = await Promise.all(Array.from({ length: 20 }, (_, i) => ctx.createTask(peer, OPTIONAL, { text: `r24-${i}` })));
      ids.push(...tasks.map((t) => t.taskId));
    }
    const unique = new Set(ids);
    ctx.see(`${ids.length} ids, ${unique.size} distinct`);
    if (unique.size !== ids.length) ctx.violation(`${ids.length - unique.size} duplicate task id(s)`);
  },
};
