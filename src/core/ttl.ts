/** TTL policy (R40–R42, R89b): what `ttl` a task really gets, counted from its creation. */

/** How a store turns a requested `ttl` into the real one. All values in milliseconds. */
export interface TtlPolicy {
  /** TTL for requests that ask for none. Default 3,600,000 (1 h). */
  defaultTtl: number;
  /** Upper bound that clamps every request; `null` allows unlimited tasks. Default 86,400,000 (24 h). */
  maxTtl: number | null;
  /** Lower bound, so a task lives long enough to be read. Default 1,000. */
  minTtl: number;
}

/** The policy used when a store is given none. */
export const DEFAULT_TTL_POLICY: Readonly<TtlPolicy> = Object.freeze({
  defaultTtl: 3_600_000,
  maxTtl: 86_400_000,
  minTtl: 1_000,
});

/** Fills a partial policy with the defaults and checks it. */
export function ttlPolicy(partial: Partial<TtlPolicy> = {}): TtlPolicy {
  const policy = { ...DEFAULT_TTL_POLICY, ...partial };
  const { defaultTtl, maxTtl, minTtl } = policy;
  if (!Number.isSafeInteger(minTtl) || minTtl < 0) throw new RangeError('minTtl must be a non-negative integer');
  if (!Number.isSafeInteger(defaultTtl) || defaultTtl < minTtl) throw new RangeError('defaultTtl must be an integer ≥ minTtl');
  if (maxTtl !== null && (!Number.isSafeInteger(maxTtl) || maxTtl < defaultTtl)) {
    throw new RangeError('maxTtl must be null or an integer ≥ defaultTtl');
  }
  return policy;
}

/**
 * The real TTL for a request: absent (or NaN) → `defaultTtl`; `null` (unlimited) → `maxTtl`; a number is
 * rounded up to an integer and clamped to `[minTtl, maxTtl]`. Returns `null` only when the policy
 * allows unlimited tasks and the request asked for that.
 */
export function resolveTtl(requested: number | null | undefined, policy: TtlPolicy): number | null {
  if (requested === undefined || Number.isNaN(requested)) return policy.defaultTtl;
  if (requested === null || requested === Number.POSITIVE_INFINITY) return policy.maxTtl;
  const ttl = Math.max(policy.minTtl, Math.ceil(requested));
  return policy.maxTtl === null ? ttl : Math.min(ttl, policy.maxTtl);
}

/** When a task created at `createdAtMs` with `ttl` expires (epoch ms), or `null` for never. */
export function expiresAt(createdAtMs: number, ttl: number | null): number | null {
  return ttl === null ? null : createdAtMs + ttl;
}
