/**
 * tasks/result: R48, R49, R50, R51.
 */
import { isDeepStrictEqual } from 'node:util';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import type { Check } from '../types.js';
import type { CheckContext } from '../context.js';
import { describe, firstText, isTerminal, stripMeta } from '../context.js';
import { HOLD, LONG_HOLD_MS, nonce, OPTIONAL, PROTOCOL_ERROR, relatedTaskId, TOOL_ERROR } from './common.js';

const SECTION = 'tasks/result';

export const R48: Check = {
  id: 'R48',
  keyword: 'MUST',
  section: SECTION,
  title: 'tasks/result on a terminal task returns the final result',
  needs: { fixtures: [OPTIONAL], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    const text = `r48-${nonce()}`;
    ctx.expect(`a CallToolResult with the text "${text}"; for a cancelled task, an answer (result or error) rather than none`);
    const task = await ctx.createTask(ctx.peer, OPTIONAL, { text });
    const terminal = await ctx.waitTerminal(ctx.peer, task.taskId);
    ctx.send(`tasks/result ${task.taskId} (status ${terminal.status})`);
    const outcome = await ctx.result(ctx.peer, task.taskId);
    ctx.see(describe(outcome));
    if (outcome.kind !== 'result') ctx.violation('no success result for a completed task');
    else if (!CallToolResultSchema.safeParse(outcome.result).success || firstText(outcome.result) !== text) {
      ctx.violation('the result is not the tool\'s CallToolResult');
    }
    if (ctx.server.fixtures.has(HOLD) && ctx.server.capabilities.tasks?.cancel !== undefined) {
      const held = await ctx.createTask(ctx.peer, HOLD, { holdMs: LONG_HOLD_MS });
      await ctx.cancel(ctx.peer, held.taskId);
      const after = await ctx.result(ctx.peer, held.taskId, 3000);
      ctx.see(`tasks/result on a cancelled task: ${describe(after)}`);
      if (after.kind === 'timeout' || after.kind === 'closed') ctx.violation('tasks/result on a cancelled (terminal) task did not answer');
    }
  },
};

export const R49: Check = {
  id: 'R49',
  keyword: 'MUST',
  section: SECTION,
  title: 'tasks/result on a working task blocks until the task is terminal',
  needs: { fixtures: [OPTIONAL], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    const text = `r49-${nonce()}`;
    ctx.expect('tasks/result sent while the task works answers only once it is terminal, with the result');
    const task = await ctx.createTask(ctx.peer, OPTIONAL, { text, delayMs: 400 });
    ctx.send(`tasks/result ${task.taskId} right after creation`);
    const outcome = await ctx.result(ctx.peer, task.taskId, 5000);
    const after = await ctx.getTask(ctx.peer, task.taskId);
    ctx.see(`tasks/result: ${describe(outcome)}; tasks/get right after: ${after.status}`);
    if (!isTerminal(after.status)) ctx.violation(`tasks/result answered while the task was still ${after.status}`);
    if (outcome.kind !== 'result' || firstText(outcome.result) !== text) ctx.violation('tasks/result did not return the result once the task completed');
    if (ctx.server.fixtures.has(HOLD) && ctx.server.capabilities.tasks?.cancel !== undefined) {
      const held = await ctx.createTask(ctx.peer, HOLD, { holdMs: LONG_HOLD_MS });
      const pending = ctx.result(ctx.peer, held.taskId, 4000);
      await ctx.getTask(ctx.peer, held.taskId);
      await ctx.cancel(ctx.peer, held.taskId);
      const answered = await pending;
      ctx.see(`tasks/result pending while the task was cancelled: ${describe(answered)}`);
      if (answered.kind === 'timeout' || answered.kind === 'closed') ctx.violation('a blocked tasks/result did not answer when the task was cancelled');
    }
  },
};

