/** The `ToolContext` of a `tools/call` that does not run as a task: plain requests on the call's own stream. */
import {
  ElicitResultSchema,
  type ClientCapabilities,
  type CreateMessageResult,
  type CreateMessageResultWithTools,
  type ElicitResult,
} from '@modelcontextprotocol/sdk/types.js';
import { assertClientCapability } from '../runtime/capabilities.js';
import type { CreateMessageParams, ElicitRequestedSchema } from '../runtime/toolContext.js';
import { createMessageResultSchema } from '../runtime/answers.js';
import type { ServerRequestExtra } from './scope.js';
import type { ServerToolContext } from './serverTaskContext.js';

/** The context of a call that runs directly. */
export class DirectToolContext implements ServerToolContext {
  readonly task = undefined;
  readonly extra: ServerRequestExtra;
  readonly inputs: Readonly<Record<string, ElicitResult>>;
  readonly #clientCapabilities: () => ClientCapabilities | undefined;

  constructor(extra: ServerRequestExtra, clientCapabilities: () => ClientCapabilities | undefined, inputs: Readonly<Record<string, ElicitResult>> = {}) {
    this.extra = extra;
    this.inputs = inputs;
    this.#clientCapabilities = clientCapabilities;
  }

  get signal(): AbortSignal {
    return this.extra.signal;
  }

  async reportProgress(progress: number, total?: number, message?: string): Promise<void> {
    const progressToken = this.extra._meta?.progressToken;
    if (progressToken === undefined) return;
    await this.extra.sendNotification({
      method: 'notifications/progress',
      params: { progressToken, progress, ...(total === undefined ? {} : { total }), ...(message === undefined ? {} : { message }) },
    });
  }

  async updateStatus(): Promise<void> {
    // not a task: there is no status message
  }

  async elicit(message: string, requestedSchema: ElicitRequestedSchema): Promise<ElicitResult> {
    assertClientCapability(this.#clientCapabilities(), 'elicitation/create');
    return this.extra.sendRequest({ method: 'elicitation/create', params: { message, requestedSchema } }, ElicitResultSchema);
  }

  async elicitUrl(message: string, url: string, elicitationId: string): Promise<ElicitResult> {
    assertClientCapability(this.#clientCapabilities(), 'elicitation/create#url');
    return this.extra.sendRequest({ method: 'elicitation/create', params: { mode: 'url', message, url, elicitationId } }, ElicitResultSchema);
  }

  async createMessage(params: CreateMessageParams): Promise<CreateMessageResult | CreateMessageResultWithTools> {
    assertClientCapability(this.#clientCapabilities(), params.tools ? 'sampling/createMessage#tools' : 'sampling/createMessage');
    return this.extra.sendRequest({ method: 'sampling/createMessage', params }, createMessageResultSchema(params));
  }
}
