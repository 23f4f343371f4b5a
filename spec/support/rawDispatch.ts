/**
 * The host-side request path ext-tasks' v2 requester asks for (`rawDispatch`): a 2026-07-28
 * request posted as it is, with the routing headers SEP-2243 requires, its answer read from a JSON
 * body or an SSE stream.
 */
import type { JsonValue } from '@modelcontextprotocol/ext-tasks/core';

type JsonRpcResponse = { kind: 'result'; result: JsonValue } | { kind: 'error'; error: { code: number; message: string; data?: JsonValue } };
type Message = { id?: unknown; result?: JsonValue; error?: { code: number; message: string; data?: JsonValue } };

export const MODERN_PROTOCOL_VERSION = '2026-07-28';

/** A `rawDispatch` for `url` that counts the requests it sent by method. */
export function rawDispatchTo(url: string, sent: Record<string, number> = {}) {
  let next = 0;
  return async (request: JsonValue, options: { signal?: AbortSignal } = {}): Promise<JsonRpcResponse> => {
    const id = `raw-${++next}`;
    const framed = request as { method: string; params?: Record<string, unknown> };
    sent[framed.method] = (sent[framed.method] ?? 0) + 1;
    const name = framed.method === 'tools/call' ? framed.params?.['name'] : framed.params?.['taskId'];
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': MODERN_PROTOCOL_VERSION,
        'mcp-method': framed.method,
        ...(typeof name === 'string' ? { 'mcp-name': name } : {}),
      },
      body: JSON.stringify({ jsonrpc: '2.0', id, ...framed }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    const text = await response.text();
    const messages: Message[] = (response.headers.get('content-type') ?? '').includes('text/event-stream')
      ? text
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => JSON.parse(line.slice(5)) as Message)
      : [JSON.parse(text) as Message];
    const answer = messages.find((message) => message.id === id);
    if (answer === undefined) throw new Error(`no answer to ${framed.method} (HTTP ${response.status}): ${text.slice(0, 300)}`);
    return answer.error !== undefined ? { kind: 'error', error: answer.error } : { kind: 'result', result: answer.result ?? {} };
  };
}
