/**
 * `ToolContext`: what a tool handler receives. The same API whether the call runs as a task or
 * not; in a task, side-channel requests are queued for `tasks/result` and progress follows the task.
 */
import {
  CreateMessageResultSchema,
  CreateMessageResultWithToolsSchema,
  ElicitResultSchema,
  type CreateMessageRequest,
  type CreateMessageResult,
  type CreateMessageResultWithTools,
  type ElicitRequestFormParams,
  type ElicitResult,
  type ClientCapabilities,
} from '@modelcontextprotocol/sdk/types.js';
import { CapabilityMissingError } from '../core/errors.js';
import type { ServerRequestExtra } from './scope.js';
import type { ServerTaskContext } from './taskContext.js';

/** Parameters of a sampling request made from a tool (the SDK's, without `task`). */
export type CreateMessageParams = Omit<CreateMessageRequest['params'], 'task'>;

/** The requested schema of a form elicitation. */
export type ElicitRequestedSchema = ElicitRequestFormParams['requestedSchema'];

/** What a tool handler receives. */
export interface ToolContext {
  /** Aborted when the call is cancelled: `tasks/cancel`, TTL expiry or shutdown for a task; `notifications/cancelled` otherwise. */
  readonly signal: AbortSignal;
  /** The task this call runs as, when it was called with `task`. */
  readonly task: ServerTaskContext | undefined;
  /** The `extra` of the `tools/call` request (for a task: of the request that created it). */
  readonly extra: ServerRequestExtra;
  /** Sends `notifications/progress` with the request's progress token (if it has one); a message also becomes the task's status message. */
  reportProgress(progress: number, total?: number, message?: string): Promise<void>;
  /** Sets the task's `statusMessage` (and notifies); does nothing outside a task. */
  updateStatus(message: string): Promise<void>;
  /** Asks the user for input through a form (`elicitation/create`). Needs the client's `elicitation` capability. */
  elicit(message: string, requestedSchema: ElicitRequestedSchema): Promise<ElicitResult>;
  /** Asks the user to visit a URL (`elicitation/create`, mode `url`). Needs the client's `elicitation.url` capability. */
  elicitUrl(message: string, url: string, elicitationId: string): Promise<ElicitResult>;
  /** Asks the client to sample an LLM (`sampling/createMessage`). Needs the client's `sampling` capability. */
  createMessage(params: CreateMessageParams): Promise<CreateMessageResult | CreateMessageResultWithTools>;
}

/**
 * Throws {@link CapabilityMissingError} unless the client declared what `method` needs. Unknown
 * capabilities (`undefined`: this server instance never saw `initialize`, as in stateless
 * Streamable HTTP where every request has a fresh server) cannot be checked and pass.
 */
export function assertClientCapability(
  capabilities: ClientCapabilities | undefined,
  method: 'elicitation/create' | 'elicitation/create#url' | 'sampling/createMessage' | 'sampling/createMessage#tools',
): void {
  if (capabilities === undefined) return;
  const missing = {
    'elicitation/create': !capabilities?.elicitation,
    'elicitation/create#url': !capabilities?.elicitation?.url,
    'sampling/createMessage': !capabilities?.sampling,
    'sampling/createMessage#tools': !capabilities?.sampling?.tools,
  }[method];
  if (missing) {
    const what = {
      'elicitation/create': 'elicitation',
      'elicitation/create#url': 'URL elicitation (elicitation.url)',
      'sampling/createMessage': 'sampling',
      'sampling/createMessage#tools': 'sampling with tools (sampling.tools)',
    }[method];
    throw new CapabilityMissingError(`Client does not support ${what}: it did not declare the capability`);
  }
}

/** The schema a sampling answer must satisfy. */
export function createMessageResultSchema(params: CreateMessageParams) {
  return params.tools ? CreateMessageResultWithToolsSchema : CreateMessageResultSchema;
}

/** The {@link ToolContext} of a call that does not run as a task: plain requests on the call's stream. */
export class DirectToolContext implements ToolContext {
  readonly task = undefined;
  readonly extra: ServerRequestExtra;
  readonly #clientCapabilities: () => ClientCapabilities | undefined;

  constructor(extra: ServerRequestExtra, clientCapabilities: () => ClientCapabilities | undefined) {
    this.extra = extra;
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
      params: {
        progressToken,
        progress,
        ...(total === undefined ? {} : { total }),
        ...(message === undefined ? {} : { message }),
      },
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
    return this.extra.sendRequest(
      { method: 'elicitation/create', params: { mode: 'url', message, url, elicitationId } },
      ElicitResultSchema,
    );
  }

  async createMessage(params: CreateMessageParams): Promise<CreateMessageResult | CreateMessageResultWithTools> {
    assertClientCapability(this.#clientCapabilities(), params.tools ? 'sampling/createMessage#tools' : 'sampling/createMessage');
    return this.extra.sendRequest({ method: 'sampling/createMessage', params }, createMessageResultSchema(params));
  }
}
