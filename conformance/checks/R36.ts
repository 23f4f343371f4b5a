/**
 * R36 [MAY] (Streamable HTTP): dropping the tasks/result stream does not cancel or fail the task.
 */
import type { Check } from '../check.js';
import { type CheckContext, describe } from '../context.js';
import { nonce, OPTIONAL } from './common.js';

export const R36: Check = {
  id: 'R36',
  keyword: 'MAY',
  section: 'Streamable HTTP',
  title: 'dropping the tasks/result stream does not cancel or fail the task',
  needs: { transport: 'http', tools: [OPTIONAL], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    const http = ctx.peer.http!;
    const text = `r36-${nonce()}`;
    ctx.expect('after the client drops its tasks/result request, the task still completes and its result is available');
    const task = await ctx.createTask(ctx.peer, OPTIONAL, { text, delayMs: 400 });
    const abort = new AbortController();
    const headers: Record<string, string> = {
      ...http.headers,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    };
    const sessionId = http.sessionId();
    const version = http.protocolVersion();
    if (sessionId) headers['mcp-session-id'] = sessionId;
    if (version) headers['mcp-protocol-version'] = version;
    ctx.send(`raw POST tasks/result ${task.taskId}, dropped after 100 ms`);
    const request = fetch(http.url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ jsonrpc: '2.0', id: `conf-r36-${nonce()}`, method: 'tasks/result', params: { taskId: task.taskId } }),
      signal: abort.signal,
    })
      .then(async (res) => {
        await res.text();
        return `HTTP ${res.status}`;
      })
      .catch((error: unknown) => (error instanceof Error && error.name === 'AbortError' ? 'aborted' : String(error)));
    await new Promise((r) => setTimeout(r, 100));
    abort.abort();
    ctx.see(`raw tasks/result: ${await request}`);
    const terminal = await ctx.waitTerminal(ctx.peer, task.taskId, 5000);
    ctx.see(`status after the drop: ${terminal.status}`);
    if (terminal.status !== 'completed') ctx.violation(`the task ended ${terminal.status} after the client dropped its stream`);
    const result = await ctx.result(ctx.peer, task.taskId);
    ctx.see(`tasks/result again: ${describe(result)}`);
    ctx.checkResultOf(result, OPTIONAL, text, 'the result is not available after the drop');
  },
};
