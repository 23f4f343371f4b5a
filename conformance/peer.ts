/**
 * One connection of the suite to the server under test.
 *
 * An SDK `Client` does the handshake and answers the server's elicitation and sampling requests;
 * every request the checks make goes out raw (string ids `conf-N`) through a recording transport
 * wrapper, so the checks see exactly what the server sent: error codes and data, `_meta`, keys the
 * SDK's schemas would strip, and every server→client request and notification in arrival order.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import { minimalInstance } from './discovery/schemaInstance.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ListRootsRequestSchema,
  RELATED_TASK_META_KEY,
  type ClientCapabilities,
  type CreateMessageResult,
  type ElicitResult,
  type JSONRPCMessage,
  type ServerCapabilities,
} from '@modelcontextprotocol/sdk/types.js';

/** A JSON-RPC error object as received. */
export interface RawError {
  code: number;
  message: string;
  data?: unknown;
}

/** What a raw request produced. */
export type RawOutcome =
  | { kind: 'result'; result: Record<string, unknown>; at: number }
  | { kind: 'error'; error: RawError; at: number }
  | { kind: 'timeout'; at: number }
  | { kind: 'closed'; at: number };

/** A message the server sent us, in arrival order. */
export interface Inbound {
  seq: number;
  at: number;
  message: JSONRPCMessage;
}

/** Content type of one HTTP POST response, by the JSON-RPC method it answered. */
export interface HttpExchange {
  method: string;
  status: number;
  contentType: string;
}

/** HTTP details of a connection over Streamable HTTP. */
export interface HttpDetails {
  url: string;
  headers: Record<string, string>;
  exchanges: HttpExchange[];
  sessionId(): string | undefined;
  protocolVersion(): string | undefined;
}

/**
 * What the suite's client declares unless told otherwise: everything a task client can declare, so
 * that servers which register tools by client capability (in `oninitialized`) show them all.
 */
export const DEFAULT_CLIENT_CAPABILITIES: ClientCapabilities = {
  elicitation: { form: {}, url: {} },
  sampling: {},
  roots: {},
  tasks: { list: {}, cancel: {}, requests: { elicitation: { create: {} }, sampling: { createMessage: {} } } },
};

/**
 * Answers the server's `elicitation/create`; the default accepts with a minimal valid instance of
 * the requested schema, booleans true (the fixture's `{ confirm: true }`).
 */
export type ElicitResponder = (params: Record<string, unknown>) => Promise<ElicitResult> | ElicitResult;
/** Answers the server's `sampling/createMessage`. */
export type SampleResponder = (params: Record<string, unknown>) => Promise<CreateMessageResult> | CreateMessageResult;

interface Pending {
  resolve(outcome: RawOutcome): void;
}

/** Echoes the related-task `_meta` of a side-channel request into our answer (R33). */
function relatedMeta(params: Record<string, unknown>): Record<string, unknown> | undefined {
  const meta = params._meta as Record<string, unknown> | undefined;
  const related = meta?.[RELATED_TASK_META_KEY];
  return related === undefined ? undefined : { [RELATED_TASK_META_KEY]: related };
}

/** The text of the first user message of a sampling request. */
function promptOf(params: Record<string, unknown>): string {
  const messages = params.messages as Array<{ content?: { type?: string; text?: string } }> | undefined;
  const content = messages?.[0]?.content;
  return content?.type === 'text' && typeof content.text === 'string' ? content.text : '';
}

/** A connection to the server under test. */
export class Peer {
  readonly client: Client;
  readonly inbound: Inbound[] = [];
  readonly http: HttpDetails | undefined;
  /** Replace to answer elicitations differently. */
  elicit: ElicitResponder = (params) => {
    const meta = relatedMeta(params);
    let content: Record<string, unknown>;
    try {
      content = minimalInstance(params.requestedSchema, { booleans: true }) as Record<string, unknown>;
    } catch {
      return { action: 'decline', ...(meta ? { _meta: meta } : {}) };
    }
    return { action: 'accept', content: content as ElicitResult['content'], ...(meta ? { _meta: meta } : {}) };
  };
  /** Replace to answer sampling differently. */
  sample: SampleResponder = (params) => {
    const meta = relatedMeta(params);
    return {
      role: 'assistant',
      model: 'conformance-harness',
      content: { type: 'text', text: `sampled: ${promptOf(params)}` },
      ...(meta ? { _meta: meta } : {}),
    };
  };
  private readonly inner: Transport;
  private readonly wrapper: Transport;
  private readonly pending = new Map<string, Pending>();
  private readonly waiters = new Set<(entry: Inbound) => void>();
  private nextId = 1;
  private seq = 0;
  private closed = false;

  private constructor(inner: Transport, http: HttpDetails | undefined, capabilities: ClientCapabilities) {
    this.inner = inner;
    this.http = http;
    this.wrapper = this.wrap(inner);
    this.client = new Client(
      { name: 'mcp-tasks-conformance', version: '1.0.0' },
      { capabilities },
    );
    this.client.onerror = () => {
      // Unknown progress tokens and the like: the suite reads the raw messages instead.
    };
    this.client.setRequestHandler(ElicitRequestSchema, async (request) =>
      this.elicit(request.params as unknown as Record<string, unknown>),
    );
    this.client.setRequestHandler(CreateMessageRequestSchema, async (request) =>
      this.sample(request.params as unknown as Record<string, unknown>),
    );
    if (capabilities.roots) this.client.setRequestHandler(ListRootsRequestSchema, () => ({ roots: [] }));
  }

