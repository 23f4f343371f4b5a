/**
 * The fixtures of the official conformance suite's 2026-07-28 tasks scenarios
 * (`@modelcontextprotocol/conformance`, scenarios `tasks-*`), written once against `ToolContext`
 * so that the same tools serve both revisions: `greet`, `slow_compute`, `failing_job`,
 * `protocol_error_job`, `confirm_delete`, `multi_input`, `test_tool_with_task`, and the SEP-2322
 * probe `test_input_required_result_elicitation`. Names, `taskSupport` and arguments are the suite's.
 */
import type { CallToolResult, ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { TaskError } from '../src/core/errors.js';
import { pause } from '../src/core/pause.js';
import type { ToolInputRequest } from '../src/runtime/toolRegistry.js';
import { registerZodTools, type ToolRegistrar, type ZodTool } from './zodTool.js';

/** The names of the official fixtures. */
export const OFFICIAL_FIXTURE_NAMES = [
  'greet',
  'slow_compute',
  'failing_job',
  'protocol_error_job',
  'confirm_delete',
  'multi_input',
  'test_tool_with_task',
  'test_input_required_result_elicitation',
] as const;

function text(value: string): CallToolResult {
  return { content: [{ type: 'text', text: value }] };
}

/** What an accepted form answer says under `field`, as text. */
function answered(result: ElicitResult | undefined, field: string): string {
  if (result?.action !== 'accept') return `(${result?.action ?? 'no answer'})`;
  return String(result.content?.[field] ?? '');
}

const userName: ToolInputRequest = {
  message: 'What is your name?',
  requestedSchema: { type: 'object', properties: { name: { type: 'string', title: 'Name' } }, required: ['name'] },
};

const confirmSchema = { type: 'object' as const, properties: { confirm: { type: 'boolean' as const, title: 'Confirm' } }, required: ['confirm'] };
const nameSchema = { type: 'object' as const, properties: { name: { type: 'string' as const, title: 'Name' } }, required: ['name'] };

/** Waits `ms` unless the call is cancelled first; then throws the signal's reason (the task stays cancelled). */
async function work(ms: number, signal: AbortSignal): Promise<void> {
  await pause(ms, signal);
  signal.throwIfAborted();
}

const OFFICIAL_FIXTURES: ZodTool<z.ZodType>[] = [
  {
    name: 'greet',
    taskSupport: 'forbidden',
    description: 'Returns Hello, {name}! at once (never a task).',
    args: z.object({ name: z.string().optional() }),
    handler: async ({ name }: { name?: string | undefined }) => text(`Hello, ${name ?? 'World'}!`),
  },
  {
    name: 'slow_compute',
    taskSupport: 'optional',
    description: 'Sleeps `seconds` (0 for at once) unless cancelled, then returns its label.',
    args: z.object({ seconds: z.number().min(0).max(3_600), label: z.string().optional() }),
    handler: async ({ seconds, label }: { seconds: number; label?: string | undefined }, ctx) => {
      await work(seconds * 1_000, ctx.signal);
      return text(`slow_compute${label === undefined ? '' : ` ${label}`} done after ${seconds}s`);
    },
  },
  {
    name: 'failing_job',
    taskSupport: 'required',
    description: 'After about 1 s returns a tool execution error (isError: true).',
    args: z.object({}).loose(),
    handler: async (_args, ctx) => {
      await work(1_000, ctx.signal);
      return { ...text('failing_job: the job failed'), isError: true };
    },
  },
  {
    name: 'protocol_error_job',
    taskSupport: 'required',
    description: 'Fails with a JSON-RPC internal error (-32603) after a short while.',
    args: z.object({}).loose(),
    handler: async (_args, ctx) => {
      await work(100, ctx.signal);
      throw new TaskError(ErrorCode.InternalError, 'protocol_error_job: internal failure', { fixture: 'protocol_error_job' });
    },
  },
  {
    name: 'confirm_delete',
    taskSupport: 'optional',
    description: 'Asks to confirm deleting `filename` (one form elicitation) and reports the answer.',
    args: z.object({ filename: z.string() }),
    handler: async ({ filename }: { filename: string }, ctx) => {
      const answer = await ctx.elicit(`Delete ${filename}?`, confirmSchema);
      const confirmed = answer.action === 'accept' && answer.content?.['confirm'] === true;
      return text(confirmed ? `Deleted ${filename}` : `Kept ${filename}`);
    },
  },
  {
    name: 'multi_input',
    taskSupport: 'optional',
    description: 'Asks two form elicitations at once (name, confirm) and reports both answers.',
    args: z.object({}).loose(),
    handler: async (_args, ctx) => {
      const [name, confirm] = await Promise.all([ctx.elicit('Your name?', nameSchema), ctx.elicit('Proceed?', confirmSchema)]);
      return text(`name=${answered(name, 'name')} confirm=${answered(confirm, 'confirm')}`);
    },
  },
  {
    name: 'test_tool_with_task',
    taskSupport: 'required',
    description: 'Asks for user_name before it runs, then runs as a task that greets the name.',
    args: z.object({}).loose(),
    options: { inputs: { user_name: userName } },
    handler: async (_args, ctx) => {
      await work(100, ctx.signal);
      return text(`Hello, ${answered(ctx.inputs['user_name'], 'name')}! (from a task)`);
    },
  },
  {
    name: 'test_input_required_result_elicitation',
    taskSupport: 'forbidden',
    description: 'Asks for user_name before it runs, then greets the name at once.',
    args: z.object({}).loose(),
    options: { inputs: { user_name: userName } },
    handler: async (_args, ctx) => text(`Hello, ${answered(ctx.inputs['user_name'], 'name')}!`),
  },
] as ZodTool<z.ZodType>[];

/** Registers the official fixtures on either revision's registrar. Bad arguments get -32602. */
export function registerOfficialFixtures(registrar: ToolRegistrar): void {
  registerZodTools(registrar, OFFICIAL_FIXTURES);
}
