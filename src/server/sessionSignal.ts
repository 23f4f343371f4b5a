/**
 * A signal aborted when a server's connection (its session) closes, from the SDK's documented
 * `Protocol.onclose` callback, chained once per server so that a close handler set before keeps
 * running. (A handler assigned to `server.onclose` after the first task replaces this one; the
 * watches then end with their tasks instead.)
 */
import { setMaxListeners } from 'node:events';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';

interface Session {
  readonly transport: Transport;
  readonly controller: AbortController;
}

const sessions = new WeakMap<Server, Session>();

/** Aborted when the connection `server` has now closes; `undefined` when it is not connected. */
export function sessionSignal(server: Server): AbortSignal | undefined {
  const transport = server.transport;
  if (transport === undefined) return undefined;
  const current = sessions.get(server);
  if (current?.transport === transport) return current.controller.signal;
  if (current === undefined) {
    const previous = server.onclose;
    server.onclose = () => {
      sessions.get(server)?.controller.abort();
      previous?.();
    };
  } else {
    current.controller.abort();
  }
  const controller = new AbortController();
  // every watch of the session's running tasks listens here: many at once is the normal case
  setMaxListeners(0, controller.signal);
  sessions.set(server, { transport, controller });
  return controller.signal;
}
