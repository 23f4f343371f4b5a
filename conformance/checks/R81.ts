/**
 * R81 [SHOULD] (Errors): a failed task has a statusMessage.
 */
import type { Check } from '../check.js';
import { type CheckContext, isTerminal } from '../context.js';
import { fixtureTakes, PROTOCOL_ERROR, TOOL_ERROR } from './common.js';

export const R81: Check = {
  id: 'R81',
  keyword: 'SHOULD',
  section: 'Errors',
  title: 'a failed task has a statusMessage',
  needs: { tools: [TOOL_ERROR], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('tasks/get of a failed task: statusMessage a non-empty string');
    const plain = fixtureTakes(ctx, PROTOCOL_ERROR, 'plain');
    // a tool error, a JSON-RPC error, and (where the fixture can) a plain exception, the internal-error case
    const cases: Array<[string, Record<string, unknown>]> = [
      [TOOL_ERROR, { message: 'r81' }],
      ...(ctx.isFixture(PROTOCOL_ERROR) ? ([[PROTOCOL_ERROR, { code: -32050, message: 'r81' }]] as Array<[string, Record<string, unknown>]>) : []),
      ...(plain ? ([[PROTOCOL_ERROR, { message: 'r81 plain', plain: true }]] as Array<[string, Record<string, unknown>]>) : []),
    ];
    let failed = 0;
    for (const [fixture, args] of cases) {
      const task = await ctx.createTask(ctx.peer, fixture, args);
      const t = await ctx.waitTerminal(ctx.peer, task.taskId);
      ctx.see(`${fixture}: status ${t.status}, statusMessage ${JSON.stringify(t.statusMessage)}`);
      if (!isTerminal(t.status) || t.status !== 'failed') {
        ctx.see(`${fixture}: the task is ${t.status}, not failed`);
        continue;
      }
      failed++;
      if (typeof t.statusMessage !== 'string' || t.statusMessage.trim() === '') ctx.violation(`${fixture}: failed task without a statusMessage`);
    }
    if (failed === 0) ctx.skip('no fixture task ended failed (see R80)');
  },
};
