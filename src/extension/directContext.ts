/**
 * The `ToolContext` of a 2026-07-28 `tools/call` that runs without a task. The server makes no
 * requests of the client mid-call under 2026-07-28 (SEP-2260): input comes before the call runs (the
 * tool's `inputs`, as multi-round-trip rounds) or inside a task. Progress goes out with the call's
 * progress token, on the call's own response stream.
 */
import type { CreateMessageResult, CreateMessageResultWithTools, ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import type { ServerContext } from '@modelcontextprotocol/server';
import type { ToolContext } from '../runtime/toolContext.js';
import { MissingTasksExtensionError, NoInputWithoutTaskError } from './errors.js';
import { declaresTasks } from './requestInfo.js';

/** The context of a call that runs directly under the extension. */
export class ExtensionDirectContext implements ToolContext<ServerContext> {
  readonly task = undefined;
  readonly extra: ServerContext;
  readonly inputs: Readonly<Record<string, ElicitResult>>;
  readonly #tool: string;

  constructor(extra: ServerContext, tool: string, inputs: Readonly<Record<string, ElicitResult>>) {
    this.extra = extra;
    this.#tool = tool;
    this.inputs = inputs;
  }

  get signal(): AbortSignal {
    return this.extra.mcpReq.signal;
  }

  async reportProgress(progress: number, total?: number, message?: string): Promise<void> {
    const progressToken = this.extra.mcpReq._meta?.progressToken;
    if (progressToken === undefined) return;
    await this.extra.mcpReq.notify({
      method: 'notifications/progress',
      params: { progressToken, progress, ...(total === undefined ? {} : { total }), ...(message === undefined ? {} : { message }) },
    });
  }

  async updateStatus(): Promise<void> {
    // not a task: there is no status message
  }

  elicit(): Promise<ElicitResult> {
    return this.#refuse();
  }

  elicitUrl(): Promise<ElicitResult> {
    return this.#refuse();
  }

  createMessage(): Promise<CreateMessageResult | CreateMessageResultWithTools> {
    return this.#refuse();
  }

  async #refuse(): Promise<never> {
    if (!declaresTasks(this.extra)) throw new MissingTasksExtensionError(`tool ${this.#tool} (it asks the client for input)`);
    throw new NoInputWithoutTaskError(this.#tool);
  }
}
