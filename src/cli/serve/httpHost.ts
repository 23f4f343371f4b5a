/**
 * Hosts MCP sessions on Streamable HTTP with `node:http`: one SDK `Server` per session (stateful),
 * or a fresh `Server` per request (stateless). It knows nothing about tasks: the caller's
 * {@link SessionFactory} builds each server.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { demoAuthInfo, isDemoAuthFailure } from './demoAuth.js';
import { answerAsJson, isJsonAnswered } from './jsonAnswer.js';
import { isModernRequest, serveModern, toWebRequest, type ModernHttpHandler } from './modernLeg.js';
import { isJsonContentType, readJsonBody, type JsonBody } from '../../transport/requestBody.js';
import { RequestsInProgress } from './requestIds.js';

/** One MCP server instance, ready to be connected to a transport. */
export interface McpSession {
  /** Connects the session's server to the transport (once). */
  connect(transport: Transport): Promise<void>;
  /** Closes the server (and with it the transport) and frees what the session holds. Idempotent. */
  close(): Promise<void>;
  /**
   * Stateless: resolves once the server has nothing left to send after its request is over (e.g.
   * the tasks it created have ended); the host closes it then. Absent: closed with its request.
   */
  settled?: (() => Promise<void>) | undefined;
}

/** Builds a fresh server for a new session (or, stateless, for one request). */
export type SessionFactory = () => McpSession;

/** How {@link startHttpHost} serves. */
export interface HttpHostOptions {
  host: string;
  /** `0` picks a free port. */
  port: number;
  /** Path of the MCP endpoint. Default `/mcp`. */
  path?: string;
  /** No sessions: a fresh server and transport per POST; GET and DELETE get 405. Default false. */
  stateless?: boolean;
  /** `enableJsonResponse` on every transport. Default false. */
  jsonResponse?: boolean;
  /** Demos only: require `Authorization: Bearer <token>` and take the token as the identity (see `demoAuth.ts`). Default false. */
  demoAuth?: boolean;
  createSession: SessionFactory;
  /** Largest POST body in bytes (413 beyond). Default 1 MiB. */
  maxBodyBytes?: number;
  /** Most sessions open at once; new ones get 503 beyond. Default 1,000. */
  maxSessions?: number;
  /** A session with no open HTTP request for this long is closed. Default 30 minutes. */
  sessionIdleMs?: number;
  /** Transport-level errors (bad requests the SDK rejected, etc.). Default: ignored. */
  onError?: (error: Error) => void;
  /** How long `close()` lets POST responses in flight finish before it ends them. Default 2,000 ms. */
  closeGraceMs?: number;
  /** How long an idle keep-alive connection is kept open (ms). Default 65,000 (see `startHttpHost`). */
  keepAliveTimeoutMs?: number;
  /** Also serve 2026-07-28 requests on the same URL with this handler (see `modernLeg.ts`); closed with the host. */
  modern?: ModernHttpHandler;
}

