/** The HTTP host of the reference server, with a plain SDK server (no tasks): sessions, auth, limits. */
import { test } from 'node:test';
import { request } from 'node:http';
import assert from 'node:assert/strict';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema, LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { hostnameOf, startHttpHost, type HttpHostOptions, type McpSession } from '../../src/cli/serve/httpHost.js';

/** Counts sessions built and closed; each server's one tool answers "<clientId> <sessionId>". */
class Sessions {
  created = 0;
  closed = 0;
  /** The `wait` tool blocks until this resolves; `entered` resolves when a call reached it. */
  release!: () => void;
  readonly gate = new Promise<void>((resolve) => (this.release = resolve));
  entered!: () => void;
  readonly reached = new Promise<void>((resolve) => (this.entered = resolve));
  readonly #closeWaiters: Array<() => void> = [];
  factory = (): McpSession => {
    this.created++;
    const server = new Server({ name: 'plain', version: '1.0.0' }, { capabilities: { tools: {} } });
    server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [{ name: 'whoami', inputSchema: { type: 'object' } }] }));
    server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
      if (request.params.name === 'wait') {
        this.entered();
        await this.gate;
      }
      return { content: [{ type: 'text', text: `${extra.authInfo?.clientId ?? '-'} ${extra.sessionId ?? '-'}` }] };
    });
    let done = false;
    return {
      connect: (transport) => server.connect(transport),
      close: async () => {
        if (done) return;
        done = true;
        await server.close();
        this.closed++;
        this.#closeWaiters.splice(0).forEach((wake) => wake());
      },
    };
  };
  /** Resolves once `count` sessions have been closed. */
  async closedAtLeast(count: number): Promise<void> {
    while (this.closed < count) await new Promise<void>((resolve) => this.#closeWaiters.push(resolve));
  }
}

async function host(sessions: Sessions, options: Partial<HttpHostOptions> = {}) {
  return startHttpHost({
    host: '127.0.0.1',
    port: 0,
    stateless: false,
    jsonResponse: false,
    demoAuth: false,
    createSession: sessions.factory,
    ...options,
  });
}

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

function initializeBody(id = 1): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
  });
}

async function connect(url: string, headers: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: 'test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  return client;
}

async function whoami(client: Client): Promise<string> {
  const result = await client.callTool({ name: 'whoami', arguments: {} });
  return (result.content as Array<{ text: string }>)[0]!.text;
}

test('stateful: one session per client, requests reach it, DELETE closes it', async () => {
  const sessions = new Sessions();
  const h = await host(sessions);
  try {
    assert.match(h.url, /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const a = await connect(h.url);
    const b = await connect(h.url);
    assert.equal(sessions.created, 2);
    assert.equal(h.sessionCount(), 2);
    const [, sessionA] = (await whoami(a)).split(' ');
    const [, sessionB] = (await whoami(b)).split(' ');
    assert.notEqual(sessionA, sessionB);
    assert.equal(sessionA, (a.transport as StreamableHTTPClientTransport).sessionId);
    await (a.transport as StreamableHTTPClientTransport).terminateSession();
    await sessions.closedAtLeast(1);
    assert.equal(h.sessionCount(), 1);
    const stale = await fetch(h.url, { method: 'POST', headers: { ...JSON_HEADERS, 'mcp-session-id': sessionA! }, body: '{}' });
    assert.equal(stale.status, 404);
    assert.equal(((await stale.json()) as { error: { code: number } }).error.code, -32001);
    await a.close();
    await b.close();
  } finally {
    await h.close();
  }
  assert.equal(sessions.closed, sessions.created);
});

test('stateful: a POST without session that is not initialize is refused (400) and its server closed', async () => {
  const sessions = new Sessions();
  const h = await host(sessions);
  try {
    const res = await fetch(h.url, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    assert.equal(res.status, 400);
    await res.body?.cancel();
    await sessions.closedAtLeast(1);
    assert.equal(h.sessionCount(), 0);
    for (const method of ['GET', 'DELETE']) {
      const other = await fetch(h.url, { method, headers: { accept: 'text/event-stream' } });
      assert.equal(other.status, 400, method);
      assert.match(((await other.json()) as { error: { message: string } }).error.message, /Mcp-Session-Id header is required/);
    }
  } finally {
    await h.close();
  }
});

test('malformed JSON gets the SDK parse error -32700; an oversized body gets 413', async () => {
  const sessions = new Sessions();
  const h = await host(sessions, { maxBodyBytes: 1024 });
  try {
    const res = await fetch(h.url, { method: 'POST', headers: JSON_HEADERS, body: '{"jsonrpc": "2.0", ' });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { error: { code: number } }).error.code, -32700);
    const big = await fetch(h.url, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ pad: 'x'.repeat(4096) }) });
    assert.equal(big.status, 413);
    await big.body?.cancel();
  } finally {
    await h.close();
  }
});

