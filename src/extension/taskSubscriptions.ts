/**
 * `subscriptions/listen` with `notifications.taskIds` (SEP-2663): an SSE stream that acknowledges
 * the task ids it accepted (the requestor's own, known ones), then sends `notifications/tasks` with
 * the full DetailedTask — what `tasks/get` would say at that moment — for each accepted task, now
 * and on every change (made by any process: the store is followed), and ends with the empty
 * `subscriptions/listen` result once every accepted task is terminal, or when the client goes away.
 *
 * The v2 SDK serves `subscriptions/listen` itself, with a filter schema that knows only its own
 * notification types (it drops `taskIds`), so a listen request naming `taskIds` is served here, in
 * front of the SDK's handler; every other listen request goes to the SDK unchanged.
 */
import { PROTOCOL_VERSION_META_KEY, SUBSCRIPTION_ID_META_KEY } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { toJsonRpcError } from '../core/errors.js';
import { isTerminal } from '../core/status.js';
import type { TaskScope } from '../core/taskStore.js';
import { zodErrorText } from '../core/zodErrorText.js';
import type { TaskSupport } from '../runtime/taskSupport.js';
import { MissingTasksExtensionError } from './errors.js';
import { envelopeCapabilities, includesTasks } from './requestInfo.js';
import type { ExtensionTaskRequests } from './taskRequests.js';
import { MISSING_CLIENT_CAPABILITY } from './wire.js';

/** Most task ids one listen request may name. */
export const MAX_LISTEN_TASK_IDS = 100;

const ListenSchema = z.object({
  jsonrpc: z.literal('2.0'),
  id: z.union([z.string(), z.number()]),
  method: z.literal('subscriptions/listen'),
  params: z.looseObject({
    notifications: z.looseObject({ taskIds: z.array(z.string()).max(MAX_LISTEN_TASK_IDS) }),
    _meta: z.record(z.string(), z.unknown()).optional(),
  }),
});

type Listen = z.output<typeof ListenSchema>;

/** Whether a parsed POST body is a listen request naming task ids (served here, not by the SDK). */
export function isTaskListen(body: unknown): boolean {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return false;
  const message = body as { method?: unknown; params?: { notifications?: { taskIds?: unknown } } };
  return message.method === 'subscriptions/listen' && message.params?.notifications?.taskIds !== undefined;
}

/** Serves task subscriptions over the shared runtime. */
export class TaskSubscriptions {
  readonly #support: TaskSupport;
  readonly #requests: ExtensionTaskRequests;
  readonly #open = new Set<AbortController>();

  constructor(support: TaskSupport, requests: ExtensionTaskRequests) {
    this.#support = support;
    this.#requests = requests;
  }

  /** How many subscription streams are open. */
  get openCount(): number {
    return this.#open.size;
  }

  /** Answers one listen request of `scope`: an SSE stream, or a JSON-RPC error. */
  async serve(body: unknown, scope: TaskScope, signal: AbortSignal): Promise<Response> {
    const parsed = ListenSchema.safeParse(body);
    const id = (body as { id?: unknown }).id ?? null;
    if (!parsed.success) return jsonError(400, id, -32602, `Invalid params for subscriptions/listen: ${zodErrorText(parsed.error)}`);
    const listen = parsed.data;
    if (listen.params._meta?.[PROTOCOL_VERSION_META_KEY] === undefined) {
      return jsonError(400, listen.id, -32602, `Invalid params for subscriptions/listen: the _meta envelope (${PROTOCOL_VERSION_META_KEY}) is required`);
    }
    if (!includesTasks(envelopeCapabilities(listen.params._meta))) {
      const error = new MissingTasksExtensionError('subscriptions/listen with notifications.taskIds').toJsonRpc();
      return jsonError(400, listen.id, MISSING_CLIENT_CAPABILITY, error.message, error.data);
    }
    const accepted: string[] = [];
    for (const taskId of new Set(listen.params.notifications.taskIds)) {
      if ((await this.#support.store.getTask(taskId, scope)) !== null) accepted.push(taskId);
    }
    return new Response(this.#stream(listen, accepted, scope, signal), {
      status: 200,
      headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
    });
  }

  /** Ends every open stream with its final result, as when its tasks have ended. */
  close(): void {
    for (const controller of this.#open) controller.abort();
  }

  #stream(listen: Listen, taskIds: string[], scope: TaskScope, signal: AbortSignal): ReadableStream<Uint8Array> {
    const stop = new AbortController();
    const onAbort = (): void => {
      gone = true;
      stop.abort();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    this.#open.add(stop);
    const encoder = new TextEncoder();
    const stamp = { [SUBSCRIPTION_ID_META_KEY]: listen.id };
    let out: ReadableStreamDefaultController<Uint8Array>;
    // `stop` ends the watches (the client went away, or close()); only a client gone stops sending
    let gone = false;
    const send = (message: Record<string, unknown>): void => {
      if (!gone) out.enqueue(encoder.encode(`event: message\ndata: ${JSON.stringify(message)}\n\n`));
    };
    const follow = async (taskId: string): Promise<void> => {
      // one send at a time per task, each the state tasks/get gives when it is read
      let last = '';
      let sending = Promise.resolve();
      const report = (): Promise<void> =>
        (sending = sending.then(async () => {
          const detailed = await this.#requests.getTask(taskId, scope).catch((error: unknown) => ({ gone: toJsonRpcError(error) }));
          if ('gone' in detailed) return;
          const text = JSON.stringify(detailed);
          if (text === last) return;
          last = text;
          send({ jsonrpc: '2.0', method: 'notifications/tasks', params: { ...detailed, _meta: stamp } });
        }));
      const state = await this.#support.store.getTaskState(taskId, scope);
      if (state === null) return;
      await report();
      if (isTerminal(state.task.status)) return;
      await this.#support.watchTask(taskId, state.version, () => void report(), stop.signal);
      await sending;
    };
    const run = async (): Promise<void> => {
      send({ jsonrpc: '2.0', method: 'notifications/subscriptions/acknowledged', params: { notifications: { taskIds }, _meta: stamp } });
      await Promise.all(taskIds.map((taskId) => follow(taskId).catch(() => undefined)));
      send({ jsonrpc: '2.0', id: listen.id, result: { resultType: 'complete', _meta: stamp } });
    };
    return new ReadableStream<Uint8Array>({
      start: (controller) => {
        out = controller;
        void run().finally(() => {
          signal.removeEventListener('abort', onAbort);
          this.#open.delete(stop);
          stop.abort();
          if (!gone) controller.close();
        });
      },
      cancel: onAbort,
    });
  }
}

function jsonError(status: number, id: unknown, code: number, message: string, data?: unknown): Response {
  const error = data === undefined ? { code, message } : { code, message, data };
  return new Response(JSON.stringify({ jsonrpc: '2.0', id, error }), { status, headers: { 'content-type': 'application/json' } });
}
