/**
 * Demo tools of the reference server, beside the conformance fixtures: what real task-aware tools
 * look like. `demo_report` is slow work with progress and a status message that honours
 * cancellation; `demo_confirm` asks the user for confirmation (form elicitation) before it acts.
 */
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { ServerTaskBinding, ToolContext } from '../../server/index.js';

/** Arguments of `demo_report`. */
export interface ReportArgs {
  topic: string;
  sections?: number;
  delayMs?: number;
}

/** Arguments of `demo_confirm`. */
export interface ConfirmArgs {
  action: string;
}

export const REPORT_TOOL: Tool = {
  name: 'demo_report',
  title: 'Write a report (slow, with progress)',
  description:
    'Writes a report on a topic one section at a time, reporting progress and a status message ' +
    'after each section. Run it as a task; tasks/cancel stops it at once.',
  inputSchema: {
    type: 'object',
    properties: {
      topic: { type: 'string', minLength: 1, maxLength: 200, description: 'What the report is about' },
      sections: { type: 'integer', minimum: 1, maximum: 20, description: 'How many sections (default 5)' },
      delayMs: { type: 'integer', minimum: 0, maximum: 60000, description: 'Time per section in ms (default 1000)' },
    },
    required: ['topic'],
    additionalProperties: false,
  },
  execution: { taskSupport: 'optional' },
};

export const CONFIRM_TOOL: Tool = {
  name: 'demo_confirm',
  title: 'Do something after confirmation',
  description:
    'Asks the user (form elicitation) whether to perform an action and reports the decision. ' +
    'Only as a task: the question reaches the client through tasks/result.',
  inputSchema: {
    type: 'object',
    properties: { action: { type: 'string', minLength: 1, maxLength: 200, description: 'What to confirm' } },
    required: ['action'],
    additionalProperties: false,
  },
  execution: { taskSupport: 'required' },
};

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function text(value: string): CallToolResult {
  return { content: [{ type: 'text', text: value }] };
}

/** `demo_report`: one section per `delayMs`, progress `i/sections` and status `writing section i/sections`. */
export async function runReport(args: ReportArgs, ctx: ToolContext): Promise<CallToolResult> {
  const sections = args.sections ?? 5;
  const delayMs = args.delayMs ?? 1000;
  const lines = [`# Report: ${args.topic}`];
  await ctx.updateStatus(`starting a ${sections}-section report`);
  for (let i = 1; i <= sections; i++) {
    await abortableDelay(delayMs, ctx.signal);
    lines.push(`## Section ${i}`, `Findings ${i} about ${args.topic}.`);
    await ctx.reportProgress(i, sections, `writing section ${i}/${sections}`);
  }
  return text(lines.join('\n'));
}

/** `demo_confirm`: asks `Perform "<action>"?` with a `{ confirm: boolean }` form. */
export async function runConfirm(args: ConfirmArgs, ctx: ToolContext): Promise<CallToolResult> {
  await ctx.updateStatus('waiting for confirmation');
  const answer = await ctx.elicit(`Perform "${args.action}"?`, {
    type: 'object',
    properties: { confirm: { type: 'boolean', title: 'Confirm', description: `Perform "${args.action}"` } },
    required: ['confirm'],
  });
  if (answer.action !== 'accept') return text(`not performed: the user chose ${answer.action}`);
  if (answer.content?.['confirm'] !== true) return text(`not performed: "${args.action}" was not confirmed`);
  return text(`performed: ${args.action}`);
}

/** Registers the demo tools on a server with tasks enabled. */
export function registerDemoTools(tasks: ServerTaskBinding): void {
  tasks.registerTool<ReportArgs>(REPORT_TOOL, runReport);
  tasks.registerTool<ConfirmArgs>(CONFIRM_TOOL, runConfirm);
}
