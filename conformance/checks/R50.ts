/**
 * R50 [MUST] (tasks/result): tasks/result returns exactly what the request would have returned (result or JSON-RPC error).
 */
import { isDeepStrictEqual } from 'node:util';
import type { Check } from '../check.js';
import { type CheckContext, describe, stripMeta } from '../context.js';
import { nonce, OPTIONAL, PROTOCOL_ERROR, TOOL_ERROR } from './common.js';

export const R50: Check = {
  id: 'R50',
  keyword: 'MUST',
  section: 'tasks/result',
  title: 'tasks/result returns exactly what the request would have returned (result or JSON-RPC error)',
  needs: { tools: [OPTIONAL, TOOL_ERROR, PROTOCOL_ERROR], exact: true, plainCall: true, capabilities: ['tools.call'] },
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
