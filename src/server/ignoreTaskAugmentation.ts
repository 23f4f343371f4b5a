/**
 * R20 for servers that have **not** declared `tasks.requests.tools.call`: such a receiver MUST
 * process `tools/call` normally and ignore `params.task`. The SDK's Protocol instead rejects a
 * task-augmented request with -32603 before any handler runs (TS-SDK F1), so the field has to go
 * before the Protocol sees it: this transport wrapper removes `params.task` from inbound
 * `tools/call` requests and forwards everything else unchanged.
 */
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, MessageExtraInfo } from '@modelcontextprotocol/sdk/types.js';

type OnMessage = NonNullable<Transport['onmessage']>;

/** The message without `params.task` if it is a `tools/call` request, else the message itself. */
export function stripToolCallTask(message: JSONRPCMessage): JSONRPCMessage {
  if (!('method' in message) || message.method !== 'tools/call' || !('id' in message)) return message;
  const params = message.params as Record<string, unknown> | undefined;
  if (!params || !('task' in params)) return message;
  const { task: _ignored, ...rest } = params;
  return { ...message, params: rest };
}

/** A transport that hides `params.task` of inbound `tools/call` requests from the server (R20). */
class TaskAugmentationFilter implements Transport {
  readonly #inner: Transport;
  #onmessage: OnMessage | undefined;

  constructor(inner: Transport) {
    this.#inner = inner;
  }

  get sessionId(): string | undefined {
    return this.#inner.sessionId;
  }

  get onclose(): (() => void) | undefined {
    return this.#inner.onclose;
  }
  set onclose(handler: (() => void) | undefined) {
    this.#inner.onclose = handler;
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
      ? (<T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => handler(stripToolCallTask(message), extra)) as OnMessage
      : undefined;
  }

  get setProtocolVersion(): ((version: string) => void) | undefined {
    return this.#inner.setProtocolVersion?.bind(this.#inner);
  }

  start(): Promise<void> {
    return this.#inner.start();
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    return this.#inner.send(message, options);
  }

  close(): Promise<void> {
    return this.#inner.close();
  }
}

/**
 * Wraps a transport for a server that does not declare `tasks.requests.tools.call`, so that
 * task-augmented `tools/call` requests run normally, as R20 requires:
 * `await server.connect(ignoreTaskAugmentation(transport))`. (`TaskServer` does it by itself when
 * tasks are not enabled.) Do not use it on a server with tasks enabled.
 */
export function ignoreTaskAugmentation(transport: Transport): Transport {
  return new TaskAugmentationFilter(transport);
}
