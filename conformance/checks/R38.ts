/**
 * R38 [MUST] (Task fields): createdAt is an RFC 3339 timestamp and never changes.
 */
import type { Check } from '../check.js';
import type { CheckContext } from '../context.js';
import { exercise, OPTIONAL, RFC3339 } from './common.js';

export const R38: Check = {
  id: 'R38',
  keyword: 'MUST',
  section: 'Task fields',
  title: 'createdAt is an RFC 3339 timestamp and never changes',
  needs: { tools: [OPTIONAL], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('createdAt on every Task (create, get, list, cancel, notification) parses and stays the same');
    await exercise(ctx);
    for (const [taskId, list] of ctx.sightings) {
      const values = new Set(list.map((s) => s.task.createdAt));
      ctx.see(`task ${taskId}: createdAt ${[...values].join(' | ')} (${list.length} sightings)`);
      for (const v of values) if (!RFC3339.test(v) || Number.isNaN(Date.parse(v))) ctx.violation(`createdAt ${JSON.stringify(v)} is not RFC 3339`);
      if (values.size > 1) ctx.violation(`task ${taskId}: createdAt changed`);
    }
  },
};