/** A running HTTP host. */
export interface HttpHost {
  /** The endpoint URL with the real port. */
  readonly url: string;
  /** How many stateful sessions are open. */
  sessionCount(): number;
  /** Closes every session, stops listening and ends open connections. Idempotent. */
  close(): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_MAX_SESSIONS = 1_000;
export const DEFAULT_SESSION_IDLE_MS = 30 * 60 * 1000;
export const DEFAULT_CLOSE_GRACE_MS = 2_000;
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 65_000;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

interface SessionEntry {
  readonly transport: StreamableHTTPServerTransport;
  readonly session: McpSession;
  /** The session's requests in progress (stateful sessions: their ids must stay unique). */
  readonly requests: RequestsInProgress;
  active: number;
  idleTimer: NodeJS.Timeout | undefined;
  closed: boolean;
}

/** Starts listening and resolves once the port is bound. */
export async function startHttpHost(options: HttpHostOptions): Promise<HttpHost> {
  const path = options.path ?? '/mcp';
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxSessions = options.maxSessions ?? DEFAULT_MAX_SESSIONS;
  const sessionIdleMs = options.sessionIdleMs ?? DEFAULT_SESSION_IDLE_MS;
  const onError = options.onError ?? (() => undefined);
  const checkHost = LOOPBACK_HOSTS.has(options.host);

  const closeGraceMs = options.closeGraceMs ?? DEFAULT_CLOSE_GRACE_MS;
  /** POST responses not finished yet (GET streams are not counted: they never finish by themselves). */
  const postsInFlight = new Set<http.ServerResponse>();
  let drained: (() => void) | undefined;
  const sessions = new Map<string, SessionEntry>();
  /** Entries not (yet) in `sessions`: stateless requests and sessions being initialized. */
  const unlisted = new Set<SessionEntry>();
  let closing = false;

  function transportOptions(stateful: boolean, entryRef: { entry?: SessionEntry }) {
    return {
      sessionIdGenerator: stateful ? () => randomUUID() : undefined,
      enableJsonResponse: options.jsonResponse === true,
      maxRequestBodySize: maxBodyBytes,
      onsessioninitialized: (id: string) => {
        const entry = entryRef.entry!;
        unlisted.delete(entry);
        sessions.set(id, entry);
      },
    };
  }

  function openEntry(stateful: boolean): SessionEntry {
    const ref: { entry?: SessionEntry } = {};
    const transport = new StreamableHTTPServerTransport(transportOptions(stateful, ref));
    const entry: SessionEntry = {
      transport,
      session: options.createSession(),
      requests: new RequestsInProgress(),
      active: 0,
      idleTimer: undefined,
      closed: false,
    };
    ref.entry = entry;
    // Set before connect(): Protocol chains it, so it runs whenever the transport closes (DELETE included).
    transport.onclose = () => void closeEntry(entry);
    transport.onerror = onError;
    unlisted.add(entry);
    return entry;
  }

  async function closeEntry(entry: SessionEntry): Promise<void> {
    if (entry.closed) return;
    entry.closed = true;
    clearTimeout(entry.idleTimer);
    unlisted.delete(entry);
    const id = entry.transport.sessionId;
    if (id !== undefined && sessions.get(id) === entry) sessions.delete(id);
    try {
      await entry.session.close();
    } catch (error) {
      onError(error instanceof Error ? error : new Error(String(error)));
    }
  }

  async function serveOn(entry: SessionEntry, req: http.IncomingMessage & { auth?: AuthInfo }, res: http.ServerResponse, preread?: JsonBody): Promise<void> {
    entry.active++;
    clearTimeout(entry.idleTimer);
    entry.idleTimer = undefined;
    res.once('close', () => {
      entry.active--;
      if (entry.active === 0 && !entry.closed && entry.transport.sessionId !== undefined) {
        entry.idleTimer = setTimeout(() => void closeEntry(entry), sessionIdleMs);
        entry.idleTimer.unref();
      }
    });
    await dispatch(entry, req, res, preread);
  }

  /**
   * Hands a request to the transport. A JSON POST body is read and parsed here first (the SDK's
   * `parsedBody`), so that a single `tasks/get`, `tasks/list` or `tasks/cancel` request can be
   * answered with one JSON body even in SSE mode (R35, see `jsonAnswer.ts`). `preread`: the body,
   * when it was read already to choose the revision.
   */
  async function dispatch(entry: SessionEntry, req: http.IncomingMessage, res: http.ServerResponse, preread?: JsonBody): Promise<void> {
    const transport = entry.transport;
    if (req.method !== 'POST' || !isJsonContentType(req.headers['content-type'])) {
      await transport.handleRequest(req, res);
      return;
    }
    const body = preread ?? (await readJsonBody(req, maxBodyBytes));
    if (body.kind === 'tooLarge') {
      const message = `Payload Too Large: Request body must not exceed ${maxBodyBytes} bytes`;
      onError(new Error(message));
      sendJsonError(res, 413, -32000, message, { Connection: 'close' });
      return;
    }
    if (body.kind === 'invalid') {
      onError(new Error('Parse error: Invalid JSON'));
      sendJsonError(res, 400, -32700, 'Parse error: Invalid JSON');
      return;
    }
    if (entry.transport.sessionId !== undefined) {
      const claim = entry.requests.claim(body.value);
      if ('refused' in claim) {
        onError(new Error(claim.refused.error.message));
        res.writeHead(400, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(claim.refused));
        return;
      }
      res.once('close', () => {
        if (res.statusCode >= 400) entry.requests.release(claim.ids);
      });
    }
    if (options.jsonResponse !== true && isJsonAnswered(body.value)) {
      await answerAsJson(res, (out) => transport.handleRequest(req, out as unknown as http.ServerResponse, body.value));
      return;
    }
    await transport.handleRequest(req, res, body.value);
  }

  async function handleStateless(req: http.IncomingMessage, res: http.ServerResponse, preread: JsonBody | undefined): Promise<void> {
    if (req.method !== 'POST') {
      sendJsonError(res, 405, -32000, 'Method not allowed: this server is stateless, send POST requests only', { Allow: 'POST' });
      return;
    }
    const entry = openEntry(false);
    res.once('close', () => {
      const settled = entry.session.settled?.() ?? Promise.resolve();
      void settled.catch(() => undefined).then(() => closeEntry(entry));
    });
    await entry.session.connect(entry.transport);
    await dispatch(entry, req, res, preread);
  }

  async function handleStateful(req: http.IncomingMessage, res: http.ServerResponse, preread: JsonBody | undefined): Promise<void> {
    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const entry = sessions.get(sessionId);
      if (entry === undefined) {
        sendJsonError(res, 404, -32001, 'Session not found');
        return;
      }
      await serveOn(entry, req, res, preread);
      return;
    }
    if (sessionId !== undefined) {
      sendJsonError(res, 400, -32000, 'Bad Request: more than one Mcp-Session-Id header');
      return;
    }
    if (req.method !== 'POST') {
      sendJsonError(res, 400, -32000, 'Bad Request: Mcp-Session-Id header is required');
      return;
    }
    if (sessions.size + unlisted.size >= maxSessions) {
      sendJsonError(res, 503, -32000, `Service Unavailable: at most ${maxSessions} sessions at once`);
      return;
    }
    // A POST without a session must be `initialize`; the transport answers anything else with 400.
    const entry = openEntry(true);
    try {
      await entry.session.connect(entry.requests.track(entry.transport));
      await serveOn(entry, req, res, preread);
    } finally {
      if (entry.transport.sessionId === undefined) await closeEntry(entry);
    }
  }

