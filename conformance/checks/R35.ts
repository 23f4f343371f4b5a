/**
 * R35 [SHOULD NOT] (Streamable HTTP): tasks/get is answered with application/json, not an SSE stream.
 */
import type { Check } from '../check.js';
import type { CheckContext } from '../context.js';
import { OPTIONAL } from './common.js';

export const R35: Check = {
  id: 'R35',
  keyword: 'SHOULD NOT',
  section: 'Streamable HTTP',
  title: 'tasks/get is answered with application/json, not an SSE stream',
  needs: { transport: 'http', tools: [OPTIONAL], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    const http = ctx.peer.http!;
    ctx.expect('Content-Type: application/json on the tasks/get POST response');
    const task = await ctx.createTask(ctx.peer, OPTIONAL, { text: 'r35' });
    const before = http.exchanges.length;
    await ctx.getTask(ctx.peer, task.taskId);
    const exchange = http.exchanges.slice(before).find((e) => e.method === 'tasks/get');
    ctx.see(`tasks/get response: HTTP ${exchange?.status} Content-Type ${JSON.stringify(exchange?.contentType)}`);
    if (!exchange) ctx.abort('no tasks/get exchange recorded', 'failure');
    if (!exchange.contentType.toLowerCase().startsWith('application/json')) ctx.violation(`tasks/get answered with ${exchange.contentType}`);
  },
};
