/**
 * Capabilities: R1, R2, R5, R6, R87.
 */
import { ListToolsResultSchema, ServerTasksCapabilitySchema } from '@modelcontextprotocol/sdk/types.js';
import { describe } from '../context.js';
import type { Check } from '../types.js';
import type { CheckContext } from '../context.js';
import { OPTIONAL, UNKNOWN_TASK_ID } from './common.js';

const SECTION = 'Capabilities';

export const R1: Check = {
  id: 'R1',
  keyword: 'MUST',
  section: SECTION,
  title: 'a server that creates tasks declares capabilities.tasks.requests.tools.call',
  needs: { fixtures: [OPTIONAL] },
  async run(ctx: CheckContext) {
    const declared = ctx.server.capabilities.tasks?.requests?.tools?.call !== undefined;
    ctx.see(`initialize: capabilities.tasks = ${JSON.stringify(ctx.server.capabilities.tasks)}`);
    ctx.expect('a CreateTaskResult only from a server that declared capabilities.tasks.requests.tools.call');
    const outcome = await ctx.callTool(ctx.peer, OPTIONAL, { text: 'r1' }, { task: { ttl: 60_000 } });
    ctx.see(describe(outcome));
    const created = outcome.kind === 'result' && typeof outcome.result.task === 'object';
    if (created && !declared) ctx.violation('the server answered with a CreateTaskResult but did not declare the tasks capability');
  },
};

export const R2: Check = {
  id: 'R2',
  keyword: 'schema',
  section: SECTION,
  title: 'capabilities.tasks has the schema shape (every leaf an object)',
  async run(ctx: CheckContext) {
    const tasks = ctx.server.capabilities.tasks as unknown;
    ctx.see(`capabilities.tasks = ${JSON.stringify(tasks)}`);
    if (tasks === undefined) ctx.skip('the server declares no tasks capability');
    ctx.expect('tasks: { list?: {}, cancel?: {}, requests?: { tools?: { call?: {} } } } (ServerTasksCapabilitySchema)');
    const parsed = ServerTasksCapabilitySchema.safeParse(tasks);
    if (!parsed.success) ctx.violation(`capabilities.tasks does not match the SDK's ServerTasksCapabilitySchema: ${parsed.error.message}`);
    const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);
    const t = tasks as Record<string, unknown>;
    if (!isObject(t)) ctx.abort('capabilities.tasks is not an object');
    for (const key of ['list', 'cancel', 'requests'] as const) {
      if (t[key] !== undefined && !isObject(t[key])) ctx.violation(`capabilities.tasks.${key} is ${JSON.stringify(t[key])}, not an object`);
    }
    const requests = t.requests as Record<string, unknown> | undefined;
    const tools = requests?.tools;
    if (tools !== undefined && !isObject(tools)) ctx.violation('capabilities.tasks.requests.tools is not an object');
    const call = (tools as Record<string, unknown> | undefined)?.call;
    if (call !== undefined && !isObject(call)) ctx.violation('capabilities.tasks.requests.tools.call is not an object');
  },
};

export const R5: Check = {
  id: 'R5',
  keyword: 'stmt',
  section: SECTION,
  title: 'task on a request type not listed in capabilities.tasks.requests is ignored',
  needs: { capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.send('tools/list {task:{ttl:60000}}');
    ctx.expect('a normal ListToolsResult (tools/list is not listed in capabilities.tasks.requests)');
    const outcome = await ctx.peer.request('tools/list', { task: { ttl: 60_000 } }, ctx.requestTimeoutMs);
    ctx.see(describe(outcome));
    if (outcome.kind !== 'result') ctx.abort('tools/list with task did not give a result');
    if (typeof outcome.result.task === 'object') ctx.violation('tools/list with task gave a CreateTaskResult');
    else if (!ListToolsResultSchema.safeParse(outcome.result).success) ctx.violation('tools/list with task did not give a ListToolsResult');
  },
};

export const R6: Check = {
  id: 'R6',
  keyword: 'stmt',
  section: SECTION,
  title: 'tasks.list / tasks.cancel say whether tasks/list / tasks/cancel are supported',
  needs: { capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    const tasks = ctx.server.capabilities.tasks ?? {};
    ctx.send('tasks/list {}');
    const list = await ctx.peer.request('tasks/list', {}, ctx.requestTimeoutMs);
    ctx.see(`tasks/list: ${describe(list)}`);
    if (tasks.list !== undefined) {
      ctx.expect('tasks.list declared: tasks/list gives a result');
      if (list.kind !== 'result' || !Array.isArray(list.result.tasks)) ctx.violation('tasks.list is declared but tasks/list did not give a ListTasksResult');
    } else {
      ctx.expect('tasks.list not declared: tasks/list gives an error');
      if (list.kind !== 'error') ctx.violation('tasks.list is not declared but tasks/list did not fail');
    }
    ctx.send(`tasks/cancel {taskId:"${UNKNOWN_TASK_ID}"}`);
    const cancel = await ctx.peer.request('tasks/cancel', { taskId: UNKNOWN_TASK_ID }, ctx.requestTimeoutMs);
    ctx.see(`tasks/cancel: ${describe(cancel)}`);
    if (tasks.cancel !== undefined) {
      ctx.expect('tasks.cancel declared: tasks/cancel is served (unknown id → -32602, not -32601)');
      if (cancel.kind === 'error' && cancel.error.code === -32601) ctx.violation('tasks.cancel is declared but tasks/cancel is not served (-32601)');
      if (cancel.kind === 'timeout') ctx.violation('tasks/cancel did not answer');
    } else {
      ctx.expect('tasks.cancel not declared: tasks/cancel gives an error');
      if (cancel.kind !== 'error') ctx.violation('tasks.cancel is not declared but tasks/cancel did not fail');
    }
  },
};

export const R87: Check = {
  id: 'R87',
  keyword: 'SHOULD NOT',
  section: SECTION,
  title: 'a server that cannot identify requestors does not declare tasks.list',
  async run(ctx: CheckContext) {
    const list = ctx.server.capabilities.tasks?.list !== undefined;
    const identified =
      ctx.server.transport !== 'http' || ctx.server.hasCredentials || ctx.server.sessionId !== undefined;
    ctx.see(`tasks.list ${list ? 'declared' : 'not declared'}; transport ${ctx.server.transport}; credentials ${ctx.server.hasCredentials ? 'given' : 'none'}; session ${ctx.server.sessionId ?? 'none'}`);
    ctx.expect('no tasks.list when requestors cannot be told apart (HTTP without credentials and without sessions)');
    if (list && !identified) ctx.violation('tasks.list is declared although this connection has neither credentials nor a session');
  },
};

export const CAPABILITY_CHECKS: Check[] = [R1, R2, R5, R6, R87];
