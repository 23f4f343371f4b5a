/**
 * What a benchmark target is: one server implementation (ours in memory, ours on Redis, the SDK's
 * built-in task path, or a plain `tools/call` without tasks) connected to one client over one transport,
 * offering the same three tools: `instant` (returns its text at once), `gated` (returns once the
 * bench opens its gate) and `elicit` (makes one form elicitation, then returns).
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { TransportKind } from '../transports.js';

/** The implementations the bench compares. */
export type TargetKey = 'ours-memory' | 'ours-redis' | 'sdk' | 'plain';

/** Human-readable names used in the table. */
export const TARGET_LABELS: Readonly<Record<TargetKey, string>> = {
  'ours-memory': 'ours (in memory)',
  'ours-redis': 'ours (Redis)',
  sdk: 'SDK built-in',
  plain: 'plain tools/call',
};

/** How a W3 call waits for its result. */
export type WaitMode =
  /** `tools/call` with `task`, then one blocking `tasks/result` (ours; the SDK's built-in handler). */
  | 'blocking'
  /** The SDK client's `callToolStream` (polls `tasks/get`, then `tasks/result`). */
  | 'stream';

/** A gated call in flight; `done` settles when the client holds the result. */
export interface GatedCall {
  done: Promise<void>;
}

/** One connected implementation. */
export interface BenchTarget {
  readonly key: TargetKey;
  readonly transport: TransportKind;
  /** One complete lifecycle of the `instant` tool; rejects unless the expected result arrives. */
  instant(text: string): Promise<void>;
  /** The same lifecycle through this library's client handle (`callToolAsTask` → `result()`), where there is one. */
  instantViaHandle?(text: string): Promise<void>;
  /**
   * Starts a call of the `gated` tool for `gateId` and resolves once the client has sent its
   * waiting request(s); `done` settles when the result is in hand.
   */
  startGated(gateId: string, mode: WaitMode): Promise<GatedCall>;
  /** One complete call of the `elicit` tool (one elicitation round trip). */
  elicit(): Promise<void>;
  /**
   * W6: adds `count` completed tasks straight into the store, in the scope this target's client
   * lists (absent where the target has no task store).
   */
  populate?(count: number): Promise<void>;
  /** W6: one `tasks/list` request without cursor; resolves with the number of tasks on the page. */
  listFirstPage?(): Promise<number>;
  /** Closes the client, the server and whatever backend the target started. */
  close(): Promise<void>;
}

/** The text every `elicit` tool returns when the client accepts with `{ confirm: true }`. */
export const ELICIT_CONFIRMED = 'confirmed: true';

/** The form elicitation every `elicit` tool makes. */
export const ELICIT_PARAMS = {
  mode: 'form' as const,
  message: 'Proceed?',
  requestedSchema: {
    type: 'object' as const,
    properties: { confirm: { type: 'boolean' as const } },
    required: ['confirm'],
  },
};

/** A `CallToolResult` with one text content. */
export function textResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text }] };
}

/** Throws unless `result` is a successful result whose first content is the text `expected`. */
export function expectText(result: CallToolResult, expected: string): void {
  const first = result.content?.[0];
  if (result.isError || first?.type !== 'text' || first.text !== expected) {
    throw new Error(`unexpected tool result: ${JSON.stringify(result).slice(0, 300)}`);
  }
}

/**
 * Gates the `gated` tools wait on: the bench opens one at the instant it calls "the work finished".
 * Shared between the servers and the bench (all run in this process).
 */
export class Gates {
  private readonly waiting = new Map<string, { promise: Promise<void>; open: () => void }>();
  private next = 0;

  /** A fresh, closed gate. */
  create(): string {
    const id = `gate-${++this.next}`;
    let open!: () => void;
    const promise = new Promise<void>((resolve) => (open = resolve));
    this.waiting.set(id, { promise, open });
    return id;
  }

  /** Resolves when the gate opens (at once if it already has); unknown ids reject. */
  wait(id: string): Promise<void> {
    const gate = this.waiting.get(id);
    return gate ? gate.promise : Promise.reject(new Error(`unknown gate ${id}`));
  }

  /** Opens the gate (the work "finishes" now). */
  open(id: string): void {
    const gate = this.waiting.get(id);
    if (!gate) throw new Error(`unknown gate ${id}`);
    gate.open();
  }

  /** Opens every gate and forgets them all (so nothing waits forever when a workload ends). */
  openAll(): void {
    for (const gate of this.waiting.values()) gate.open();
    this.waiting.clear();
  }
}
