/**
 * Answers malformed JSON-RPC requests that the SDK would otherwise drop without a reply.
 *
 * The SDK's `Protocol` only dispatches messages that parse as a JSON-RPC request; anything else
 * (a `_meta` that is not an object, `params` that is an array or a string, an unknown top-level
 * member, a wrong `jsonrpc` version) is passed to `onerror` and never answered, so over stdio the
 * requestor waits forever. (Streamable HTTP rejects such a POST itself before it gets here.) The
 * guard wraps the transport's `onmessage` after `connect()` and answers such a message with a
 * JSON-RPC error for its `id`: -32602 when the request is well formed but its `params` are not
 * (an array, or a bad `_meta`), -32600 when the request object itself is not valid.
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  ErrorCode,
  isJSONRPCRequest,
  RequestIdSchema,
  type JSONRPCErrorResponse,
  type RequestId,
} from '@modelcontextprotocol/sdk/types.js';

const REQUEST_MEMBERS = new Set(['jsonrpc', 'id', 'method', 'params']);

/**
 * The error reply owed to `message`, or `undefined` when the message is a valid request, not a
 * request at all (a response or notification), or has no usable `id` to answer.
 */
export function invalidRequestError(message: unknown): JSONRPCErrorResponse | undefined {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return undefined;
  const record = message as Record<string, unknown>;
  if (!('method' in record) || !('id' in record)) return undefined;
  const id = RequestIdSchema.safeParse(record['id']);
  if (!id.success) return undefined;
  if (isJSONRPCRequest(message)) return undefined;
  const reply = (code: number, text: string): JSONRPCErrorResponse => ({
    jsonrpc: '2.0',
    id: id.data as RequestId,
    error: { code, message: text },
  });
  if (record['jsonrpc'] !== '2.0') return reply(ErrorCode.InvalidRequest, 'Invalid Request: jsonrpc must be "2.0"');
  if (typeof record['method'] !== 'string') return reply(ErrorCode.InvalidRequest, 'Invalid Request: method must be a string');
  const extra = Object.keys(record).filter((key) => !REQUEST_MEMBERS.has(key));
  if (extra.length > 0) return reply(ErrorCode.InvalidRequest, `Invalid Request: unknown member '${extra[0]}'`);
  const params = record['params'];
  if (Array.isArray(params)) return reply(ErrorCode.InvalidParams, 'Invalid params: params must be an object, not an array');
  if (typeof params !== 'object' || params === null) {
    return reply(ErrorCode.InvalidRequest, 'Invalid Request: params must be an object when present');
  }
  // Only `_meta` is checked by the envelope schema, so it is the member that failed.
  return reply(
    ErrorCode.InvalidParams,
    'Invalid params: _meta must be an object whose progressToken is a string or integer and whose related-task entry is { taskId: string }',
  );
}

/** Wraps `transport.onmessage` (call after `server.connect(transport)`) so that malformed requests get an error reply. */
export function guardInvalidRequests(transport: Transport, onError: (error: Error) => void = () => undefined): void {
  const dispatch = transport.onmessage;
  transport.onmessage = (message, extra) => {
    const error = invalidRequestError(message);
    if (error === undefined) {
      dispatch?.(message, extra);
      return;
    }
    transport.send(error).catch((sendError: unknown) => onError(sendError instanceof Error ? sendError : new Error(String(sendError))));
  };
}
