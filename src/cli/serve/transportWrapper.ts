/**
 * A transport that delegates to another one and lets the reference server look at (and act on)
 * what passes in both directions, with the public `Transport` interface only.
 */
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, McpError, type JSONRPCMessage, type MessageExtraInfo } from '@modelcontextprotocol/sdk/types.js';

type OnMessage = NonNullable<Transport['onmessage']>;

/** What a {@link WrappedTransport} does besides delegating. */
export interface TransportHooks {
  /** Sees every inbound message (and its transport information) before the server does. */
  inbound?(message: JSONRPCMessage, extra: MessageExtraInfo | undefined): void;
  /** Sends a message on behalf of the server; `send` is the inner transport's. */
  send?(message: JSONRPCMessage, options: TransportSendOptions | undefined, send: (message: JSONRPCMessage, options?: TransportSendOptions) => Promise<void>): Promise<void>;
  /** Runs once when the transport closes. */
  closed?(): void;
}

/** Delegates to `inner`, with {@link TransportHooks} on the way. */
export class WrappedTransport implements Transport {
  readonly #inner: Transport;
  readonly #hooks: TransportHooks;
  #onmessage: OnMessage | undefined;
  #onclose: (() => void) | undefined;

  constructor(inner: Transport, hooks: TransportHooks) {
    this.#inner = inner;
    this.#hooks = hooks;
    // A close handler set on the inner transport before wrapping (the host's) keeps running.
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
    this.#inner.onmessage = handler
      ? (<T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => {
          this.#hooks.inbound?.(message, extra);
          handler(message, extra);
        }) as OnMessage
      : undefined;
  }

  get setProtocolVersion(): ((version: string) => void) | undefined {
    return this.#inner.setProtocolVersion?.bind(this.#inner);
  }

  start(): Promise<void> {
    return this.#inner.start();
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    const send = (m: JSONRPCMessage, o?: TransportSendOptions): Promise<void> => this.#inner.send(m, o);
    return this.#hooks.send ? this.#hooks.send(message, options, send) : send(message, options);
  }

  close(): Promise<void> {
    return this.#inner.close();
  }
}

/**
 * For a stateless server with JSON responses: no stream can carry a request to the client (the
 * SDK would drop it silently, F4), so sending one fails at once with -32000 and a clear message,
 * and a task's `elicit()` / `createMessage()` fails instead of waiting for its timeout.
 */
export function refuseClientRequests(transport: Transport): Transport {
  return new WrappedTransport(transport, {
    send(message, options, send) {
      if ('method' in message && 'id' in message) {
        return Promise.reject(
          new McpError(
            ErrorCode.ConnectionClosed,
            'a stateless server with JSON responses has no stream to send requests to the client on (serve with SSE responses)',
          ),
        );
      }
      return send(message, options);
    },
  });
}
