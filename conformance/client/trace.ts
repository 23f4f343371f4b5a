/**
 * What the scripted server saw of the client under test during one scenario: every JSON-RPC
 * message both ways in arrival order, the status history of the tasks it ran, and what it found
 * when it probed a task the client hosted.
 */
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** One message on the wire: `in` from the client, `out` to it. */
export interface TraceEntry {
  at: number;
  dir: 'in' | 'out';
  session: string;
  message: JSONRPCMessage;
}

/** What a probe of a client-hosted task (the server acting as requestor) got back. */
export interface Probe {
  /** e.g. `elicitation/create {task}`, `tasks/get`, `tasks/cancel (terminal task)`. */
  what: string;
  at: number;
  result?: Record<string, unknown>;
  error?: { code: number; message: string };
}

/** How the driver (the client under test) ended. */
export interface DriverEnd {
  /** The exit code of a `--command` client; undefined for in-process drivers. */
  exitCode?: number | null;
  timedOut: boolean;
  /** The driver's error (an in-process driver that threw), or the command's stderr tail. */
  error?: string;
  output?: string;
}

/** Everything one scenario recorded. */
export class ClientTrace {
  readonly entries: TraceEntry[] = [];
  /** Server-side tasks: id → statuses with the time each began. */
  readonly statuses = new Map<string, Array<{ status: string; at: number }>>();
  /** The poll interval the server gave each task (ms). */
  readonly pollIntervals = new Map<string, number>();
  readonly probes: Probe[] = [];
  driver: DriverEnd = { timedOut: false };

  constructor(readonly scenario: string) {}

  readonly #waiters = new Set<() => void>();

  /** Records a message. */
  record(dir: TraceEntry['dir'], session: string, message: JSONRPCMessage): void {
    this.entries.push({ at: Date.now(), dir, session, message });
    for (const wake of [...this.#waiters]) wake();
  }

  /** Resolves true once `done()` holds after a message (or at once), false at the timeout or abort. */
  waitFor(done: () => boolean, timeoutMs: number, signal: AbortSignal): Promise<boolean> {
    if (done()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const finish = (value: boolean): void => {
        clearTimeout(timer);
        this.#waiters.delete(check);
        signal.removeEventListener('abort', stop);
        resolve(value);
      };
      const check = (): void => {
        if (done()) finish(true);
      };
      const stop = (): void => finish(false);
      const timer = setTimeout(stop, timeoutMs);
      this.#waiters.add(check);
      signal.addEventListener('abort', stop, { once: true });
    });
  }

  /** Records a server-side task's new status. */
  status(taskId: string, status: string): void {
    const list = this.statuses.get(taskId) ?? [];
    list.push({ status, at: Date.now() });
    this.statuses.set(taskId, list);
  }

  /** The client's requests of a method, in order. */
  requests(method: string): Array<TraceEntry & { params: Record<string, unknown>; id: string | number }> {
    return this.entries
      .filter((e) => e.dir === 'in' && 'method' in e.message && 'id' in e.message && e.message.method === method)
      .map((e) => {
        const m = e.message as { id: string | number; params?: Record<string, unknown> };
        return { ...e, params: m.params ?? {}, id: m.id };
      });
  }

  /** Our answer to the client's request `id` of a session, if sent. */
  answerTo(session: string, id: string | number): (TraceEntry & { result?: Record<string, unknown>; error?: { code: number } }) | undefined {
    const found = this.entries.find((e) => e.dir === 'out' && e.session === session && !('method' in e.message) && 'id' in e.message && e.message.id === id);
    return found ? { ...found, ...(found.message as { result?: Record<string, unknown>; error?: { code: number } }) } : undefined;
  }

  /** The client's answers to our requests of a method (matched by id), in order. */
  answersOf(method: string): Array<{ request: TraceEntry; answer: TraceEntry | undefined }> {
    return this.entries
      .filter((e) => e.dir === 'out' && 'method' in e.message && 'id' in e.message && e.message.method === method)
      .map((request) => {
        const id = (request.message as { id: string | number }).id;
        const answer = this.entries.find((e) => e.dir === 'in' && e.session === request.session && !('method' in e.message) && 'id' in e.message && e.message.id === id);
        return { request, answer };
      });
  }

  /** The `initialize` params the client sent first. */
  get initialize(): Record<string, unknown> | undefined {
    return this.requests('initialize')[0]?.params;
  }

  /** When a server-side task first had `status`, if it did. */
  firstAt(taskId: string, status: string): number | undefined {
    return this.statuses.get(taskId)?.find((s) => s.status === status)?.at;
  }
}
