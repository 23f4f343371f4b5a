/**
 * Which tool each check calls. A tool slot (one per fixture of the fixture contract) is filled by
 * the fixture when the server has it; else by a tool the user mapped to the slot's role
 * (`--role hold=TOOL`); else, for the slots that need nothing but a `taskSupport`, by one of the
 * server's own tools with that `taskSupport` (discovery mode), called with arguments from
 * `--tool-args` or generated from its `inputSchema`.
 */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { FIXTURE_TASK_SUPPORT } from '../fixtures.js';
import type { FixtureName } from '../types.js';
import { minimalInstance, NoInstanceError, textProperty } from './schemaInstance.js';

/** A slot's role name: the fixture's name without `tasks_conformance_`. */
export type Role =
  | 'optional'
  | 'required'
  | 'forbidden'
  | 'tool_error'
  | 'protocol_error'
  | 'elicit'
  | 'sample'
  | 'progress'
  | 'hold'
  | 'stubborn';

/** What a tool mapped to each role must do (shown when the role is missing). */
export const ROLE_BEHAVIOUR: Readonly<Record<Role, string>> = {
  optional: "declares taskSupport 'optional' and completes",
  required: "declares taskSupport 'required' and completes",
  forbidden: 'declares no task support (a harmless call)',
  tool_error: 'returns a CallToolResult with isError: true',
  protocol_error: 'fails with a JSON-RPC error',
  elicit: 'sends an elicitation/create while it runs as a task',
  sample: 'sends a sampling/createMessage while it runs as a task',
  progress: 'reports progress while it runs as a task',
  hold: 'keeps working for a few seconds and stops when cancelled',
  stubborn: 'keeps working for a few seconds and ignores cancellation',
};

/** The slots discovery fills by `taskSupport` alone. */
const BY_SUPPORT: ReadonlySet<Role> = new Set(['optional', 'required', 'forbidden']);

/** The role of a fixture. */
export function roleOf(fixture: FixtureName): Role {
  return fixture.slice('tasks_conformance_'.length) as Role;
}

/** A tool the user mapped to a role, with the arguments to call it with (default: `--tool-args`, else generated). */
export interface RoleChoice {
  tool: string;
  args?: Record<string, unknown>;
}

/** The user's choices: roles and per-tool arguments. */
export interface ToolChoices {
  roles?: Partial<Record<Role, RoleChoice>>;
  /** Tool name → the arguments to call it with. */
  toolArgs?: Record<string, Record<string, unknown>>;
}

/** The tool a slot is bound to. */
export interface BoundTool {
  /** The tool's name on the server. */
  name: string;
  /** The fixture itself, a tool mapped with `--role`, or one found by its `taskSupport`. */
  source: 'fixture' | 'role' | 'discovered';
  taskSupport: 'optional' | 'required' | 'forbidden';
  /** The arguments of every call (not used for fixtures, whose checks give their own). */
  args: Record<string, unknown>;
  /** Where generated arguments take a call's distinguishing text (absent for given arguments). */
  textKey?: string;
}

/** Every slot's tool, or why it has none. */
export interface ToolPlan {
  bound: Map<FixtureName, BoundTool>;
  /** Why a slot has no tool (with the flag that would give it one). */
  problems: Map<FixtureName, string>;
}

function supportOf(tool: Tool): BoundTool['taskSupport'] {
  return tool.execution?.taskSupport ?? 'forbidden';
}

/** Arguments for a tool: the user's, else generated (with the text property), else the reason there are none. */
function argumentsFor(tool: Tool, choices: ToolChoices, given?: Record<string, unknown>): { args: Record<string, unknown>; textKey?: string } | { problem: string } {
  const explicit = given ?? choices.toolArgs?.[tool.name];
  if (explicit !== undefined) return { args: explicit };
  try {
    const args = minimalInstance(tool.inputSchema) as Record<string, unknown>;
    const textKey = textProperty(tool.inputSchema);
    return textKey === undefined ? { args } : { args, textKey };
  } catch (error) {
    if (!(error instanceof NoInstanceError)) throw error;
    return { problem: `no arguments can be generated for ${tool.name} (${error.message}); give --tool-args ${tool.name}='{…}'` };
  }
}

