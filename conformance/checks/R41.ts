/**
 * R41 [MUST] (Task fields): every Task carries ttl (integer ms or null).
 */
import type { Check } from '../check.js';
import type { CheckContext } from '../context.js';
import { allSightings, exercise, OPTIONAL } from './common.js';

export const R41: Check = {
  id: 'R41',
  keyword: 'MUST',
  section: 'Task fields',
  title: 'every Task carries ttl (integer ms or null)',
  needs: { fixtures: [OPTIONAL], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('the ttl key on every Task (create, get, list, cancel, notification), an integer or null');
    await exercise(ctx);
    for (const s of allSightings(ctx)) {
      if (s.task.ttl !== null && !Number.isInteger(s.task.ttl)) ctx.violation(`${s.source}: ttl ${s.task.ttl} is not an integer`);
    }
    ctx.see(`ttl values: ${[...new Set(allSightings(ctx).map((s) => String(s.task.ttl)))].join(', ')}`);
  },
};