test('a chunked body (no Content-Length) that grows too large gets 413; a non-JSON Content-Type goes to the SDK (415)', async () => {
  const sessions = new Sessions();
  const errors: Error[] = [];
  const h = await host(sessions, { maxBodyBytes: 1024, onError: (error) => errors.push(error) });
  try {
    const chunk = new TextEncoder().encode('x'.repeat(600));
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(chunk);
        controller.enqueue(chunk);
        controller.close();
      },
    });
    const big = await fetch(h.url, { method: 'POST', headers: JSON_HEADERS, body, duplex: 'half' } as RequestInit);
    assert.equal(big.status, 413);
    assert.match(((await big.json()) as { error: { message: string } }).error.message, /must not exceed 1024 bytes/);
    const text = await fetch(h.url, { method: 'POST', headers: { ...JSON_HEADERS, 'content-type': 'text/plain' }, body: initializeBody() });
    assert.equal(text.status, 415);
    await text.body?.cancel();
    assert.ok(errors.some((e) => /Payload Too Large/.test(e.message)));
  } finally {
    await h.close();
  }
});

test('wrong path → 404, non-loopback Host → 403 (DNS rebinding guard)', async () => {
  const sessions = new Sessions();
  const h = await host(sessions);
  try {
    const wrong = await fetch(h.url.replace(/\/mcp$/, '/other'), { method: 'POST', headers: JSON_HEADERS, body: initializeBody() });
    assert.equal(wrong.status, 404);
    await wrong.body?.cancel();
    const { port } = new URL(h.url);
    const http = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/mcp', method: 'POST', headers: { ...JSON_HEADERS, host: 'evil.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(initializeBody());
    });
    assert.equal(status, 403);
    assert.equal(sessions.created, 0);
  } finally {
    await h.close();
  }
});

test('hostnameOf strips ports and keeps IPv6 brackets', () => {
  assert.equal(hostnameOf(undefined), '');
  assert.equal(hostnameOf('LocalHost:3000'), 'localhost');
  assert.equal(hostnameOf('127.0.0.1'), '127.0.0.1');
  assert.equal(hostnameOf('[::1]:80'), '[::1]');
  assert.equal(hostnameOf('[::1'), '[::1');
});

test('demo auth: missing or malformed bearer → 401 JSON-RPC error; a token becomes authInfo.clientId', async () => {
  const sessions = new Sessions();
  const h = await host(sessions, { demoAuth: true });
  try {
    for (const authorization of [undefined, '', 'Basic abc', 'Bearer', 'Bearer a b', `Bearer ${'x'.repeat(600)}`]) {
      const headers: Record<string, string> = { ...JSON_HEADERS };
      if (authorization !== undefined) headers['authorization'] = authorization;
      const res = await fetch(h.url, { method: 'POST', headers, body: initializeBody() });
      assert.equal(res.status, 401, String(authorization));
      assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer/);
      const body = (await res.json()) as { jsonrpc: string; error: { code: number; message: string } };
      assert.equal(body.jsonrpc, '2.0');
      assert.equal(body.error.code, -32000);
      assert.match(body.error.message, /^Unauthorized/);
    }
    assert.equal(sessions.created, 0);
    const alice = await connect(h.url, { Authorization: 'Bearer alice-token' });
    assert.match(await whoami(alice), /^alice-token /);
    await alice.close();
  } finally {
    await h.close();
  }
});

test('stateless: a fresh server per POST, closed after it; GET and DELETE → 405', async () => {
  const sessions = new Sessions();
  const h = await host(sessions, { stateless: true });
  try {
    const client = await connect(h.url);
    assert.equal(await whoami(client), '- -');
    assert.equal(await whoami(client), '- -');
    assert.ok(sessions.created >= 3, `one server per POST, got ${sessions.created}`);
    await sessions.closedAtLeast(sessions.created);
    assert.equal(h.sessionCount(), 0);
    for (const method of ['GET', 'DELETE']) {
      const res = await fetch(h.url, { method, headers: { accept: 'text/event-stream' } });
      assert.equal(res.status, 405, method);
      assert.equal(res.headers.get('allow'), 'POST');
      await res.body?.cancel();
    }
    await client.close();
  } finally {
    await h.close();
  }
});

test('JSON-response mode answers POSTs with application/json', async () => {
  const sessions = new Sessions();
  const h = await host(sessions, { jsonResponse: true });
  try {
    const res = await fetch(h.url, { method: 'POST', headers: JSON_HEADERS, body: initializeBody() });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    const body = (await res.json()) as { result: { protocolVersion: string } };
    assert.equal(body.result.protocolVersion, LATEST_PROTOCOL_VERSION);
  } finally {
    await h.close();
  }
});

test('session limit: beyond maxSessions a new session gets 503', async () => {
  const sessions = new Sessions();
  const h = await host(sessions, { maxSessions: 1 });
  try {
    const first = await connect(h.url);
    const res = await fetch(h.url, { method: 'POST', headers: JSON_HEADERS, body: initializeBody() });
    assert.equal(res.status, 503);
    await res.body?.cancel();
    await first.close();
  } finally {
    await h.close();
  }
});

