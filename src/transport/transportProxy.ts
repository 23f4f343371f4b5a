/**
 * `TransportProxy`: a `Transport` that delegates to another one and lets the runtime (or a host such
 * as the reference server) act on what passes, with the public `Transport` interface only.
 */
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, MessageExtraInfo } from '@modelcontextprotocol/sdk/types.js';

type OnMessage = NonNullable<Transport['onmessage']>;
type Send = (message: JSONRPCMessage, options?: TransportSendOptions) => Promise<void>;

/** What a {@link TransportProxy} does besides delegating. */
export interface TransportHooks {
  /**
   * Sees every inbound message (and its transport information) before the server does, and returns
   * what the server gets: the message, a rewritten one, or `undefined` to consume it.
   */
  inbound?(message: JSONRPCMessage, extra: MessageExtraInfo | undefined): JSONRPCMessage | undefined;
  /** Sends a message on behalf of the server; `send` is the inner transport's. */
  send?(message: JSONRPCMessage, options: TransportSendOptions | undefined, send: Send): Promise<void>;
  /** Runs once when the transport closes, before the server's close handler. */
  closed?(): void;
}

/** Delegates to `inner`, with {@link TransportHooks} on the way. */
export class TransportProxy implements Transport {
  readonly #inner: Transport;
  readonly #hooks: TransportHooks;
  #onmessage: OnMessage | undefined;
  #onclose: (() => void) | undefined;

  constructor(inner: Transport, hooks: TransportHooks) {
    this.#inner = inner;
    this.#hooks = hooks;
    // A close handler set on the inner transport before wrapping (a host's) keeps running.
    this.#onclose = inner.onclose;
    inner.onclose = () => {
      this.#hooks.closed?.();
      this.#onclose?.();
    };
  }

  get sessionId(): string | undefined {
    return this.#inner.sessionId;
  }

  get onclose(): (() => void) | undefined {
    return this.#onclose;
  }
  set onclose(handler: (() => void) | undefined) {
    this.#onclose = handler;
  }

  get onerror(): ((error: Error) => void) | undefined {
    return this.#inner.onerror;
  }
  set onerror(handler: ((error: Error) => void) | undefined) {
    this.#inner.onerror = handler;
  }

  get onmessage(): OnMessage | undefined {
    return this.#onmessage;
  }
  set onmessage(handler: OnMessage | undefined) {
    this.#onmessage = handler;
    const inbound = this.#hooks.inbound;
    this.#inner.onmessage =
      handler && inbound
        ? (<T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => {
            const kept = inbound(message, extra);
            if (kept !== undefined) handler(kept, extra);
          }) as OnMessage
        : handler;
  }

  get setProtocolVersion(): ((version: string) => void) | undefined {
    return this.#inner.setProtocolVersion?.bind(this.#inner);
  }

  start(): Promise<void> {
    return this.#inner.start();
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    const send: Send = (m, o) => this.#inner.send(m, o);
    return this.#hooks.send ? this.#hooks.send(message, options, send) : send(message, options);
  }

  close(): Promise<void> {
    return this.#inner.close();
  }
}
