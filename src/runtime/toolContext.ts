/**
 * `ToolContext`: what a tool handler receives, whether the call runs as a task or not, and whichever
 * wire revision carries it. In a task, requests to the client travel the way the revision says
 * (2025-11-25: queued for `tasks/result`) and progress follows the task.
 */
import type {
  CreateMessageRequest,
  CreateMessageResult,
  CreateMessageResultWithTools,
  ElicitRequestFormParams,
  ElicitResult,
  Task,
} from '@modelcontextprotocol/sdk/types.js';
import type { TaskScope } from '../core/taskStore.js';

/** Parameters of a sampling request made from a tool (without `task`). */
export type CreateMessageParams = Omit<CreateMessageRequest['params'], 'task'>;

/** The requested schema of a form elicitation. */
export type ElicitRequestedSchema = ElicitRequestFormParams['requestedSchema'];

/** What a tool handler receives; `Extra` is the binding's per-request information (the SDK's `extra`). */
export interface ToolContext<Extra = unknown> {
  /** Aborted when the call is cancelled: `tasks/cancel`, TTL expiry or shutdown for a task; the request's cancellation otherwise. */
  readonly signal: AbortSignal;
  /** The task this call runs as, when it runs as one (a `TaskContext`). */
  readonly task: ToolTaskContext<Extra> | undefined;
  /** The binding's information on the request (for a task: on the request that created it). */
  readonly extra: Extra;
  /** The answers to the tool's `inputs` (asked before it ran), by key; `{}` for a tool without. */
  readonly inputs: Readonly<Record<string, ElicitResult>>;
  /** Reports progress (where the revision carries progress for this call); a message also becomes the task's status message. */
  reportProgress(progress: number, total?: number, message?: string): Promise<void>;
  /** Sets the task's `statusMessage`; does nothing outside a task. */
  updateStatus(message: string): Promise<void>;
  /** Asks the user for input through a form (`elicitation/create`). Needs the client's `elicitation` capability. */
  elicit(message: string, requestedSchema: ElicitRequestedSchema): Promise<ElicitResult>;
  /** Asks the user to visit a URL (`elicitation/create`, mode `url`). Needs the client's `elicitation.url` capability. */
  elicitUrl(message: string, url: string, elicitationId: string): Promise<ElicitResult>;
  /** Asks the client to sample an LLM (`sampling/createMessage`). Needs the client's `sampling` capability. */
  createMessage(params: CreateMessageParams): Promise<CreateMessageResult | CreateMessageResultWithTools>;
}

/** The `ToolContext` of a call that runs as a task: the same, plus the task. */
export interface ToolTaskContext<Extra = unknown> extends ToolContext<Extra> {
  /** The task as it was created. */
  readonly initialTask: Task;
  readonly taskId: string;
  /** The requestor's owner scope. */
  readonly scope: TaskScope;
  /** True once the task was cancelled (or expired, or the server shut down). */
  readonly isCancelled: boolean;
  /** True once the work has ended. */
  readonly ended: boolean;
}
