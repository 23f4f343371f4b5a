/**
 * The v2 SDK `Server` that can answer a `tools/call` with a `CreateTaskResult`. The SDK's
 * `tools/call` wrapper (its documented `_wrapHandler` hook) normalizes every non-`input_required`
 * result as a `CallToolResult` (adding `content: []`) and validates it as one; a task result is not
 * one. This subclass lets a task result by that wrapper unchanged and keeps its checks for every
 * other result. Pinned by spec/extension/sdkReliance.test.ts.
 */
import { Server, type JSONRPCRequest, type Result, type ServerContext } from '@modelcontextprotocol/server';

type Handler = (request: JSONRPCRequest, ctx: ServerContext) => Promise<Result>;

/** Carries a task result past the SDK's `tools/call` result checks. */
class TaskResultPassage {
  constructor(readonly result: Result) {}
}

/** Whether a handler's result is a `CreateTaskResult`. */
function isTaskResult(result: Result): boolean {
  return (result as { resultType?: unknown }).resultType === 'task';
}

/** A v2 `Server` whose `tools/call` may answer with a task. */
export class TasksServer extends Server {
  protected override _wrapHandler(method: string, handler: Handler): Handler {
    if (method !== 'tools/call') return super._wrapHandler(method, handler);
    const checked = super._wrapHandler(method, async (request, ctx) => {
      const result = await handler(request, ctx);
      if (isTaskResult(result)) throw new TaskResultPassage(result);
      return result;
    });
    return async (request, ctx) => {
      try {
        return await checked(request, ctx);
      } catch (passage) {
        if (passage instanceof TaskResultPassage) return passage.result;
        throw passage;
      }
    };
  }
}
