/**
 * The conformance fixture tools (the fixture contract of docs/conformance.md): exact names, argument shapes and behaviours, so the
 * conformance suite can check any server that registers them.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { TaskError } from '../src/core/errors.js';
import { TaskAbortedError } from '../src/runtime/errors.js';
import { registerZodTools, toolOf, type ToolRegistrar, type ZodTool } from './zodTool.js';

/** The names of the fixture tools, in the order of the fixture contract. */
export const FIXTURE_TOOL_NAMES = [
  'tasks_conformance_optional',
  'tasks_conformance_required',
  'tasks_conformance_forbidden',
  'tasks_conformance_tool_error',
  'tasks_conformance_protocol_error',
  'tasks_conformance_elicit',
  'tasks_conformance_sample',
  'tasks_conformance_progress',
  'tasks_conformance_hold',
  'tasks_conformance_stubborn',
] as const;

/** The error `tasks_conformance_protocol_error` fails with: the requested code and message, `data: { fixture: true }`. */
export class FixtureProtocolError extends TaskError {
  constructor(code: number, message: string) {
    super(code, message, { fixture: true });
  }
}

const delayMs = z.number().int().min(0).max(3_600_000);
const textArgs = z.object({ text: z.string(), delayMs: delayMs.optional(), count: z.boolean().optional() });

/** Most distinct texts counted at once (the oldest is forgotten beyond). */
const MAX_COUNTED = 1_000;
const runs = new Map<string, number>();

/** With `count`, the text and how many times this process has run a counting fixture on it (`text #N`). */
function counted(value: string, count: boolean | undefined): string {
  if (count !== true) return value;
  const n = (runs.get(value) ?? 0) + 1;
  runs.delete(value);
  runs.set(value, n);
  if (runs.size > MAX_COUNTED) runs.delete(runs.keys().next().value as string);
  return `${value} #${n}`;
}
const holdArgs = z.object({ holdMs: delayMs });

function text(value: string): CallToolResult {
  return { content: [{ type: 'text', text: value }] };
}

interface Fixture<S extends z.ZodType> extends ZodTool<S> {
  name: (typeof FIXTURE_TOOL_NAMES)[number];
}

function fixture<S extends z.ZodType>(f: Fixture<S>): Fixture<S> {
  return f;
}

