/**
 * R35: a `tasks/get` POST is answered with `application/json`, not upgraded to an SSE stream,
 * even when the transport answers POSTs with SSE (the requestor said it wants to poll).
 *
 * The SDK transport decides per transport, not per request, whether POSTs get SSE or JSON. So for
 * the quick, non-streaming task requests (`tasks/get`, `tasks/list`, `tasks/cancel`) the host gives
 * the transport a {@link BufferedResponse} instead of the real one, lets it write its SSE stream
 * there, and when the stream has ended writes it to the client as one JSON body, with the same
 * status and headers (less the SSE-only ones). Nothing is dropped: if the stream carried anything
 * besides the one response (e.g. a notification related to the request), it is sent unchanged as
 * the SSE stream it was.
 */
import type http from 'node:http';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';

/** Methods whose single-request POST is answered with one JSON body. */
export const JSON_ANSWERED_METHODS: ReadonlySet<string> = new Set(['tasks/get', 'tasks/list', 'tasks/cancel']);

/** Headers that only make sense on an SSE stream. */
const SSE_ONLY_HEADERS = new Set(['content-type', 'content-length', 'transfer-encoding', 'cache-control', 'connection', 'x-accel-buffering']);

/** Whether a parsed POST body is one request (not a batch) of {@link JSON_ANSWERED_METHODS}. */
export function isJsonAnswered(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const record = body as Record<string, unknown>;
  return 'id' in record && typeof record['method'] === 'string' && JSON_ANSWERED_METHODS.has(record['method']);
}

/** A stand-in for `http.ServerResponse` that keeps the status, headers and body in memory. */
export class BufferedResponse extends Writable {
  statusCode = 200;
  headersSent = false;
  readonly #headers = new Map<string, http.OutgoingHttpHeader>();
  readonly #chunks: Buffer[] = [];

  writeHead(status: number, headers?: http.OutgoingHttpHeaders | http.OutgoingHttpHeader[]): this {
    this.statusCode = status;
    if (headers !== undefined && !Array.isArray(headers)) {
      for (const [name, value] of Object.entries(headers)) if (value !== undefined) this.setHeader(name, value);
    }
    this.headersSent = true;
    return this;
  }

  setHeader(name: string, value: http.OutgoingHttpHeader): this {
    this.#headers.set(name.toLowerCase(), value);
    return this;
  }

  getHeader(name: string): http.OutgoingHttpHeader | undefined {
    return this.#headers.get(name.toLowerCase());
  }

  hasHeader(name: string): boolean {
    return this.#headers.has(name.toLowerCase());
  }

  removeHeader(name: string): void {
    this.#headers.delete(name.toLowerCase());
  }

  /** Nothing to flush: the headers go out with the body. */
  flushHeaders(): void {}

  /** The headers written so far. */
  headers(): Record<string, http.OutgoingHttpHeader> {
    return Object.fromEntries(this.#headers);
  }

  /** The body written so far. */
  body(): Buffer {
    return Buffer.concat(this.#chunks);
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    callback();
  }
}

/**
 * The JSON-RPC messages of an SSE body, or `undefined` when it is not a plain stream of
 * `message` events (comment lines such as keep-alives are ignored).
 */
export function sseMessages(text: string): unknown[] | undefined {
  const messages: unknown[] = [];
  for (const block of text.split(/\r?\n\r?\n/)) {
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') data.push(value);
      else if (field === 'event' && value !== 'message') return undefined;
      else if (field !== 'event' && field !== 'id') return undefined;
    }
    if (data.length === 0) continue;
    try {
      messages.push(JSON.parse(data.join('\n')) as unknown);
    } catch {
      return undefined;
    }
  }
  return messages;
}

function isResponse(message: unknown): boolean {
  return typeof message === 'object' && message !== null && 'id' in message && ('result' in message || 'error' in message) && !('method' in message);
}

/**
 * Runs `handle` against a {@link BufferedResponse} and then answers `res`: with one
 * `application/json` body when the SSE stream carried exactly one JSON-RPC response and nothing
 * else, else with exactly what was written. If the client goes away first, the buffered response
 * is destroyed (the transport sees the stream closed).
 */
export async function answerAsJson(res: http.ServerResponse, handle: (out: BufferedResponse) => Promise<void>): Promise<void> {
  const out = new BufferedResponse();
  const gone = (): void => {
    out.destroy();
  };
  res.once('close', gone);
  try {
    await handle(out);
    await finished(out);
  } catch (error) {
    if (res.destroyed) return;
    throw error;
  } finally {
    res.off('close', gone);
  }
  const headers = out.headers();
  const body = out.body();
  const contentType = String(headers['content-type'] ?? '');
  if (contentType.toLowerCase().startsWith('text/event-stream')) {
    const messages = sseMessages(body.toString('utf8'));
    if (messages !== undefined && messages.length === 1 && isResponse(messages[0])) {
      const json = JSON.stringify(messages[0]);
      const kept = Object.fromEntries(Object.entries(headers).filter(([name]) => !SSE_ONLY_HEADERS.has(name)));
      res.writeHead(out.statusCode, { ...kept, 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
      res.end(json);
      return;
    }
  }
  res.writeHead(out.statusCode, headers);
  res.end(body);
}