  async function handle(req: http.IncomingMessage & { auth?: AuthInfo }, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== path) {
      sendJsonError(res, 404, -32000, `Not Found: the MCP endpoint is ${path}`);
      return;
    }
    if (checkHost && !LOOPBACK_HOSTS.has(hostnameOf(req.headers.host))) {
      sendJsonError(res, 403, -32000, 'Forbidden: Host header is not a loopback name');
      return;
    }
    if (closing) {
      sendJsonError(res, 503, -32000, 'Service Unavailable: the server is shutting down');
      return;
    }
    if (options.demoAuth === true) {
      const auth = demoAuthInfo(req.headers.authorization);
      if (isDemoAuthFailure(auth)) {
        sendJsonError(res, 401, -32000, auth.message, { 'WWW-Authenticate': 'Bearer realm="mcp-tasks-demo"' });
        return;
      }
      req.auth = auth;
    }
    let preread: JsonBody | undefined;
    if (options.modern !== undefined && req.method === 'POST' && isJsonContentType(req.headers['content-type'])) {
      preread = await readJsonBody(req, maxBodyBytes);
      if (preread.kind === 'json') {
        const exchange = new AbortController();
        res.once('close', () => exchange.abort());
        const request = toWebRequest(req, preread.value, exchange.signal);
        if (await isModernRequest(request, preread.value)) {
          await serveModern(options.modern, request, preread.value, req.auth, res);
          return;
        }
      }
    }
    if (options.stateless === true) await handleStateless(req, res, preread);
    else await handleStateful(req, res, preread);
  }

  const httpServer = http.createServer((req, res) => {
    if (req.method === 'POST') {
      postsInFlight.add(res);
      res.once('close', () => {
        postsInFlight.delete(res);
        if (postsInFlight.size === 0) drained?.();
      });
    }
    handle(req, res).catch((error: unknown) => {
      onError(error instanceof Error ? error : new Error(String(error)));
      if (!res.headersSent) sendJsonError(res, 500, -32603, 'Internal error');
      else res.destroy();
    });
  });

  // Node closes an idle keep-alive socket after keepAliveTimeout (5 s by default); undici (fetch)
  // reuses an idle socket for up to 4 s (or the server's Keep-Alive hint minus 1 s). A client whose
  // event loop lags by more than the second between the two (a loaded machine, a thousand requests
  // in flight) sends its next request on a socket the server has just closed: `fetch failed`
  // (UND_ERR_SOCKET, ECONNRESET). So idle sockets are kept far longer than clients keep them.
  httpServer.keepAliveTimeout = options.keepAliveTimeoutMs ?? DEFAULT_KEEP_ALIVE_TIMEOUT_MS;
  httpServer.headersTimeout = httpServer.keepAliveTimeout + 1_000;
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const address = httpServer.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${hostForUrl}:${address.port}${path}`;

  /** Resolves once no POST response is in flight, or after the grace period. */
  async function drain(): Promise<void> {
    if (postsInFlight.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      drained = resolve;
      timer = setTimeout(resolve, closeGraceMs);
    });
    clearTimeout(timer);
  }

  let closed: Promise<void> | undefined;
  return {
    url,
    sessionCount: () => sessions.size,
    close() {
      closed ??= (async () => {
        closing = true;
        const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()));
        await drain();
        await Promise.all([...sessions.values(), ...unlisted].map((entry) => closeEntry(entry)));
        await options.modern?.close();
        httpServer.closeAllConnections();
        await stopped;
      })();
      return closed;
    },
  };
}

/** The hostname of a `Host` header value, without port (IPv6 keeps its brackets). */
export function hostnameOf(host: string | undefined): string {
  if (host === undefined) return '';
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end === -1 ? host : host.slice(0, end + 1);
  }
  const colon = host.indexOf(':');
  return (colon === -1 ? host : host.slice(0, colon)).toLowerCase();
}

/** Answers with an HTTP status and a JSON-RPC error body (`id: null`). */
export function sendJsonError(
  res: http.ServerResponse,
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}
