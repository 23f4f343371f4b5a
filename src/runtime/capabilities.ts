/** What a tool may ask of its client, checked against the capabilities the client declared. */
import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { CapabilityMissingError } from '../core/errors.js';

/** A request a tool can make of its client, by the capability it needs. */
export type ClientRequestKind = 'elicitation/create' | 'elicitation/create#url' | 'sampling/createMessage' | 'sampling/createMessage#tools';

const NEEDS: Record<ClientRequestKind, { has: (caps: ClientCapabilities) => unknown; what: string }> = {
  'elicitation/create': { has: (caps) => caps.elicitation, what: 'elicitation' },
  'elicitation/create#url': { has: (caps) => caps.elicitation?.url, what: 'URL elicitation (elicitation.url)' },
  'sampling/createMessage': { has: (caps) => caps.sampling, what: 'sampling' },
  'sampling/createMessage#tools': { has: (caps) => caps.sampling?.tools, what: 'sampling with tools (sampling.tools)' },
};

/**
 * Throws {@link CapabilityMissingError} (-32600) unless the client declared what `kind` needs.
 * Unknown capabilities (`undefined`: the server never saw them, as in stateless Streamable HTTP
 * where every request has a fresh server) cannot be checked and pass.
 */
export function assertClientCapability(capabilities: ClientCapabilities | undefined, kind: ClientRequestKind): void {
  if (capabilities === undefined) return;
  const need = NEEDS[kind];
  if (!need.has(capabilities)) throw new CapabilityMissingError(`Client does not support ${need.what}: it did not declare the capability`);
}
