/**
 * 2026-07-28 requests as a client sends them: the per-request `_meta` envelope (protocol version,
 * client info, client capabilities) and the SEP-2243 routing headers; answers read from a JSON body
 * or an SSE stream.
 */
import type { AuthInfo } from '@modelcontextprotocol/server';

export const MODERN_PROTOCOL_VERSION = '2026-07-28';
export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';

/** A JSON-RPC answer. */
export interface Answer {
  status: number;
  id?: unknown;
  result?: Record<string, unknown>;
  error?: { code: number; message: string; data?: unknown };
}

/** Where a request goes: a URL, or a fetch-shaped handler in this process. */
export type ModernTarget = string | { fetch(request: Request, options?: { authInfo?: AuthInfo }): Promise<Response> };

/** The request as posted: framed params plus headers. */
export function modernRequest(url: string, id: string | number, method: string, params: Record<string, unknown>, init: { signal?: AbortSignal; headers?: Record<string, string> } = {}): Request {
  const name = method === 'tools/call' ? params['name'] : params['taskId'];
  return new Request(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': MODERN_PROTOCOL_VERSION,
      'mcp-method': method,
      ...(typeof name === 'string' ? { 'mcp-name': name } : {}),
      ...init.headers,
    },
    body: JSON.stringify({ jsonrpc: '2.0', id, method, params }),
    ...(init.signal === undefined ? {} : { signal: init.signal }),
  });
}

/** `params` with the envelope: the client declares `capabilities` (plus the tasks extension unless `declare` is false). */
export function framed(params: Record<string, unknown>, options: { declare?: boolean; capabilities?: Record<string, unknown> } = {}): Record<string, unknown> {
  const capabilities = { ...(options.capabilities ?? { elicitation: {}, sampling: {} }), ...(options.declare === false ? {} : { extensions: { [TASKS_EXTENSION]: {} } }) };
  return {
    ...params,
    _meta: {
      ...(params['_meta'] as Record<string, unknown> | undefined),
      'io.modelcontextprotocol/protocolVersion': MODERN_PROTOCOL_VERSION,
      'io.modelcontextprotocol/clientInfo': { name: 'spec', version: '1' },
      'io.modelcontextprotocol/clientCapabilities': capabilities,
    },
  };
}

/** Reads the answer with `id` from a response (JSON body or SSE stream). */
export async function readAnswer(response: Response, id: unknown): Promise<Answer> {
  const text = await response.text();
  const messages = (response.headers.get('content-type') ?? '').includes('text/event-stream')
    ? text
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => JSON.parse(line.slice(5)) as Omit<Answer, 'status'>)
    : [JSON.parse(text) as Omit<Answer, 'status'>];
  const answer = messages.find((message) => message.id === id);
  if (answer === undefined) throw new Error(`no answer with id ${String(id)} (HTTP ${response.status}): ${text.slice(0, 300)}`);
  return { status: response.status, ...answer };
}

let nextId = 0;

/** Sends one framed request and resolves with its answer. */
export async function post(
  target: ModernTarget,
  method: string,
  params: Record<string, unknown>,
  options: { declare?: boolean; capabilities?: Record<string, unknown>; authInfo?: AuthInfo; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const id = `spec-${++nextId}`;
  const url = typeof target === 'string' ? target : 'http://127.0.0.1/mcp';
  const request = modernRequest(url, id, method, framed(params, options), options.headers === undefined ? {} : { headers: options.headers });
  const response = typeof target === 'string' ? await fetch(request) : await target.fetch(request, options.authInfo === undefined ? {} : { authInfo: options.authInfo });
  return readAnswer(response, id);
}

/** The JSON-RPC messages of an SSE response, as they arrive. */
export async function* sseMessages(response: Response): AsyncGenerator<Record<string, unknown>> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = event
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).trim())
          .join('');
        if (data !== '') yield JSON.parse(data) as Record<string, unknown>;
      }
    }
  } finally {
    reader.releaseLock();
  }
}

/** Opens `subscriptions/listen` for `taskIds` and resolves with the response (an SSE stream, or an error). */
export async function listen(
  target: ModernTarget,
  taskIds: string[],
  options: { declare?: boolean; authInfo?: AuthInfo; signal?: AbortSignal } = {},
): Promise<Response> {
  const url = typeof target === 'string' ? target : 'http://127.0.0.1/mcp';
  const request = modernRequest(url, `listen-${++nextId}`, 'subscriptions/listen', framed({ notifications: { taskIds } }, options), options.signal === undefined ? {} : { signal: options.signal });
  return typeof target === 'string' ? fetch(request) : target.fetch(request, options.authInfo === undefined ? {} : { authInfo: options.authInfo });
}
