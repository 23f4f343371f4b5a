/**
 * The ids of the requests of one session that are in progress. The SDK's Streamable HTTP transport
 * maps each request id to the stream that will carry its response as soon as the request arrives,
 * so a second request reusing the id of one still in progress would take over that stream and the
 * first would never get its answer. The host refuses the second one instead (-32600, naming the id)
 * before the transport sees it; the id is free again once its response has been sent (or the
 * request was cancelled, which has no response).
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, isJSONRPCRequest, type JSONRPCErrorResponse, type JSONRPCMessage, type RequestId } from '@modelcontextprotocol/sdk/types.js';
import { TransportProxy } from '../../transport/transportProxy.js';

/** The id of a valid JSON-RPC request (anything else the transport refuses without a response), else `undefined`. */
function requestIdOf(message: unknown): RequestId | undefined {
  return isJSONRPCRequest(message) ? message.id : undefined;
}

/** The requests of one session in progress, by id. */
export class RequestsInProgress {
  readonly #ids = new Set<RequestId>();

  /** How many requests are in progress. */
  get size(): number {
    return this.#ids.size;
  }

  /**
   * Takes the ids of the requests in a POST body (one message or a batch) and returns them; or the
   * error answer owed when one of them is in progress already (or repeats within the batch): then
   * none is taken.
   */
  claim(body: unknown): { ids: RequestId[] } | { refused: JSONRPCErrorResponse } {
    const ids: RequestId[] = [];
    for (const message of Array.isArray(body) ? body : [body]) {
      const id = requestIdOf(message);
      if (id === undefined) continue;
      if (this.#ids.has(id) || ids.includes(id)) {
        const message = `Invalid Request: request id ${JSON.stringify(id)} is already in use by a request in progress in this session`;
        return { refused: { jsonrpc: '2.0', id, error: { code: ErrorCode.InvalidRequest, message, data: { id } } } };
      }
      ids.push(id);
    }
    for (const id of ids) this.#ids.add(id);
    return { ids };
  }

  /** Frees ids whose POST the transport refused as a whole (an HTTP error: no response will go out for them). */
  release(ids: readonly RequestId[]): void {
    for (const id of ids) this.#ids.delete(id);
  }

  /** The transport with the ids freed as their responses go out, or as their requests are cancelled. */
  track(transport: Transport): Transport {
    return new TransportProxy(transport, {
      send: (message, options, send) => {
        this.#release(message);
        return send(message, options);
      },
      inbound: (message) => {
        if ('method' in message && message.method === 'notifications/cancelled') {
          const id = (message.params as { requestId?: unknown } | undefined)?.requestId;
          if (typeof id === 'string' || typeof id === 'number') this.#ids.delete(id);
        }
        return message;
      },
    });
  }

  #release(message: JSONRPCMessage): void {
    if ('method' in message || !('id' in message)) return;
    const id = message.id;
    if (typeof id === 'string' || typeof id === 'number') this.#ids.delete(id);
  }
}
