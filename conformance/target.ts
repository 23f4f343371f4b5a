/**
 * Where the suite connects: a Streamable HTTP URL, a stdio command, or (programmatically) any
 * function that returns a fresh client-side transport, e.g. an `InMemoryTransport` linked to an
 * in-process server.
 */
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { Peer, type HttpDetails, type HttpExchange } from './peer.js';

/** Which requestor a connection acts as: A (the main one) or B (for the isolation checks). */
export type Identity = 'A' | 'B';

/**
 * How the suite can make a second requestor: with a second credential, by opening a second
 * session (where the server scopes tasks to sessions), or not at all.
 */
export type RequestorMode = 'credentials' | 'sessions' | 'none';

/** A Streamable HTTP server. */
export interface UrlTarget {
  url: string;
  /** Headers of identity A, e.g. `{ Authorization: 'Bearer alice' }`. */
  headers?: Record<string, string>;
  /** Headers of identity B; enables the isolation checks at credential scope. */
  headersB?: Record<string, string>;
}

/** A stdio server started once per connection. */
export interface CommandTarget {
  /** The command line, split on whitespace (single and double quotes group words). */
  command: string;
  env?: Record<string, string>;
  cwd?: string;
}

/** Any server reachable through a transport factory (tests, in-process servers). */
export interface ConnectTarget {
  /** Returns a new, not yet started, client-side transport for the given requestor. */
  connect(identity: Identity): Promise<Transport> | Transport;
  /** Shown in the report. */
  name?: string;
  /** How a second requestor is made; default `none`. */
  requestors?: RequestorMode;
}

/** What the suite tests. */
export type TargetSpec = UrlTarget | CommandTarget | ConnectTarget;

/** The server could not be reached or started. */
export class ConnectError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConnectError';
  }
}

/** Splits a command line into words; quotes group, backslash escapes the next character. */
export function splitCommand(line: string): string[] {
  const words: string[] = [];
  let current = '';
  let quote: '"' | "'" | undefined;
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < line.length) current += line[++i];
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < line.length) {
      current += line[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (quote) throw new ConnectError(`unbalanced ${quote} quote in command: ${line}`);
  if (inWord) words.push(current);
  return words;
}

/** A target ready to open connections. */
export interface OpenTarget {
  description: string;
  transport: 'http' | 'stdio' | 'memory';
  /** True when identity A carries a credential the user gave. */
  hasCredentials: boolean;
  /** Opens a new connection; resolves to the peer after the handshake. */
  open(identity: Identity): Promise<Peer>;
  /** How a second requestor is made (decided by the runner for URLs). */
  requestors: RequestorMode;
}

function errorText(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    const causeText = cause instanceof Error ? `: ${cause.message}` : '';
    return `${error.message}${causeText}`;
  }
  return String(error);
}

function methodsOf(body: unknown): string[] {
  if (typeof body !== 'string') return [];
  try {
    const parsed = JSON.parse(body) as unknown;
    const list = Array.isArray(parsed) ? parsed : [parsed];
    return list.map((m) => (m && typeof m === 'object' && 'method' in m ? String((m as { method: unknown }).method) : '(response)'));
  } catch {
    return [];
  }
}

function openUrl(spec: UrlTarget, connectTimeoutMs: number, capabilities: ClientCapabilities | undefined): OpenTarget {
  let url: URL;
  try {
    url = new URL(spec.url);
  } catch {
    throw new ConnectError(`not a valid URL: ${spec.url}`);
  }
  const hasCredentials = Object.keys(spec.headers ?? {}).length > 0;
  return {
    description: `${spec.url} (Streamable HTTP)`,
    transport: 'http',
    hasCredentials,
    requestors: spec.headersB ? 'credentials' : hasCredentials ? 'none' : 'sessions',
    async open(identity) {
      const headers = { ...(identity === 'B' && spec.headersB ? spec.headersB : (spec.headers ?? {})) };
      const exchanges: HttpExchange[] = [];
      const recordingFetch = async (input: string | URL, init?: RequestInit): Promise<Response> => {
        const response = await fetch(input, init);
        if (init?.method === 'POST') {
          for (const method of methodsOf(init.body)) {
            exchanges.push({ method, status: response.status, contentType: response.headers.get('content-type') ?? '' });
          }
        }
        return response;
      };
      const transport = new StreamableHTTPClientTransport(url, { requestInit: { headers }, fetch: recordingFetch });
      const http: HttpDetails = {
        url: url.href,
        headers,
        exchanges,
        sessionId: () => transport.sessionId,
        protocolVersion: () => transport.protocolVersion,
      };
      try {
        return await Peer.connect(transport, http, connectTimeoutMs, capabilities);
      } catch (error) {
        throw new ConnectError(`cannot connect to ${spec.url}: ${errorText(error)}`, { cause: error });
      }
    },
  };
}

function openCommand(spec: CommandTarget, connectTimeoutMs: number, capabilities: ClientCapabilities | undefined): OpenTarget {
  const words = splitCommand(spec.command);
  const [command, ...args] = words;
  if (!command) throw new ConnectError('empty --command');
  return {
    description: `${spec.command} (stdio)`,
    transport: 'stdio',
    hasCredentials: false,
    requestors: 'none',
    async open() {
      const transport = new StdioClientTransport({
        command,
        args,
        stderr: 'pipe',
        ...(spec.cwd ? { cwd: spec.cwd } : {}),
        ...(spec.env ? { env: { ...(process.env as Record<string, string>), ...spec.env } } : {}),
      });
      let stderr = '';
      transport.stderr?.on('data', (chunk: Buffer) => {
        if (stderr.length < 4000) stderr += chunk.toString();
      });
      try {
        return await Peer.connect(transport, undefined, connectTimeoutMs, capabilities);
      } catch (error) {
        await transport.close().catch(() => undefined);
        const tail = stderr.trim() ? `\n--- server stderr ---\n${stderr.trim()}` : '';
        throw new ConnectError(`cannot start or talk to '${spec.command}': ${errorText(error)}${tail}`, { cause: error });
      }
    },
  };
}

function openConnect(spec: ConnectTarget, connectTimeoutMs: number, capabilities: ClientCapabilities | undefined): OpenTarget {
  return {
    description: spec.name ?? 'in-process server',
    transport: 'memory',
    hasCredentials: spec.requestors === 'credentials',
    requestors: spec.requestors ?? 'none',
    async open(identity) {
      try {
        const transport = await spec.connect(identity);
        return await Peer.connect(transport, undefined, connectTimeoutMs, capabilities);
      } catch (error) {
        throw new ConnectError(`cannot connect to ${spec.name ?? 'the server'}: ${errorText(error)}`, { cause: error });
      }
    },
  };
}

/**
 * Prepares a target; throws {@link ConnectError} for an unusable specification. Its connections
 * declare `capabilities` (default: `DEFAULT_CLIENT_CAPABILITIES`, everything a task client can declare).
 */
export function openTarget(spec: TargetSpec, connectTimeoutMs = 10_000, capabilities?: ClientCapabilities): OpenTarget {
  if ('url' in spec) return openUrl(spec, connectTimeoutMs, capabilities);
  if ('command' in spec) return openCommand(spec, connectTimeoutMs, capabilities);
  return openConnect(spec, connectTimeoutMs, capabilities);
}