/** Candidates first: read-only, then not destructive, then taking a text, then fewer required arguments, then by name. */
function rank(a: { tool: Tool; textKey?: string }, b: { tool: Tool; textKey?: string }): number {
  const score = (c: { tool: Tool; textKey?: string }): number[] => [
    c.tool.annotations?.readOnlyHint === true ? 0 : 1,
    c.textKey === undefined ? 1 : 0,
    Array.isArray(c.tool.inputSchema.required) ? c.tool.inputSchema.required.length : 0,
  ];
  const [sa, sb] = [score(a), score(b)];
  for (let i = 0; i < sa.length; i++) if (sa[i] !== sb[i]) return sa[i]! - sb[i]!;
  return a.tool.name.localeCompare(b.tool.name);
}

/** Finds a server tool with the given `taskSupport` that can be called blindly. */
function discover(tools: Tool[], support: BoundTool['taskSupport'], choices: ToolChoices): BoundTool | string {
  const fixtureNames = new Set(Object.keys(FIXTURE_TASK_SUPPORT));
  const named = tools.filter((t) => supportOf(t) === support && !fixtureNames.has(t.name));
  const callable: Array<{ tool: Tool; args: Record<string, unknown>; textKey?: string }> = [];
  const problems: string[] = [];
  for (const tool of named) {
    if (tool.annotations?.destructiveHint === true && choices.toolArgs?.[tool.name] === undefined) {
      problems.push(`${tool.name} is annotated destructive (map it with --role to use it anyway)`);
      continue;
    }
    const made = argumentsFor(tool, choices);
    if ('problem' in made) problems.push(made.problem);
    else callable.push({ tool, ...made });
  }
  const best = callable.sort(rank)[0];
  if (best) return { name: best.tool.name, source: 'discovered', taskSupport: support, args: best.args, ...(best.textKey ? { textKey: best.textKey } : {}) };
  if (named.length === 0) return `the server lists no tool with taskSupport '${support}'`;
  return `no tool with taskSupport '${support}' can be called: ${problems.join('; ')}`;
}

/** Fills every slot (see the module comment). */
export function planTools(tools: Tool[], choices: ToolChoices = {}): ToolPlan {
  const bound = new Map<FixtureName, BoundTool>();
  const problems = new Map<FixtureName, string>();
  for (const [fixture, contract] of Object.entries(FIXTURE_TASK_SUPPORT) as Array<[FixtureName, BoundTool['taskSupport']]>) {
    const role = roleOf(fixture);
    const choice = choices.roles?.[role];
    if (choice !== undefined) {
      const tool = tools.find((t) => t.name === choice.tool);
      if (!tool) {
        problems.set(fixture, `--role ${role}=${choice.tool}: the server lists no tool ${choice.tool}`);
        continue;
      }
      const support = supportOf(tool);
      const fits = BY_SUPPORT.has(role) ? support === contract : support !== 'forbidden';
      if (!fits) {
        problems.set(fixture, `--role ${role}=${tool.name}: it declares taskSupport '${support}', the role needs ${BY_SUPPORT.has(role) ? `'${contract}'` : "'optional' or 'required'"}`);
        continue;
      }
      const made = argumentsFor(tool, choices, choice.args);
      if ('problem' in made) problems.set(fixture, made.problem);
      else bound.set(fixture, { name: tool.name, source: 'role', taskSupport: support, ...made });
      continue;
    }
    const own = tools.find((t) => t.name === fixture);
    if (own) {
      const declared = supportOf(own);
      if (declared === contract) bound.set(fixture, { name: fixture, source: 'fixture', taskSupport: declared, args: {} });
      else problems.set(fixture, `fixture ${fixture} declares taskSupport '${declared}', the fixture contract says '${contract}'`);
      continue;
    }
    if (!BY_SUPPORT.has(role)) {
      problems.set(fixture, `needs a tool that ${ROLE_BEHAVIOUR[role]} (fixture ${fixture} is absent): map one with --role ${role}=TOOL`);
      continue;
    }
    // The optional slot is what most checks run tasks on: a task-only tool does for those (checks
    // that need the plain call say so with needs.plainCall).
    let found = discover(tools, contract, choices);
    if (typeof found === 'string' && role === 'optional') {
      const required = discover(tools, 'required', choices);
      if (typeof required !== 'string') found = required;
    }
    if (typeof found === 'string') problems.set(fixture, `fixture ${fixture} is absent and ${found}; map one with --role ${role}=TOOL`);
    else bound.set(fixture, found);
  }
  return { bound, problems };
}

/** How the report names a slot's tool, e.g. `echo (discovered, taskSupport forbidden)`. */
export function describeBound(tool: BoundTool): string {
  return tool.source === 'fixture' ? tool.name : `${tool.name} (${tool.source}, taskSupport ${tool.taskSupport})`;
}
