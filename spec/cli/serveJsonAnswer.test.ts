/**
 * R35: `tasks/get` (and `tasks/list`, `tasks/cancel`) POSTs are answered with `application/json`
 * even when the server answers POSTs with SSE; nothing else written on such a stream is lost.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { answerAsJson, BufferedResponse, isJsonAnswered, sseMessages } from '../../src/cli/serve/jsonAnswer.js';
import { isJsonContentType } from '../../src/transport/requestBody.js';
import { INITIALIZE, cancelTask, createTask, getTask, httpClient, listTasks, rawPost, textOf, taskResult, withServer } from './serveHelpers.js';

interface RawAnswer {
  status: number;
  contentType: string;
  text: string;
}

/** A raw MCP peer: initialize (with or without a session), then requests by hand. */
async function rawPeer(url: string, token?: string): Promise<(body: unknown) => Promise<RawAnswer>> {
  const auth: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
  const init = await rawPost(url, INITIALIZE, auth);
  assert.equal(init.status, 200);
  await init.text();
  const session = init.headers.get('mcp-session-id');
  const headers = { ...auth, 'mcp-protocol-version': '2025-11-25', ...(session === null ? {} : { 'mcp-session-id': session }) };
  const initialized = await rawPost(url, { jsonrpc: '2.0', method: 'notifications/initialized' }, headers);
  assert.equal(initialized.status, 202);
  return async (body) => {
    const res = await rawPost(url, body, headers);
    return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text() };
  };
}

const call = (id: number, name: string, args: Record<string, unknown>, task = true) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name, arguments: args, ...(task ? { task: { ttl: 60_000 } } : {}) },
});

for (const mode of [{ label: 'SSE sessions', options: {} }, { label: 'SSE stateless with demo auth', options: { stateless: true, demoAuth: true } }]) {
  test(`R35 (${mode.label}): tasks/get, tasks/list and tasks/cancel are answered with application/json; tools/call keeps its SSE stream`, async () => {
    await withServer(mode.options, async (server) => {
      const post = await rawPeer(server.url!, 'frank');
      const created = await post(call(2, 'tasks_conformance_hold', { holdMs: 600_000 }));
      assert.equal(created.status, 200);
      assert.match(created.contentType, /^text\/event-stream/);
      const taskId = (sseMessages(created.text)![0] as { result: { task: { taskId: string } } }).result.task.taskId;

      const get = await post({ jsonrpc: '2.0', id: 3, method: 'tasks/get', params: { taskId } });
      assert.equal(get.status, 200);
      assert.equal(get.contentType, 'application/json');
      const got = JSON.parse(get.text) as { id: number; result: { taskId: string; status: string } };
      assert.equal(got.id, 3);
      assert.equal(got.result.taskId, taskId);
      assert.equal(got.result.status, 'working');

      const list = await post({ jsonrpc: '2.0', id: 4, method: 'tasks/list', params: {} });
      assert.equal(list.contentType, 'application/json');
      assert.ok((JSON.parse(list.text) as { result: { tasks: Array<{ taskId: string }> } }).result.tasks.some((t) => t.taskId === taskId));

      const unknown = await post({ jsonrpc: '2.0', id: 5, method: 'tasks/get', params: { taskId: 'no-such-task' } });
      assert.equal(unknown.contentType, 'application/json');
      assert.equal((JSON.parse(unknown.text) as { error: { code: number } }).error.code, -32602);

      const cancel = await post({ jsonrpc: '2.0', id: 6, method: 'tasks/cancel', params: { taskId } });
      assert.equal(cancel.status, 200);
      const cancelled = cancel.contentType === 'application/json' ? [JSON.parse(cancel.text)] : sseMessages(cancel.text)!;
      const answer = cancelled.find((m) => (m as { id?: number }).id === 6) as { result: { status: string } };
      assert.equal(answer.result.status, 'cancelled');

      // A batch is not a single tasks/get: the transport answers it as it always does.
      const batch = await post([{ jsonrpc: '2.0', id: 7, method: 'tasks/get', params: { taskId } }]);
      assert.notEqual(batch.contentType, 'application/json');
    });
  });

  test(`R35 (${mode.label}): the SDK client still works with JSON answers to its tasks/* requests`, async () => {
    await withServer(mode.options, async (server) => {
      const client = await httpClient(server.url!, { token: 'grace' });
      const task = await createTask(client, 'tasks_conformance_optional', { text: 'json' });
      assert.equal((await getTask(client, task.taskId)).taskId, task.taskId);
      assert.equal(textOf(await taskResult(client, task.taskId)), 'json');
      assert.ok((await listTasks(client)).some((t) => t.taskId === task.taskId));
      const held = await createTask(client, 'tasks_conformance_hold', { holdMs: 600_000 });
      assert.equal((await cancelTask(client, held.taskId)).status, 'cancelled');
      await client.close();
    });
  });
}

test('R35: in JSON-response mode every POST is JSON already (nothing changes)', async () => {
  await withServer({ jsonResponse: true }, async (server) => {
    const post = await rawPeer(server.url!);
    const created = await post(call(2, 'tasks_conformance_optional', { text: 'x' }));
    assert.equal(created.contentType, 'application/json');
    const taskId = (JSON.parse(created.text) as { result: { task: { taskId: string } } }).result.task.taskId;
    const get = await post({ jsonrpc: '2.0', id: 3, method: 'tasks/get', params: { taskId } });
    assert.equal(get.contentType, 'application/json');
  });
});

