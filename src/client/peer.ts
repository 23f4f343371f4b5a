/**
 * The minimal view of an SDK `Protocol` (a `Client` or a `Server`) that the requestor logic needs.
 * Both `Client` and `Server` satisfy it, so the same code polls a server's tool task and a client's
 * elicitation or sampling task.
 */
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { AnySchema, SchemaOutput } from '@modelcontextprotocol/sdk/server/zod-compat.js';
import type { Notification, Request } from '@modelcontextprotocol/sdk/types.js';
import { CapabilityMissingError } from '../core/errors.js';

/** Sends one request and resolves with its validated result (`Protocol.request`). */
export interface RequestPeer {
  request<T extends AnySchema>(request: Request, resultSchema: T, options?: RequestOptions): Promise<SchemaOutput<T>>;
}

/** A peer that can also receive notifications (for `notifications/tasks/status` wake-ups). */
export interface NotifiablePeer extends RequestPeer {
  setNotificationHandler<T extends AnySchema>(schema: T, handler: (notification: SchemaOutput<T>) => void | Promise<void>): void;
}

/** A notification sender (`Protocol.notification`). */
export interface NotificationPeer {
  notification(notification: Notification, options?: unknown): Promise<void>;
}

/**
 * The largest timeout `setTimeout` accepts (about 24.8 days). The SDK arms a timer per request, so
 * "no timeout" for a blocking `tasks/result` is expressed as this value (F8).
 */
export const NO_TIMEOUT = 2_147_483_647;

/**
 * Runs `Protocol.request` with a fresh `AbortSignal` linked to `signal`, and unlinks it afterwards.
 * The SDK adds an abort listener to every signal it is given and never removes it (F9); giving it a
 * throw-away child signal keeps a long-lived caller signal free of leaked listeners.
 */
export async function requestLinked<T extends AnySchema>(
  peer: RequestPeer,
  request: Request,
  schema: T,
  options: RequestOptions & { signal?: AbortSignal | undefined },
): Promise<SchemaOutput<T>> {
  const { signal, ...rest } = options;
  if (signal === undefined) return peer.request(request, schema, rest);
  signal.throwIfAborted();
  const child = new AbortController();
  const onAbort = (): void => child.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await peer.request(request, schema, { ...rest, signal: child.signal });
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

type TasksCapability = { list?: unknown; cancel?: unknown } | undefined;

/**
 * The `tasks` capability the peer's other side declared, when the peer knows it: a `Client`'s
 * server (`getServerCapabilities`) or a `Server`'s client (`getClientCapabilities`). `undefined`
 * when the peer cannot tell (then nothing is checked).
 */
export function declaredTasksCapability(peer: RequestPeer): { known: boolean; tasks: TasksCapability } {
  const p = peer as { getServerCapabilities?: () => { tasks?: TasksCapability } | undefined; getClientCapabilities?: () => { tasks?: TasksCapability } | undefined };
  const read = p.getServerCapabilities ?? p.getClientCapabilities;
  if (typeof read !== 'function') return { known: false, tasks: undefined };
  const caps = read.call(peer);
  return caps === undefined ? { known: false, tasks: undefined } : { known: true, tasks: caps.tasks };
}

/**
 * Throws `CapabilityMissingError` (-32600) before sending `tasks/list` / `tasks/cancel` to a peer
 * known not to have declared `tasks.list` / `tasks.cancel` (R6; G8 leaves the receiver's answer open).
 */
export function assertPeerDeclares(peer: RequestPeer, leaf: 'list' | 'cancel'): void {
  const { known, tasks } = declaredTasksCapability(peer);
  const value = tasks?.[leaf];
  if (known && (value === undefined || value === null || value === false)) {
    throw new CapabilityMissingError(`The peer did not declare tasks.${leaf} (required for tasks/${leaf})`);
  }
}
