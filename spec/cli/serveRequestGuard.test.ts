/** The request guard answers malformed requests that the SDK would drop without a reply. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { guardInvalidRequests, invalidRequestError } from '../../src/cli/serve/requestGuard.js';

test('valid requests, notifications, responses and id-less or bad-id messages are left alone', () => {
  for (const message of [
    { jsonrpc: '2.0', id: 1, method: 'tools/list' },
    { jsonrpc: '2.0', id: 'x', method: 'tasks/get', params: { taskId: 't', _meta: { progressToken: 3 } } },
    { jsonrpc: '2.0', id: 2, method: 'tasks/list' },
    { jsonrpc: '2.0', id: 3, method: 'tasks/list', params: { cursor: 'c' } },
    { jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'x', arguments: { a: 1 }, task: { ttl: 5 } } },
    { jsonrpc: '2.0', id: 5, method: 'other/method', params: { anything: [1] } },
    // Well-formed requests with bad params are the server's to answer (the task runtime says -32602).
    { jsonrpc: '2.0', id: 6, method: 'tasks/get', params: { taskId: 5 } },
    { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'x', arguments: [] } },
    { jsonrpc: '2.0', method: 'notifications/initialized' },
    { jsonrpc: '2.0', id: 1, result: {} },
    { jsonrpc: '2.0', id: 1.5, method: 'tools/list', params: [] },
    { jsonrpc: '2.0', id: null, method: 'tools/list', params: [] },
    null,
    'text',
    [1, 2],
  ]) {
    assert.equal(invalidRequestError(message), undefined, JSON.stringify(message));
  }
});

const cases: Array<[unknown, number]> = [
  [{ jsonrpc: '1.0', id: 1, method: 'tools/list' }, -32600],
  [{ jsonrpc: '2.0', id: 2, method: 7 }, -32600],
  [{ jsonrpc: '2.0', id: 3, method: 'tools/list', extra: true }, -32600],
  [{ jsonrpc: '2.0', id: 4, method: 'tools/list', params: 'x' }, -32600],
  [{ jsonrpc: '2.0', id: 5, method: 'tools/list', params: null }, -32600],
  [{ jsonrpc: '2.0', id: 6, method: 'tools/list', params: [1] }, -32602],
  [{ jsonrpc: '2.0', id: 7, method: 'tasks/get', params: { taskId: 't', _meta: [] } }, -32602],
  [{ jsonrpc: '2.0', id: 'eight', method: 'tasks/get', params: { _meta: { progressToken: 1.5 } } }, -32602],
  [{ jsonrpc: '2.0', id: 9, method: 'tasks/get', params: { _meta: { 'io.modelcontextprotocol/related-task': { taskId: 1 } } } }, -32602],
];

for (const [message, code] of cases) {
  test(`malformed request ${JSON.stringify(message)} → ${code}`, () => {
    const reply = invalidRequestError(message);
    assert.ok(reply);
    assert.equal(reply.error.code, code);
    assert.equal(reply.id, (message as { id: unknown }).id);
    assert.ok(reply.error.message.length > 10);
  });
}

test('guardInvalidRequests answers a bad request on the transport and still dispatches good ones', async () => {
  const server = new Server({ name: 's', version: '1' }, { capabilities: { tools: {} } });
  const [clientEnd, serverEnd] = InMemoryTransport.createLinkedPair();
  await server.connect(serverEnd);
  let reportFailure!: (error: Error) => void;
  const failure = new Promise<Error>((resolve) => (reportFailure = resolve));
  guardInvalidRequests(serverEnd, (error) => reportFailure(error));
  const replies = new Map<unknown, JSONRPCMessage>();
  const waiters = new Map<unknown, () => void>();
  clientEnd.onmessage = (message) => {
    const id = (message as { id?: unknown }).id;
    replies.set(id, message);
    waiters.get(id)?.();
  };
  await clientEnd.start();
  const reply = (id: unknown) =>
    replies.has(id) ? Promise.resolve(replies.get(id)!) : new Promise<JSONRPCMessage>((resolve) => waiters.set(id, () => resolve(replies.get(id)!)));
  await clientEnd.send({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: 'bad' } } as unknown as JSONRPCMessage);
  assert.equal(((await reply(1)) as { error: { code: number } }).error.code, -32602);
  await clientEnd.send({ jsonrpc: '2.0', id: 2, method: 'no/such/method' });
  assert.equal(((await reply(2)) as { error: { code: number } }).error.code, -32601);
  // A transport whose send fails reports through onError instead of rejecting unhandled.
  await serverEnd.close();
  serverEnd.onmessage?.({ jsonrpc: '2.0', id: 3, method: 'x', params: [] } as unknown as JSONRPCMessage);
  assert.match((await failure).message, /Not connected/);
});
