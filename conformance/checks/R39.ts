/**
 * R39 [MUST] (Task fields): lastUpdatedAt is an RFC 3339 timestamp, ≥ createdAt, never going back.
 */
import type { Check } from '../check.js';
import type { CheckContext } from '../context.js';
import { exercise, OPTIONAL, RFC3339 } from './common.js';

export const R39: Check = {
  id: 'R39',
  keyword: 'MUST',
  section: 'Task fields',
  title: 'lastUpdatedAt is an RFC 3339 timestamp, ≥ createdAt, never going back',
  needs: { fixtures: [OPTIONAL], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('lastUpdatedAt parses, is not before createdAt, and does not decrease across polls');
    await exercise(ctx);
    for (const [taskId, list] of ctx.sightings) {
      let previous = -Infinity;
      for (const s of list) {
        const v = s.task.lastUpdatedAt;
        if (!RFC3339.test(v) || Number.isNaN(Date.parse(v))) {
          ctx.violation(`lastUpdatedAt ${JSON.stringify(v)} is not RFC 3339`);
          continue;
        }
        const t = Date.parse(v);
        if (t < Date.parse(s.task.createdAt)) ctx.violation(`task ${taskId}: lastUpdatedAt ${v} is before createdAt ${s.task.createdAt}`);
        if (s.source !== 'notification') {
          if (t < previous) ctx.violation(`task ${taskId}: lastUpdatedAt went back to ${v}`);
          previous = Math.max(previous, t);
        }
      }
      ctx.see(`task ${taskId}: lastUpdatedAt ${list.map((s) => s.task.lastUpdatedAt).join(' → ')}`);
    }
  },
};
