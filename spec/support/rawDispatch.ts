/**
 * The host-side request path ext-tasks' v2 requester asks for (`rawDispatch`): its framed
 * 2026-07-28 request posted as it is, with the routing headers SEP-2243 requires.
 */
import type { JsonValue } from '@modelcontextprotocol/ext-tasks/core';
import { modernRequest, readAnswer } from './modernWire.js';

export { MODERN_PROTOCOL_VERSION } from './modernWire.js';

type JsonRpcResponse = { kind: 'result'; result: JsonValue } | { kind: 'error'; error: { code: number; message: string; data?: JsonValue } };

/** A `rawDispatch` for `url` that counts the requests it sent by method. */
export function rawDispatchTo(url: string, sent: Record<string, number> = {}) {
  let next = 0;
  return async (request: JsonValue, options: { signal?: AbortSignal } = {}): Promise<JsonRpcResponse> => {
    const id = `raw-${++next}`;
    const framed = request as { method: string; params?: Record<string, unknown> };
    sent[framed.method] = (sent[framed.method] ?? 0) + 1;
    const init = options.signal === undefined ? {} : { signal: options.signal };
    const answer = await readAnswer(await fetch(modernRequest(url, id, framed.method, framed.params ?? {}, init)), id);
    if (answer.error !== undefined) return { kind: 'error', error: answer.error as { code: number; message: string; data?: JsonValue } };
    return { kind: 'result', result: (answer.result ?? {}) as JsonValue };
  };
}
