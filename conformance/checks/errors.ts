/**
 * Error handling: R70, R76, R80, R81.
 */
import type { Check } from '../types.js';
import type { CheckContext } from '../context.js';
import { describe, isTerminal } from '../context.js';
import { PROTOCOL_ERROR, TOOL_ERROR, UNKNOWN_TASK_ID } from './common.js';

const SECTION = 'Errors';
const STANDARD = new Set([-32700, -32600, -32601, -32602, -32603]);

export const R70: Check = {
  id: 'R70',
  keyword: 'MUST',
  section: SECTION,
  title: 'unknown or missing taskId in tasks/get, tasks/result, tasks/cancel → -32602',
  needs: { capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('JSON-RPC error -32602 for each');
    const methods = ['tasks/get', 'tasks/result', ...(ctx.server.capabilities.tasks?.cancel !== undefined ? ['tasks/cancel'] : [])];
    for (const method of methods) {
      for (const params of [{ taskId: UNKNOWN_TASK_ID }, {}]) {
        ctx.send(`${method} ${JSON.stringify(params)}`);
        const outcome = await ctx.peer.request(method, params, 3000);
        ctx.see(`${method} ${JSON.stringify(params)}: ${describe(outcome)}`);
        if (outcome.kind !== 'error' || outcome.error.code !== -32602) ctx.violation(`${method} ${JSON.stringify(params)} did not give -32602`);
      }
    }
  },
};

export const R76: Check = {
  id: 'R76',
  keyword: 'MUST',
  section: SECTION,
  title: 'malformed tasks/* requests get a JSON-RPC error with a standard code, and the server keeps serving',
  needs: { capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('an error response (-32600…-32603, -32602 expected for bad params) for each, never silence or a crash; ping still answers');
    const cases: Array<[string, unknown]> = [
      ['tasks/get', { taskId: 42 }],
      ['tasks/get', { taskId: null }],
      ['tasks/result', { taskId: { nested: true } }],
      ['tasks/get', { taskId: 'x'.repeat(10_000) }],
    ];
    if (ctx.server.capabilities.tasks?.list !== undefined) cases.push(['tasks/list', { cursor: 7 }]);
    for (const [method, params] of cases) {
      const outcome = await ctx.peer.request(method, params, 3000);
      ctx.see(`${method} ${JSON.stringify(params).slice(0, 60)}: ${describe(outcome)}`);
      if (outcome.kind !== 'error') ctx.violation(`${method} with malformed params did not give an error`);
      else if (!STANDARD.has(outcome.error.code) && !(outcome.error.code <= -32000 && outcome.error.code >= -32099)) {
        ctx.violation(`${method}: error code ${outcome.error.code} is not a JSON-RPC error code`);
      }
    }
    const ping = await ctx.peer.request('ping', {}, 3000);
    ctx.see(`ping: ${describe(ping)}`);
    if (ping.kind !== 'result') ctx.violation('the server stopped answering');
  },
};

export const R80: Check = {
  id: 'R80',
  keyword: 'SHOULD',
  section: SECTION,
  title: 'a tool result with isError:true makes the task failed (tasks/result still a success)',
  needs: { fixtures: [TOOL_ERROR], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('tasks/get status failed; tasks/result a success response with isError:true');
    const task = await ctx.createTask(ctx.peer, TOOL_ERROR, { message: 'r80' });
    const terminal = await ctx.waitTerminal(ctx.peer, task.taskId);
    ctx.see(`status ${terminal.status}`);
    if (terminal.status !== 'failed') ctx.violation(`an isError:true result left the task ${terminal.status}`);
    const outcome = await ctx.result(ctx.peer, task.taskId);
    ctx.see(`tasks/result: ${describe(outcome)}`);
    if (outcome.kind !== 'result' || outcome.result.isError !== true) ctx.violation('tasks/result is not a success response with isError:true', 'failure');
  },
};

export const R81: Check = {
  id: 'R81',
  keyword: 'SHOULD',
  section: SECTION,
  title: 'a failed task has a statusMessage',
  needs: { fixtures: [TOOL_ERROR], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('tasks/get of a failed task: statusMessage a non-empty string');
    const fixtures = [TOOL_ERROR, ...(ctx.server.fixtures.has(PROTOCOL_ERROR) ? [PROTOCOL_ERROR] : [])];
    let failed = 0;
    for (const fixture of fixtures) {
      const args = fixture === TOOL_ERROR ? { message: 'r81' } : { code: -32050, message: 'r81' };
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

export const ERROR_CHECKS: Check[] = [R70, R76, R80, R81];