const FIXTURES = [
  fixture({
    name: 'tasks_conformance_optional',
    taskSupport: 'optional',
    description: 'Waits delayMs (default 0) and returns text (with count: "text #N", N the runs on that text).',
    args: textArgs,
    handler: async ({ text: value, delayMs: ms = 0, count }, ctx) => {
      if (ms > 0) await sleep(ms, undefined, { signal: ctx.signal });
      return text(counted(value, count));
    },
  }),
  fixture({
    name: 'tasks_conformance_required',
    taskSupport: 'required',
    description: 'Task-only: waits delayMs (default 0) and returns text (with count: "text #N", N the runs on that text).',
    args: textArgs,
    handler: async ({ text: value, delayMs: ms = 0, count }, ctx) => {
      if (ms > 0) await sleep(ms, undefined, { signal: ctx.signal });
      return text(counted(value, count));
    },
  }),
  fixture({
    name: 'tasks_conformance_forbidden',
    taskSupport: 'forbidden',
    description: 'Never a task: returns text (with count: "text #N", N the runs on that text).',
    args: z.object({ text: z.string(), count: z.boolean().optional() }),
    handler: async ({ text: value, count }) => text(counted(value, count)),
  }),
  fixture({
    name: 'tasks_conformance_tool_error',
    taskSupport: 'optional',
    description: 'Returns a CallToolResult with isError: true and the message.',
    args: z.object({ message: z.string() }),
    handler: async ({ message }) => ({ ...text(message), isError: true }),
  }),
  fixture({
    name: 'tasks_conformance_protocol_error',
    taskSupport: 'optional',
    description: 'Fails with a JSON-RPC error of the given code and message, data { fixture: true }; with plain: true, throws a plain exception with the message instead (an internal error).',
    args: z
      .object({ code: z.number().int().optional(), message: z.string(), plain: z.boolean().optional() })
      .refine((args) => args.plain === true || args.code !== undefined, { message: 'code is required unless plain is true' }),
    handler: async ({ code, message, plain }) => {
      if (plain === true) throw new Error(message);
      throw new FixtureProtocolError(code!, message);
    },
  }),
  fixture({
    name: 'tasks_conformance_elicit',
    taskSupport: 'required',
    description: 'Asks the user to confirm (form elicitation { confirm: boolean }), works holdAfterMs more (default 0) and reports the answer.',
    args: z.object({ message: z.string(), holdAfterMs: delayMs.optional() }),
    handler: async ({ message, holdAfterMs = 0 }, ctx) => {
      const answer = await ctx.elicit(message, {
        type: 'object',
        properties: { confirm: { type: 'boolean', title: 'Confirm' } },
        required: ['confirm'],
      });
      if (holdAfterMs > 0) await sleep(holdAfterMs, undefined, { signal: ctx.signal });
      if (answer.action === 'decline') return text('declined');
      if (answer.action === 'cancel') return text('cancelled');
      return text(`confirmed: ${answer.content?.['confirm'] === true}`);
    },
  }),
  fixture({
    name: 'tasks_conformance_sample',
    taskSupport: 'required',
    description: 'Asks the client to sample the prompt (maxTokens 64) and returns the reply text.',
    args: z.object({ prompt: z.string() }),
    handler: async ({ prompt }, ctx) => {
      const reply = await ctx.createMessage({
        messages: [{ role: 'user', content: { type: 'text', text: prompt } }],
        maxTokens: 64,
      });
      const blocks = Array.isArray(reply.content) ? reply.content : [reply.content];
      return text(blocks.map((block) => (block.type === 'text' ? block.text : '')).join(''));
    },
  }),
  fixture({
    name: 'tasks_conformance_progress',
    taskSupport: 'optional',
    description: 'Reports progress i/steps every delayMs (default 10) and sets the status message; returns done.',
    args: z.object({ steps: z.number().int().min(0).max(10_000), delayMs: delayMs.optional() }),
    handler: async ({ steps, delayMs: ms = 10 }, ctx) => {
      for (let i = 1; i <= steps; i++) {
        await sleep(ms, undefined, { signal: ctx.signal });
        await ctx.reportProgress(i, steps, `step ${i}/${steps}`);
      }
      return text('done');
    },
  }),
  fixture({
    name: 'tasks_conformance_hold',
    taskSupport: 'optional',
    description: 'Waits holdMs unless cancelled first (stops at once); returns held. With text and count, a wait that ran to its end counts a run on text (see the forbidden fixture\'s count).',
    args: holdArgs.extend({ text: z.string().optional(), count: z.boolean().optional() }),
    handler: async ({ holdMs, text: value, count }, ctx) => {
      await sleep(holdMs, undefined, { signal: ctx.signal });
      if (value !== undefined) counted(value, count);
      return text('held');
    },
  }),
  fixture({
    name: 'tasks_conformance_stubborn',
    taskSupport: 'optional',
    description: 'Ignores cancellation: waits holdMs, then tries to complete with stubborn.',
    args: holdArgs,
    handler: async ({ holdMs }, ctx) => {
      await holdIgnoringCancellation(holdMs, ctx.signal);
      return text('stubborn');
    },
  }),
];

/**
 * Waits `ms` whatever `signal` says (the stubborn fixture ignores cancellation). Once the runtime
 * shuts down (reason `shutdown`), the wait no longer keeps the process alive, so a process whose
 * `TaskSupport.close()` has returned can exit.
 */
function holdIgnoringCancellation(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const release = (): void => {
      if (signal.reason instanceof TaskAbortedError && signal.reason.reason === 'shutdown') timer.unref();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', release);
      resolve();
    }, ms);
    if (signal.aborted) release();
    else signal.addEventListener('abort', release, { once: true });
  });
}

const describe = (description: string): string => `Conformance fixture. ${description}`;

/** The fixture tools' definitions, as `tools/list` shows them. */
export function conformanceFixtureTools(): Tool[] {
  return FIXTURES.map((f) => toolOf(f as Fixture<z.ZodType>, describe));
}

/**
 * Registers every fixture tool of the fixture contract (docs/conformance.md) on a server with tasks
 * enabled (before `connect()`, like any first `registerTool`) or on the tasks extension. Bad
 * arguments get -32602.
 */
export function registerConformanceFixtures(tasks: ToolRegistrar): void {
  registerZodTools(tasks, FIXTURES as Fixture<z.ZodType>[], describe);
}