export const R50: Check = {
  id: 'R50',
  keyword: 'MUST',
  section: SECTION,
  title: 'tasks/result returns exactly what the request would have returned (result or JSON-RPC error)',
  needs: { fixtures: [OPTIONAL, TOOL_ERROR, PROTOCOL_ERROR], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    const peer = ctx.peer;
    ctx.expect('the same payload as the plain call: the same CallToolResult, isError:true included, or the same JSON-RPC error (code, message, data)');
    // 1. protocol error
    const args = { code: -32050, message: `r50-${nonce()}` };
    const plainErr = await ctx.callTool(peer, PROTOCOL_ERROR, args);
    ctx.see(`plain ${PROTOCOL_ERROR}: ${describe(plainErr)}`);
    const errTask = await ctx.createTask(peer, PROTOCOL_ERROR, args);
    const errResult = await ctx.result(peer, errTask.taskId, 5000);
    ctx.see(`tasks/result: ${describe(errResult)}`);
    if (plainErr.kind !== 'error') {
      ctx.violation(`${PROTOCOL_ERROR} does not fail with a JSON-RPC error even as a plain call, so the server cannot pass a JSON-RPC error through tasks/result`);
    }
    if (errResult.kind !== 'error') {
      ctx.violation('tasks/result of a request that failed with a JSON-RPC error did not return a JSON-RPC error');
    } else if (plainErr.kind === 'error') {
      if (errResult.error.code !== plainErr.error.code) ctx.violation(`error code ${errResult.error.code}, the plain call gave ${plainErr.error.code}`);
      if (errResult.error.message !== plainErr.error.message) ctx.violation('error message differs from the plain call\'s');
      if (!isDeepStrictEqual(errResult.error.data, plainErr.error.data)) ctx.violation('error data differs from the plain call\'s');
    } else {
      if (errResult.error.code !== args.code) ctx.violation(`error code ${errResult.error.code} instead of ${args.code}`);
      if (!isDeepStrictEqual(errResult.error.data, { fixture: true })) ctx.violation('error data is not { fixture: true }');
    }
    // 2. tool error (isError: true)
    const toolArgs = { message: `r50-tool-${nonce()}` };
    const plainTool = await ctx.callTool(peer, TOOL_ERROR, toolArgs);
    ctx.see(`plain ${TOOL_ERROR}: ${describe(plainTool)}`);
    const toolTask = await ctx.createTask(peer, TOOL_ERROR, toolArgs);
    const toolResult = await ctx.result(peer, toolTask.taskId, 5000);
    ctx.see(`tasks/result: ${describe(toolResult)}`);
    if (toolResult.kind !== 'result') ctx.violation('tasks/result of an isError:true tool result is not a success response');
    else {
      if (toolResult.result.isError !== true) ctx.violation('tasks/result lost isError:true');
      if (plainTool.kind === 'result' && !isDeepStrictEqual(stripMeta(toolResult.result), stripMeta(plainTool.result))) {
        ctx.violation('the isError result differs from the plain call\'s');
      }
    }
    // 3. success
    const okArgs = { text: `r50-ok-${nonce()}` };
    const plainOk = await ctx.callTool(peer, OPTIONAL, okArgs);
    const okTask = await ctx.createTask(peer, OPTIONAL, okArgs);
    const okResult = await ctx.result(peer, okTask.taskId, 5000);
    ctx.see(`plain: ${describe(plainOk)}; tasks/result: ${describe(okResult)}`);
    if (okResult.kind !== 'result') ctx.violation('no success result');
    else if (plainOk.kind === 'result' && !isDeepStrictEqual(stripMeta(okResult.result), stripMeta(plainOk.result))) {
      ctx.violation('the result differs from the plain call\'s');
    }
  },
};

export const R51: Check = {
  id: 'R51',
  keyword: 'MUST',
  section: SECTION,
  title: 'tasks/result success carries related-task _meta',
  needs: { fixtures: [OPTIONAL], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.expect('result._meta["io.modelcontextprotocol/related-task"].taskId == the task id');
    const task = await ctx.createTask(ctx.peer, OPTIONAL, { text: 'r51' });
    const outcome = await ctx.result(ctx.peer, task.taskId, 5000);
    ctx.see(describe(outcome));
    if (outcome.kind !== 'result') ctx.abort('no success result');
    const related = relatedTaskId(outcome.result._meta);
    if (related !== task.taskId) ctx.violation(`related-task taskId is ${JSON.stringify(related)}, expected ${task.taskId}`);
  },
};

export const RESULT_CHECKS: Check[] = [R48, R49, R50, R51];