  /** Connects over the given (not yet started) transport and completes the handshake. */
  static async connect(transport: Transport, http?: HttpDetails, timeoutMs = 10_000, capabilities = DEFAULT_CLIENT_CAPABILITIES): Promise<Peer> {
    const peer = new Peer(transport, http, capabilities);
    try {
      await peer.client.connect(peer.wrapper, { timeout: timeoutMs });
    } catch (error) {
      await peer.close();
      throw error;
    }
    return peer;
  }

  /** The capabilities the server declared. */
  get capabilities(): ServerCapabilities {
    return this.client.getServerCapabilities() ?? {};
  }

  /** The transport's session id, if it has sessions. */
  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  /** Sends a request and waits for its response (or the timeout). */
  request(method: string, params?: unknown, timeoutMs = 5000): Promise<RawOutcome> {
    const id = `conf-${this.nextId++}`;
    return this.send(id, method, params, timeoutMs);
  }

  /** Sends a request with the given id (to refer to it later, e.g. in `notifications/cancelled`). */
  requestAs(id: string, method: string, params?: unknown, timeoutMs = 5000): Promise<RawOutcome> {
    return this.send(id, method, params, timeoutMs);
  }

  /** Sends a notification. */
  async notify(method: string, params?: Record<string, unknown>): Promise<void> {
    await this.inner.send({ jsonrpc: '2.0', method, ...(params ? { params } : {}) });
  }

  /** Waits for an inbound message that matches, including ones that already arrived after `since`. */
  waitFor(match: (entry: Inbound) => boolean, timeoutMs: number, since = 0): Promise<Inbound | undefined> {
    const found = this.inbound.find((entry) => entry.seq > since && match(entry));
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => {
      const onEntry = (entry: Inbound): void => {
        if (!match(entry)) return;
        finish(entry);
      };
      const finish = (entry: Inbound | undefined): void => {
        clearTimeout(timer);
        this.waiters.delete(onEntry);
        resolve(entry);
      };
      const timer = setTimeout(() => finish(undefined), timeoutMs);
      this.waiters.add(onEntry);
    });
  }

  /** The sequence number of the last message received so far. */
  get lastSeq(): number {
    return this.seq;
  }

  /** Closes the connection (idempotent). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const pending of this.pending.values()) pending.resolve({ kind: 'closed', at: Date.now() });
    this.pending.clear();
    try {
      await this.client.close();
    } catch {
      // already closed
    }
    try {
      await this.inner.close();
    } catch {
      // already closed
    }
  }

  private send(id: string, method: string, params: unknown, timeoutMs: number): Promise<RawOutcome> {
    if (this.closed) return Promise.resolve({ kind: 'closed', at: Date.now() });
    return new Promise<RawOutcome>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve({ kind: 'timeout', at: Date.now() });
        // Tell the server we gave up, so a blocked handler can end.
        void this.inner
          .send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason: 'conformance timeout' } })
          .catch(() => undefined);
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (outcome) => {
          clearTimeout(timer);
          resolve(outcome);
        },
      });
      const message = { jsonrpc: '2.0' as const, id, method, ...(params === undefined ? {} : { params }) };
      this.inner.send(message as JSONRPCMessage).catch((error: unknown) => {
        const pending = this.pending.get(id);
        if (!pending) return;
        this.pending.delete(id);
        pending.resolve({
          kind: 'error',
          error: { code: Number.NaN, message: `transport error: ${error instanceof Error ? error.message : String(error)}` },
          at: Date.now(),
        });
      });
    });
  }

  private receive(message: JSONRPCMessage): boolean {
    const entry: Inbound = { seq: ++this.seq, at: Date.now(), message };
    this.inbound.push(entry);
    for (const waiter of [...this.waiters]) waiter(entry);
    const id = (message as { id?: unknown }).id;
    if (typeof id === 'string' && this.pending.has(id) && !('method' in message)) {
      const pending = this.pending.get(id)!;
      this.pending.delete(id);
      if ('error' in message && message.error) {
        pending.resolve({ kind: 'error', error: message.error as RawError, at: entry.at });
      } else {
        pending.resolve({ kind: 'result', result: (message as { result: Record<string, unknown> }).result, at: entry.at });
      }
      return true;
    }
    return false;
  }

  private wrap(inner: Transport): Transport {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const peer = this;
    const wrapper: Transport = {
      async start() {
        inner.onmessage = (message, extra) => {
          if (!peer.receive(message)) wrapper.onmessage?.(message, extra);
        };
        inner.onclose = () => {
          for (const pending of peer.pending.values()) pending.resolve({ kind: 'closed', at: Date.now() });
          peer.pending.clear();
          wrapper.onclose?.();
        };
        inner.onerror = (error) => wrapper.onerror?.(error);
        await inner.start();
      },
      send(message: JSONRPCMessage, options?: TransportSendOptions) {
        return inner.send(message, options);
      },
      close() {
        return inner.close();
      },
      get sessionId() {
        return inner.sessionId;
      },
      setProtocolVersion(version: string) {
        inner.setProtocolVersion?.(version);
      },
    };
    return wrapper;
  }
}
