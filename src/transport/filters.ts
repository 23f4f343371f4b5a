/**
 * Transport wrappers that act on inbound messages before the SDK's Protocol sees them (public
 * `Transport` API only):
 * - {@link ignoreTaskAugmentation}: R20 for servers that have **not** declared
 *   `tasks.requests.tools.call`: such a receiver MUST process `tools/call` normally and ignore
 *   `params.task`, but the SDK's Protocol rejects a task-augmented request with -32603 before any
 *   handler runs (SDK defect F1, docs/sdk-notes.md), so the field goes before the Protocol sees it;
 * - {@link routeTaskResponses}: takes the requestor's answers to side-channel requests sent with
 *   this library's own ids (`task-<taskId>-<uuid>`, side-channel mode `'routed'`) and hands them to
 *   the runtime, whichever server instance or process receives them.
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { SettledResponse } from '../core/messageQueue.js';
import { isSideChannelRequestId } from '../runtime/sideChannelId.js';
import { TransportProxy } from './transportProxy.js';

/** The message without `params.task` if it is a `tools/call` request, else the message itself. */
export function stripToolCallTask(message: JSONRPCMessage): JSONRPCMessage {
  if (!('method' in message) || message.method !== 'tools/call' || !('id' in message)) return message;
  const params = message.params as Record<string, unknown> | undefined;
  if (!params || !('task' in params)) return message;
  const { task: _ignored, ...rest } = params;
  return { ...message, params: rest };
}

/**
 * Wraps a transport for a server that does not declare `tasks.requests.tools.call`, so that
 * task-augmented `tools/call` requests run normally, as R20 requires:
 * `await server.connect(ignoreTaskAugmentation(transport))`. (`TaskServer` does it by itself when
 * tasks are not enabled.) Do not use it on a server with tasks enabled.
 */
export function ignoreTaskAugmentation(transport: Transport): Transport {
  return new TransportProxy(transport, { inbound: stripToolCallTask });
}

/** Receives the answers that {@link routeTaskResponses} takes off a transport. */
export interface ResponseRouter {
  /** Takes the answer to side-channel request `requestId`. */
  routeResponse(requestId: string, response: SettledResponse): void;
}

/**
 * Wraps a server's transport so that answers to side-channel requests sent with this library's ids
 * (mode `'routed'`) go to `router` (the runtime's `SideChannel`) instead of the SDK's Protocol,
 * which would drop them as unknown. Everything else passes unchanged. The server binding's
 * `routeResponses()` is the same with its own runtime.
 */
export function routeTaskResponses(transport: Transport, router: ResponseRouter): Transport {
  return new TransportProxy(transport, {
    inbound(message) {
      if ('method' in message || !('id' in message) || !isSideChannelRequestId(message.id)) {
        return message;
      }
      if ('result' in message) router.routeResponse(message.id, { result: message.result as Record<string, unknown> });
      else if ('error' in message) router.routeResponse(message.id, { error: message.error });
      else return message;
      return undefined;
    },
  });
}
