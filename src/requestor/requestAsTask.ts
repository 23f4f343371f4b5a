/**
 * Sends one request as a task (or plainly) and returns its {@link TaskHandle}. The requestor logic
 * shared by `callToolAsTask` (client → server) and `elicitAsTask` / `createMessageAsTask`
 * (server → client).
 */
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  CancelTaskResultSchema,
  CreateTaskResultSchema,
  ErrorCode,
  McpError,
  RELATED_TASK_META_KEY,
  ResultSchema,
  type Request,
} from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import { withLinkedSignal, type RequestPeer } from './peer.js';
import {
  createTaskHandle,
  immediateTaskHandle,
  type TaskHandle,
  type TaskHandleOptions,
} from './taskHandle.js';

/** How the creating request is sent (default: `peer.request`). */
export type SendRequest = (request: Request, resultSchema: typeof ResultSchema, options: RequestOptions) => Promise<unknown>;

/** Options for sending a request as a task. */
export interface RequestAsTaskOptions extends TaskHandleOptions {
  /** Whether to add `params.task` (the caller has checked the receiver's capability, R3). */
  asTask: boolean;
  /** Requested task lifetime in ms (`params.task.ttl`); the receiver may change it (R40). */
  ttl?: number;
  /** Related-task `_meta` for the creating request, when it is sent on behalf of a task (R30). */
  relatedTaskId?: string;
  /** Timeout in ms of the creating request. Default: the SDK's (60 s); it is answered at once. */
  timeout?: number;
  /**
   * Gives up on the creating request. A task-augmented request is never cancelled with
   * `notifications/cancelled` (R75): the call rejects at once, and a task created anyway is
   * cancelled with `tasks/cancel`. Once the handle exists, use `cancel()`.
   */
  signal?: AbortSignal;
  /** Progress callback; progress goes on for the task's whole life (R61). */
  onprogress?: RequestOptions['onprogress'];
  /** Sends the creating request another way (e.g. through a task's side channel). */
  send?: SendRequest;
}

/**
 * Sends `request`, with `params.task` when `options.asTask`, and returns a handle. A receiver that
 * answers with a plain result gives a handle with `returnedImmediately: true` (R20). The result
 * (plain, or later from `tasks/result`) is validated with `resultSchema`.
 */
export async function requestAsTask<S extends z.ZodType>(
  peer: RequestPeer,
  request: Request,
  resultSchema: S,
  options: RequestAsTaskOptions,
): Promise<TaskHandle<z.output<S>>> {
  const params: Record<string, unknown> = { ...(request.params ?? {}) };
  if (options.asTask) params.task = options.ttl === undefined ? {} : { ttl: options.ttl };
  if (options.relatedTaskId !== undefined) {
    const meta = (params._meta ?? {}) as Record<string, unknown>;
    params._meta = { ...meta, [RELATED_TASK_META_KEY]: { taskId: options.relatedTaskId } };
  }
  const outgoing = { method: request.method, params } as Request;
  const requestOptions: RequestOptions = {};
  if (options.timeout !== undefined) requestOptions.timeout = options.timeout;
  if (options.onprogress !== undefined) requestOptions.onprogress = options.onprogress;
  const send: SendRequest = options.send ?? ((req, schema, opts) => peer.request(req, schema, opts));
  const raw = options.asTask
    ? await createUnlessAborted(peer, send, outgoing, requestOptions, options.signal)
    : await sendWithSignal(send, outgoing, requestOptions, options.signal);

  if (options.asTask) {
    const created = CreateTaskResultSchema.safeParse(raw);
    if (created.success) return createTaskHandle(peer, created.data, resultSchema, options);
  }
  const plain = resultSchema.safeParse(raw);
  if (!plain.success) {
    throw new McpError(ErrorCode.InvalidParams, `Invalid result for ${request.method}: ${String(plain.error)}`);
  }
  return immediateTaskHandle(plain.data as z.output<S> & Record<string, unknown>);
}

function sendWithSignal(send: SendRequest, request: Request, options: RequestOptions, signal: AbortSignal | undefined): Promise<unknown> {
  return withLinkedSignal(signal, (child) => send(request, ResultSchema, child === undefined ? options : { ...options, signal: child }));
}

/**
 * Sends a task-augmented request without handing the signal to the SDK (which would send
 * `notifications/cancelled`, R75). On abort the call rejects; a task created anyway is cancelled.
 */
async function createUnlessAborted(
  peer: RequestPeer,
  send: SendRequest,
  request: Request,
  options: RequestOptions,
  signal: AbortSignal | undefined,
): Promise<unknown> {
  signal?.throwIfAborted();
  const pending = send(request, ResultSchema, options);
  if (signal === undefined) return pending;
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => undefined);
  try {
    return await Promise.race([pending, aborted]);
  } catch (error) {
    if (signal.aborted) void cancelIfCreated(peer, pending);
    throw error;
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

async function cancelIfCreated(peer: RequestPeer, pending: Promise<unknown>): Promise<void> {
  try {
    const created = CreateTaskResultSchema.safeParse(await pending);
    if (created.success) {
      await peer.request(
        { method: 'tasks/cancel', params: { taskId: created.data.task.taskId } },
        CancelTaskResultSchema,
      );
    }
  } catch {
    // best effort: the creating request failed, or the task is already terminal
  }
}