test('isJsonAnswered: one request of tasks/get, tasks/list or tasks/cancel; not batches, notifications or other methods', () => {
  assert.equal(isJsonAnswered({ jsonrpc: '2.0', id: 1, method: 'tasks/get', params: { taskId: 't' } }), true);
  assert.equal(isJsonAnswered({ jsonrpc: '2.0', id: 'a', method: 'tasks/list' }), true);
  assert.equal(isJsonAnswered({ jsonrpc: '2.0', id: 1, method: 'tasks/cancel', params: { taskId: 't' } }), true);
  assert.equal(isJsonAnswered({ jsonrpc: '2.0', id: 1, method: 'tasks/result', params: { taskId: 't' } }), false);
  assert.equal(isJsonAnswered({ jsonrpc: '2.0', method: 'tasks/get' }), false);
  assert.equal(isJsonAnswered([{ jsonrpc: '2.0', id: 1, method: 'tasks/get' }]), false);
  assert.equal(isJsonAnswered(null), false);
  assert.equal(isJsonAnswered('tasks/get'), false);
  assert.equal(isJsonContentType('application/json; charset=utf-8'), true);
  assert.equal(isJsonContentType('text/plain'), false);
  assert.equal(isJsonContentType(undefined), false);
});

test('sseMessages: message events only; comments ignored; other events, fields or bad JSON → undefined', () => {
  assert.deepEqual(sseMessages('event: message\ndata: {"a":1}\n\n'), [{ a: 1 }]);
  assert.deepEqual(sseMessages(': keepalive\n\nevent: message\nid: 7\ndata: {"a":\ndata: 2}\n\n'), [{ a: 2 }]);
  assert.deepEqual(sseMessages('data: 1\r\n\r\ndata: 2\r\n\r\n'), [1, 2]);
  assert.deepEqual(sseMessages(''), []);
  assert.equal(sseMessages('event: ping\ndata: {}\n\n'), undefined);
  assert.equal(sseMessages('retry: 10\ndata: {}\n\n'), undefined);
  assert.equal(sseMessages('data: {not json\n\n'), undefined);
  assert.equal(sseMessages('data\n\n'), undefined);
});

/** A node:http server whose handler writes through answerAsJson. */
async function capturing(write: (out: BufferedResponse) => Promise<void>): Promise<{ url: string; close(): Promise<void>; errors: unknown[] }> {
  const errors: unknown[] = [];
  const server = http.createServer((_req, res) => {
    answerAsJson(res, write).catch((error: unknown) => {
      errors.push(error);
      res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    errors,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

test('answerAsJson: a stream with more than the response (e.g. a related notification) is sent unchanged as SSE', async () => {
  const note = { jsonrpc: '2.0', method: 'notifications/tasks/status', params: { taskId: 't', status: 'cancelled' } };
  const response = { jsonrpc: '2.0', id: 1, result: {} };
  const sse = `event: message\ndata: ${JSON.stringify(note)}\n\nevent: message\ndata: ${JSON.stringify(response)}\n\n`;
  const host = await capturing(async (out) => {
    out.writeHead(200, { 'content-type': 'text/event-stream', 'mcp-session-id': 's1' });
    out.write(sse);
    out.end();
  });
  try {
    const res = await fetch(host.url);
    assert.equal(res.headers.get('content-type'), 'text/event-stream');
    assert.equal(res.headers.get('mcp-session-id'), 's1');
    assert.deepEqual(sseMessages(await res.text()), [note, response]);
  } finally {
    await host.close();
  }
});

test('answerAsJson: one response becomes a JSON body with the status and non-SSE headers; non-SSE answers pass unchanged', async () => {
  const response = { jsonrpc: '2.0', id: 1, result: { ok: true } };
  const sse = await capturing(async (out) => {
    out.setHeader('Mcp-Session-Id', 's2');
    assert.equal(out.hasHeader('mcp-session-id'), true);
    assert.equal(out.getHeader('MCP-SESSION-ID'), 's2');
    out.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
    out.flushHeaders();
    out.write(`: keepalive\n\nevent: message\ndata: ${JSON.stringify(response)}\n\n`);
    out.end();
  });
  const plain = await capturing(async (out) => {
    out.setHeader('x-drop', '1');
    out.removeHeader('x-drop');
    out.writeHead(406, { 'content-type': 'application/json' });
    out.end('{"jsonrpc":"2.0","error":{"code":-32000,"message":"Not Acceptable"},"id":null}');
  });
  try {
    const res = await fetch(sse.url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.equal(res.headers.get('mcp-session-id'), 's2');
    assert.equal(res.headers.get('cache-control'), null);
    assert.deepEqual(await res.json(), response);
    const refused = await fetch(plain.url);
    assert.equal(refused.status, 406);
    assert.equal(refused.headers.get('x-drop'), null);
    assert.equal(((await refused.json()) as { error: { code: number } }).error.code, -32000);
  } finally {
    await sse.close();
    await plain.close();
  }
});

test('answerAsJson: a client that goes away while the answer is written closes the buffered response; an error inside is reported', async () => {
  let destroyed!: () => void;
  let started!: () => void;
  const closed = new Promise<void>((resolve) => (destroyed = resolve));
  const writing = new Promise<void>((resolve) => (started = resolve));
  const host = await capturing(async (out) => {
    out.once('close', () => destroyed());
    out.writeHead(200, { 'content-type': 'text/event-stream' });
    started();
    await closed;
  });
  const failing = await capturing(async () => {
    throw new Error('transport failed');
  });
  try {
    const controller = new AbortController();
    const answer = fetch(host.url, { signal: controller.signal });
    await writing;
    controller.abort();
    await assert.rejects(answer);
    await closed;
    assert.deepEqual(host.errors, []);
    await assert.rejects(fetch(failing.url));
    assert.match(String(failing.errors[0]), /transport failed/);
  } finally {
    await host.close();
    await failing.close();
  }
});
