/**
 * A server profile: the discovery-mode choices for one server, in a YAML (or JSON) file, so that a
 * run against a server without the fixtures can be repeated without a long command line:
 *
 * ```yaml
 * roles:                                # role → one of the server's tools
 *   hold: simulate-research-query       # called with tool-args, else generated arguments
 *   elicit:                             # or with arguments of its own
 *     tool: simulate-research-query
 *     args: { topic: python, ambiguous: true }
 * tool-args:                            # tool → the arguments of every call
 *   simulate-research-query: { topic: conformance }
 * client-capabilities:                  # what the suite's client declares (default: everything)
 *   elicitation: { form: {} }
 * ```
 */
import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { parse } from 'yaml';
import { z } from 'zod';
import { ROLE_BEHAVIOUR, type Role, type ToolChoices } from './toolPlan.js';

/** What a profile holds. */
export interface Profile {
  tools: ToolChoices;
  clientCapabilities?: ClientCapabilities;
}

/** A profile (or a `--role`, `--tool-args`, `--client-capabilities` value) that cannot be used. */
export class ProfileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProfileError';
  }
}

const args = z.record(z.string(), z.unknown());
const roleChoice = z.union([z.string().min(1), z.strictObject({ tool: z.string().min(1), args: args.optional() })]);
const profileSchema = z.strictObject({
  roles: z.record(z.string(), roleChoice).optional(),
  'tool-args': z.record(z.string(), args).optional(),
  'client-capabilities': z.record(z.string(), z.unknown()).optional(),
});

function issues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');
}

/** Checks a role name. */
export function checkRole(name: string): Role {
  if (!(name in ROLE_BEHAVIOUR)) throw new ProfileError(`unknown role '${name}' (roles: ${Object.keys(ROLE_BEHAVIOUR).join(', ')})`);
  return name as Role;
}

/** Parses a profile; throws {@link ProfileError}. */
export function parseProfile(text: string): Profile {
  let raw: unknown;
  try {
    raw = parse(text) ?? {};
  } catch (error) {
    throw new ProfileError(`not YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const parsed = profileSchema.safeParse(raw);
  if (!parsed.success) throw new ProfileError(issues(parsed.error));
  const roles: NonNullable<ToolChoices['roles']> = {};
  for (const [name, choice] of Object.entries(parsed.data.roles ?? {})) {
    roles[checkRole(name)] = typeof choice === 'string' ? { tool: choice } : { tool: choice.tool, ...(choice.args ? { args: choice.args } : {}) };
  }
  const profile: Profile = { tools: { roles, toolArgs: parsed.data['tool-args'] ?? {} } };
  if (parsed.data['client-capabilities']) profile.clientCapabilities = parsed.data['client-capabilities'] as ClientCapabilities;
  return profile;
}

/** Parses a JSON object given on the command line (`--tool-args`, `--client-capabilities`). */
export function parseJsonObject(text: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ProfileError(`${what}: not JSON: ${(error as Error).message}`);
  }
  const parsed = args.safeParse(value);
  if (!parsed.success) throw new ProfileError(`${what}: not a JSON object`);
  return parsed.data;
}