test('an idle session (no open request) is closed after sessionIdleMs', async () => {
  const sessions = new Sessions();
  const h = await host(sessions, { sessionIdleMs: 20 });
  try {
    const res = await fetch(h.url, { method: 'POST', headers: JSON_HEADERS, body: initializeBody() });
    assert.equal(res.status, 200);
    assert.ok(res.headers.get('mcp-session-id'));
    await res.text();
    await sessions.closedAtLeast(1);
    assert.equal(h.sessionCount(), 0);
  } finally {
    await h.close();
  }
});

test('close(): open sessions and streams are closed, later requests are refused, close is idempotent', async () => {
  const sessions = new Sessions();
  const h = await host(sessions);
  const client = await connect(h.url);
  const closing = h.close();
  await Promise.all([closing, h.close()]);
  assert.equal(sessions.closed, 1);
  await assert.rejects(fetch(h.url, { method: 'POST', headers: JSON_HEADERS, body: initializeBody() }));
  await client.close();
});

test('a server that fails to connect: 500 with a JSON-RPC error, the error reported, the session closed', async () => {
  const errors: Error[] = [];
  let closed = 0;
  const h = await startHttpHost({
    host: '127.0.0.1',
    port: 0,
    stateless: false,
    jsonResponse: false,
    demoAuth: false,
    onError: (error) => errors.push(error),
    createSession: () => ({
      connect: async () => {
        throw new Error('cannot connect');
      },
      close: async () => {
        closed++;
      },
    }),
  });
  try {
    const res = await fetch(h.url, { method: 'POST', headers: JSON_HEADERS, body: initializeBody() });
    assert.equal(res.status, 500);
    assert.equal(((await res.json()) as { error: { code: number } }).error.code, -32603);
    assert.equal(closed, 1);
    assert.deepEqual(errors.map((e) => e.message), ['cannot connect']);
    assert.equal(h.sessionCount(), 0);
  } finally {
    await h.close();
  }
});

test('close() lets a POST response in flight finish first', async () => {
  const sessions = new Sessions();
  const h = await host(sessions, { closeGraceMs: 60_000 });
  const client = await connect(h.url);
  const call = client.callTool({ name: 'wait', arguments: {} });
  await sessions.reached;
  const closing = h.close();
  sessions.release();
  const result = await call;
  assert.match((result.content as Array<{ text: string }>)[0]!.text, /^- /);
  await closing;
  await client.close();
});

test('close() ends a POST response that does not finish within the grace period', async () => {
  const sessions = new Sessions();
  const h = await host(sessions, { closeGraceMs: 10 });
  const client = await connect(h.url);
  const call = client.callTool({ name: 'wait', arguments: {} });
  call.catch(() => undefined);
  await sessions.reached;
  await h.close();
  await client.close();
  await assert.rejects(call);
  sessions.release();
});

test('a request id reused within a session while its first request is in progress: -32600 naming the id, the first still answered', async () => {
  const sessions = new Sessions();
  const h = await host(sessions);
  try {
    const init = await fetch(h.url, { method: 'POST', headers: JSON_HEADERS, body: initializeBody() });
    const sessionId = init.headers.get('mcp-session-id')!;
    await init.text();
    const headers = { ...JSON_HEADERS, 'mcp-session-id': sessionId, 'mcp-protocol-version': LATEST_PROTOCOL_VERSION };
    await fetch(h.url, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) });
    const first = fetch(h.url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ jsonrpc: '2.0', id: 'D', method: 'tools/call', params: { name: 'wait', arguments: {} } }),
    });
    await sessions.reached; // the first request is in progress
    const second = await fetch(h.url, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: 'D', method: 'tools/list' }) });
    assert.equal(second.status, 400);
    const refused = (await second.json()) as { id: unknown; error: { code: number; message: string } };
    assert.equal(refused.id, 'D');
    assert.equal(refused.error.code, -32600);
    assert.match(refused.error.message, /request id "D" is already in use/);
    sessions.release();
    const answer = await (await first).text();
    assert.match(answer, /"id":"D"/);
    assert.match(answer, /"result"/);
    // once answered, the id may be used again
    const again = await fetch(h.url, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: 'D', method: 'tools/list' }) });
    assert.equal(again.status, 200);
    assert.match(await again.text(), /whoami/);
  } finally {
    await h.close();
  }
});

test('idle keep-alive connections are kept 65 s, longer than fetch reuses them (no UND_ERR_SOCKET under load)', async () => {
  const sessions = new Sessions();
  const h = await host(sessions);
  try {
    // node:http shows the Keep-Alive hint that Node derives from the server's keepAliveTimeout
    // (fetch reads and hides it); the SDK's own responses set `Connection` themselves and carry no
    // hint, so fetch keeps those idle 4 s: far below the server's 65.
    const keepAlive = await new Promise<string | undefined>((resolve, reject) => {
      const req = request(new URL('/elsewhere', h.url), { headers: { connection: 'keep-alive' } }, (res) => {
        res.resume();
        resolve(res.headers['keep-alive'] as string | undefined);
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(keepAlive, 'timeout=65');
  } finally {
    await h.close();
  }
});
