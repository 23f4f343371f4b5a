/**
 * The 2026-07-28 leg of the HTTP host: one URL serves both revisions. A POST whose body carries the
 * per-request `_meta` envelope claim (or a modern `MCP-Protocol-Version` header) goes to the v2
 * SDK's fetch-shaped handler — the SDK's own `isLegacyRequest` decides, so the split is exactly the
 * SDK's — and everything else to the 2025-11-25 transports. `node:http` ↔ fetch is bridged here.
 */
import type http from 'node:http';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { isLegacyRequest } from '@modelcontextprotocol/server';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';

/** A fetch-shaped 2026-07-28 handler (`createMcpHandler`'s result). */
export interface ModernHttpHandler {
  fetch(request: Request, options?: { parsedBody?: unknown; authInfo?: AuthInfo }): Promise<Response>;
  close(): Promise<void>;
}

/** Headers that describe the Node connection or the raw body, not the request: not copied. */
const HOP_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'expect']);

/** The request as a fetch `Request` (the body travels parsed, as `parsedBody`). */
export function toWebRequest(req: http.IncomingMessage, body: unknown, signal: AbortSignal): Request {
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    if (!HOP_HEADERS.has(name.toLowerCase())) headers.append(name, req.rawHeaders[i + 1]!);
  }
  const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
  return new Request(url, { method: 'POST', headers, body: JSON.stringify(body), signal });
}

/** Whether a parsed JSON POST belongs to the 2026-07-28 leg. */
export async function isModernRequest(request: Request, body: unknown): Promise<boolean> {
  return !(await isLegacyRequest(request, body));
}

/** Serves one request on the modern leg and streams its response (SSE included) back. */
export async function serveModern(
  handler: ModernHttpHandler,
  request: Request,
  body: unknown,
  authInfo: AuthInfo | undefined,
  res: http.ServerResponse,
): Promise<void> {
  const response = await handler.fetch(request, { parsedBody: body, ...(authInfo === undefined ? {} : { authInfo }) });
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    headers[name] = name === 'set-cookie' ? response.headers.getSetCookie() : value;
  });
  res.writeHead(response.status, headers);
  if (response.body === null) {
    res.end();
    return;
  }
  const stream = Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>);
  res.once('close', () => stream.destroy());
  await new Promise<void>((resolve) => {
    stream.once('error', () => {
      res.destroy();
      resolve();
    });
    res.once('close', resolve);
    stream.pipe(res);
  });
}
