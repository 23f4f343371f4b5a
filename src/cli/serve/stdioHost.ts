/** Hosts one MCP session on stdin/stdout. */
import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { McpSession } from './httpHost.js';

/** A running stdio host. */
export interface StdioHost {
  /** Resolves when the client has gone (stdin ended or the transport closed). */
  readonly ended: Promise<void>;
  /** Closes the session. Idempotent. */
  close(): Promise<void>;
}

/** Connects the session to `stdin`/`stdout` (the process's own by default). */
export async function startStdioHost(
  session: McpSession,
  stdin: Readable = process.stdin,
  stdout: Writable = process.stdout,
): Promise<StdioHost> {
  const transport = new StdioServerTransport(stdin, stdout);
  let endedResolve!: () => void;
  const ended = new Promise<void>((resolve) => (endedResolve = resolve));
  transport.onclose = () => endedResolve();
  const onEnd = (): void => endedResolve();
  stdin.once('end', onEnd);
  stdin.once('close', onEnd);
  await session.connect(transport);
  let closed: Promise<void> | undefined;
  return {
    ended,
    close() {
      closed ??= (async () => {
        stdin.off('end', onEnd);
        stdin.off('close', onEnd);
        await session.close();
        endedResolve();
      })();
      return closed;
    },
  };
}
