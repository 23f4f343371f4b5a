/** Discovery-mode choices from the command line: `--profile`, then `--tool-args` and `--role` on top. */
import { readFile } from 'node:fs/promises';
import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { checkRole, parseJsonObject, parseProfile, ProfileError, type Profile } from '../../../conformance/index.js';
import { UsageError, type ConformanceArgs } from './args.js';

function split(value: string): [string, string] {
  const at = value.indexOf('=');
  return [value.slice(0, at).trim(), value.slice(at + 1)];
}

/** The profile the flags describe; throws {@link UsageError}. */
export async function profileOf(args: ConformanceArgs): Promise<Profile> {
  try {
    let profile: Profile = { tools: { roles: {}, toolArgs: {} } };
    if (args.profile !== undefined) {
      let text: string;
      try {
        text = await readFile(args.profile, 'utf8');
      } catch (error) {
        throw new UsageError(`cannot read --profile ${args.profile}: ${(error as Error).message}`);
      }
      try {
        profile = parseProfile(text);
      } catch (error) {
        if (error instanceof ProfileError) throw new UsageError(`${args.profile}: ${error.message}`);
        throw error;
      }
    }
    const roles = { ...profile.tools.roles };
    const toolArgs = { ...profile.tools.toolArgs };
    for (const value of args.toolArgs) {
      const [name, json] = split(value);
      toolArgs[name] = parseJsonObject(json, `--tool-args ${name}`);
    }
    for (const value of args.roles) {
      const [role, tool] = split(value);
      roles[checkRole(role)] = { tool: tool.trim() };
    }
    const clientCapabilities =
      args.clientCapabilities === undefined
        ? profile.clientCapabilities
        : (parseJsonObject(args.clientCapabilities, '--client-capabilities') as ClientCapabilities);
    return { tools: { roles, toolArgs }, ...(clientCapabilities ? { clientCapabilities } : {}) };
  } catch (error) {
    if (error instanceof ProfileError) throw new UsageError(error.message);
    throw error;
  }
}
