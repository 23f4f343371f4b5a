/** Transport wrappers of the reference server, on the runtime's {@link TransportProxy}. */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { TransportProxy } from '../../transport/transportProxy.js';

/**
 * For a stateless server with JSON responses: no stream can carry a request to the client (the
 * SDK would drop it silently, F4), so sending one fails at once with -32000 and a clear message,
 * and a task's `elicit()` / `createMessage()` fails instead of waiting for its timeout.
 */
export function refuseClientRequests(transport: Transport): Transport {
  return new TransportProxy(transport, {
    send(message, options, send) {
      if ('method' in message && 'id' in message) {
        return Promise.reject(
          new McpError(
            ErrorCode.ConnectionClosed,
            'a stateless server with JSON responses has no stream to send requests to the client on (serve with SSE responses)',
          ),
        );
      }
      return send(message, options);
    },
  });
}
