/**
 * Bad input to the reference server over Streamable HTTP (JSON-response mode, one session):
 * broken JSON, non-JSON-RPC bodies, oversized batches, wrong headers and the malformed task
 * requests of the in-memory fuzz test, serialized. Every POST gets an HTTP error with a JSON-RPC
 * error body, or JSON-RPC error responses with the right codes; the server keeps serving.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startReferenceServer } from '../../src/cli/serve/index.js';
import { envelopeCases, OMIT, paramsCases, Rng, type FuzzCase } from './badInputCases.js';

const SEED = process.env['FUZZ_SEED'] === undefined ? (Date.now() ^ 0x4e11) >>> 0 : Number(process.env['FUZZ_SEED']) >>> 0;
const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

type Body = { jsonrpc?: string; id?: unknown; result?: unknown; error?: { code: number; message: string } };

test('R70, R64, R94 over HTTP: malformed POSTs get HTTP errors or the right JSON-RPC errors; the server keeps serving', async () => {
  console.log(`# http bad-input fuzz seed: ${SEED} (replay with FUZZ_SEED=${SEED})`);
  const server = await startReferenceServer({ port: 0, jsonResponse: true, maxBodyBytes: 64 * 1024 });
  try {
    const url = server.url!;
    const init = await fetch(url, {
      method: 'POST',
      headers: HEADERS,
      body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'fuzz', version: '1' } } }),
    });
    assert.equal(init.status, 200);
    const session = init.headers.get('mcp-session-id')!;
    await init.json();
    const headers = { ...HEADERS, 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' };
    await fetch(url, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) });

    const post = async (body: string, extraHeaders: Record<string, string> = {}): Promise<{ status: number; body: Body | Body[] | undefined }> => {
      const res = await fetch(url, { method: 'POST', headers: { ...headers, ...extraHeaders }, body });
      const text = await res.text();
      return { status: res.status, body: text === '' ? undefined : (JSON.parse(text) as Body | Body[]) };
    };

    const rng = new Rng(SEED);
    // No real task ids here: "cancel a terminal task" draws an unknown id, which gets the same -32602.
    const fakeIds = ['0123456789abcdef0123456789abcdef'];
    const generators = [...paramsCases(fakeIds, fakeIds), ...envelopeCases()];
    const problems: string[] = [];
    let id = 1;
    for (let round = 0; round < 40; round++) {
      const checks = Array.from({ length: 20 }, async () => {
        const kind = rng.int(10);
        if (kind === 0) {
          // Broken JSON → 400 / -32700.
          const text = rng.pick(['{', '{"jsonrpc":"2.0",', '[1,2', 'nul', '\u0000', '{"a":1}}', rng.string().slice(0, 200) + '{']);
          const { status, body } = await post(text);
          if (status !== 400 || (body as Body)?.error?.code !== -32700) problems.push(`broken JSON ${JSON.stringify(text)} → ${status} ${JSON.stringify(body)}`);
          return;
        }
        if (kind === 1) {
          // JSON that is not a JSON-RPC message → 400 / -32600 Invalid Request (JSON-RPC 2.0 §5.1): since one URL
          // serves both revisions, the v2 SDK's classification sends such bodies to the 2026-07-28 leg, which
          // answers with the right code (the 1.x transport answered -32700, Parse error, for valid JSON).
          // (An empty batch `[]` gets the SDK's 202: nothing to answer.)
          const value = rng.pick<unknown>([1, 'x', null, {}, [1], [{}], { jsonrpc: '2.0' }, { id: 1, method: 'tasks/get' }]);
          const { status, body } = await post(JSON.stringify(value));
          if (status !== 400 || (body as Body)?.error?.code !== -32600) problems.push(`non-JSON-RPC ${JSON.stringify(value)} → ${status} ${JSON.stringify(body)}`);
          return;
        }
        if (kind === 2) {
          // Wrong content type → 415; bodies over the cap → 413.
          const big = rng.chance(0.5);
          const { status } = big ? await post(JSON.stringify({ pad: 'x'.repeat(70_000) })) : await post('{}', { 'content-type': 'text/plain' });
          if (status !== (big ? 413 : 415)) problems.push(`${big ? 'oversized body' : 'text/plain'} → ${status}`);
          return;
        }
        // A malformed task request (sometimes two in one batch).
        const cases: Array<{ fuzz: FuzzCase; id: number }> = Array.from({ length: rng.chance(0.2) ? 2 : 1 }, () => ({ fuzz: rng.pick(generators)(rng), id: id++ }));
        const messages = cases.map(({ fuzz, id: messageId }) => {
          const message: Record<string, unknown> = { jsonrpc: '2.0', id: messageId, method: fuzz.method };
          if (fuzz.params !== OMIT) message['params'] = fuzz.params;
          return Object.assign(message, fuzz.envelope);
        });
        const envelope = cases.some(({ fuzz }) => isEnvelopeCase(fuzz));
        const { status, body } = await post(JSON.stringify(messages.length === 1 ? messages[0] : messages));
        if (envelope) {
          // A POST whose message is not a valid JSON-RPC request is rejected as a whole: 400 / -32600 (see above).
          if (status !== 400 || (body as Body)?.error?.code !== -32600) problems.push(`envelope ${JSON.stringify(messages).slice(0, 160)} → ${status} ${JSON.stringify(body)}`);
          return;
        }
        const replies = Array.isArray(body) ? body : [body];
        for (const { fuzz, id: messageId } of cases) {
          const reply = replies.find((r) => r?.id === messageId);
          if (fuzz.expect.kind !== 'error') continue;
          if (status !== 200 || reply?.error?.code !== fuzz.expect.code) {
            problems.push(`[${fuzz.category}] ${JSON.stringify(messages).slice(0, 160)} → ${status} ${JSON.stringify(reply ?? body).slice(0, 160)}`);
          }
        }
      });
      await Promise.all(checks);
    }
    assert.deepEqual(problems.slice(0, 10), [], `seed ${SEED}: ${problems.length} wrong answers`);

    // Still serving the same session: a normal task from start to end.
    const created = await post(JSON.stringify({ jsonrpc: '2.0', id: 'n1', method: 'tools/call', params: { name: 'tasks_conformance_required', arguments: { text: 'ok' }, task: {} } }));
    const taskId = ((created.body as Body).result as { task: { taskId: string } }).task.taskId;
    const result = await post(JSON.stringify({ jsonrpc: '2.0', id: 'n2', method: 'tasks/result', params: { taskId } }));
    assert.deepEqual(((result.body as Body).result as { content: unknown }).content, [{ type: 'text', text: 'ok' }]);
  } finally {
    await server.close();
  }
});

const ENVELOPE_CATEGORIES = new Set(['params is an array', 'params is not structured', 'bad _meta', 'invalid request object']);

function isEnvelopeCase(fuzz: FuzzCase): boolean {
  return ENVELOPE_CATEGORIES.has(fuzz.category);
}
