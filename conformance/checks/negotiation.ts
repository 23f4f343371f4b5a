/**
 * Tool-level negotiation and graceful degradation: R7, R10, R11, R13, R20, R21.
 */
import { CallToolResultSchema, ListToolsResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { describe, firstText } from '../context.js';
import type { Check } from '../types.js';
import type { CheckContext } from '../context.js';
import { FORBIDDEN, OPTIONAL, REQUIRED } from './common.js';

const SECTION = 'Tool negotiation';

export const R7: Check = {
  id: 'R7',
  keyword: 'schema',
  section: SECTION,
  title: 'tools/list: execution.taskSupport is forbidden, optional or required',
  async run(ctx: CheckContext) {
    if (!ctx.server.capabilities.tools) ctx.skip('the server declares no tools capability');
    ctx.send('tools/list');
    const outcome = await ctx.peer.request('tools/list', {}, ctx.requestTimeoutMs);
    ctx.see(describe(outcome));
    ctx.expect('a ListToolsResult whose tools have execution.taskSupport absent or one of forbidden/optional/required');
    if (outcome.kind !== 'result') ctx.abort('tools/list failed');
    const parsed = ListToolsResultSchema.safeParse(outcome.result);
    if (!parsed.success) ctx.violation(`tools/list result fails ListToolsResultSchema: ${parsed.error.message}`);
    const tools = (outcome.result.tools as Array<{ name?: string; execution?: { taskSupport?: unknown } }>) ?? [];
    for (const tool of tools) {
      const support = tool.execution?.taskSupport;
      if (support !== undefined && !['forbidden', 'optional', 'required'].includes(support as string)) {
        ctx.violation(`tool ${tool.name}: execution.taskSupport = ${JSON.stringify(support)}`);
      }
    }
    for (const [name, problem] of ctx.server.fixtureProblems) ctx.see(`fixture ${name} ${problem} (treated as absent)`);
  },
};

export const R10: Check = {
  id: 'R10',
  keyword: 'SHOULD',
  section: SECTION,
  title: 'task sent to a forbidden tool → JSON-RPC error -32601',
  needs: { fixtures: [FORBIDDEN], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('JSON-RPC error -32601 (a CreateTaskResult is a failure; anything else a warning)');
    const outcome = await ctx.callTool(ctx.peer, FORBIDDEN, { text: 'r10' }, { task: { ttl: 60_000 } });
    ctx.see(describe(outcome));
    if (outcome.kind === 'error') {
      if (outcome.error.code !== -32601) ctx.violation(`error code ${outcome.error.code} instead of -32601`);
      return;
    }
    if (outcome.kind === 'result' && typeof outcome.result.task === 'object') {
      ctx.violation('the server created a task for a forbidden tool', 'failure');
      return;
    }
    if (outcome.kind === 'result') ctx.violation('the server ran the forbidden tool and returned a CallToolResult instead of error -32601');
    else ctx.violation(`no answer: ${describe(outcome)}`);
  },
};

export const R13: Check = {
  id: 'R13',
  keyword: 'MUST',
  section: SECTION,
  title: 'required tool called without task → JSON-RPC error -32601',
  needs: { fixtures: [REQUIRED] },
  async run(ctx: CheckContext) {
    ctx.expect('JSON-RPC error -32601 (not a CallToolResult with isError:true)');
    const outcome = await ctx.callTool(ctx.peer, REQUIRED, { text: 'r13' });
    ctx.see(describe(outcome));
    if (outcome.kind === 'error') {
      if (outcome.error.code !== -32601) ctx.violation(`error code ${outcome.error.code} instead of -32601`);
      return;
    }
    if (outcome.kind === 'result' && outcome.result.isError === true) {
      ctx.violation('a CallToolResult with isError:true instead of JSON-RPC error -32601 (cf. TS SDK F1)');
    } else if (outcome.kind === 'result') {
      ctx.violation('the required tool ran without a task');
    } else {
      ctx.violation(`no answer: ${describe(outcome)}`);
    }
  },
};

export const R11: Check = {
  id: 'R11',
  keyword: 'MAY',
  section: SECTION,
  title: 'optional tool: accepted both as a task and as a normal call',
  needs: { fixtures: [OPTIONAL], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('with task: a CreateTaskResult; without: a CallToolResult with the text');
    const withTask = await ctx.callTool(ctx.peer, OPTIONAL, { text: 'r11-task' }, { task: { ttl: 60_000 } });
    ctx.see(`with task: ${describe(withTask)}`);
    if (withTask.kind !== 'result' || typeof withTask.result.task !== 'object') ctx.violation('a task-augmented call of an optional tool did not create a task');
    const plain = await ctx.callTool(ctx.peer, OPTIONAL, { text: 'r11-plain' });
    ctx.see(`without task: ${describe(plain)}`);
    if (plain.kind !== 'result' || !CallToolResultSchema.safeParse(plain.result).success || firstText(plain.result) !== 'r11-plain') {
      ctx.violation('a plain call of an optional tool did not return its CallToolResult');
    }
  },
};

export const R20: Check = {
  id: 'R20',
  keyword: 'MUST',
  section: SECTION,
  title: 'task on a request type without declared task support is ignored (processed normally)',
  async run(ctx: CheckContext) {
    const declared = ctx.server.capabilities.tasks?.requests?.tools?.call !== undefined;
    if (!declared) {
      const tool = ctx.server.fixtures.has(FORBIDDEN) ? FORBIDDEN : ctx.server.fixtures.has(OPTIONAL) ? OPTIONAL : undefined;
      if (!tool) ctx.skip('server lacks tasks.requests.tools.call and has no forbidden/optional fixture to call');
      ctx.expect('tools/call with task to a server without tasks.requests.tools.call: a normal CallToolResult');
      const outcome = await ctx.callTool(ctx.peer, tool, { text: 'r20' }, { task: { ttl: 1000 } });
      ctx.see(describe(outcome));
      if (outcome.kind !== 'result' || typeof outcome.result.task === 'object' || firstText(outcome.result) !== 'r20') {
        ctx.violation('the task metadata was not ignored');
      }
      return;
    }
    ctx.send('ping {task:{ttl:1000}}');
    ctx.expect('ping (no task support declared for it) with task: a normal empty result');
    const outcome = await ctx.peer.request('ping', { task: { ttl: 1000 } }, ctx.requestTimeoutMs);
    ctx.see(describe(outcome));
    if (outcome.kind !== 'result') ctx.violation('ping with task metadata failed');
    else if (typeof outcome.result.task === 'object') ctx.violation('ping with task metadata created a task');
  },
};

export const R21: Check = {
  id: 'R21',
  keyword: 'MAY',
  section: SECTION,
  title: 'plain call of an optional tool: a normal result or -32600',
  needs: { fixtures: [OPTIONAL], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('a CallToolResult, or JSON-RPC error -32600 if the server requires tasks for tools/call');
    const outcome = await ctx.callTool(ctx.peer, OPTIONAL, { text: 'r21' });
    ctx.see(describe(outcome));
    if (outcome.kind === 'error' && outcome.error.code === -32600) return;
    if (outcome.kind === 'result' && CallToolResultSchema.safeParse(outcome.result).success && typeof outcome.result.task !== 'object') return;
    ctx.violation('neither a CallToolResult nor -32600');
  },
};

export const NEGOTIATION_CHECKS: Check[] = [R7, R10, R13, R11, R20, R21];
