/**
 * A Lua script run with `EVALSHA`: its SHA-1 is computed once; when Redis answers `NOSCRIPT`
 * (first use, or after a restart or `SCRIPT FLUSH`) the script is loaded with `SCRIPT LOAD` and
 * the call is repeated once. Works on a `Redis` or a `Cluster` client (the first key picks the
 * node; all keys of one call share a hash tag).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Cluster, Redis } from 'ioredis';

/** A client able to run scripts: a standalone `Redis` or a `Cluster`. */
export type RedisClient = Redis | Cluster;

/** Whether `client` is an ioredis `Cluster` (it lists its nodes). */
export function isCluster(client: RedisClient): client is Cluster {
  return 'nodes' in client && typeof client.nodes === 'function';
}

/** The folder of the `.lua` files (copied next to the compiled module by the build). */
const LUA_DIR = new URL('./lua/', import.meta.url);

/** The source of `lua/<name>.lua`, after the shared helpers of `lua/prelude.lua`. */
export function luaSource(name: string): string {
  const read = (file: string): string => readFileSync(new URL(`${file}.lua`, LUA_DIR), 'utf8');
  return `${read('prelude')}\n${read(name)}`;
}

/** One Lua script. */
export class LuaScript {
  /** A short name for error messages. */
  readonly name: string;
  /** The Lua source. */
  readonly source: string;
  /** The script's SHA-1 (what `EVALSHA` takes). */
  readonly sha: string;

  /** The script of `lua/<name>.lua` (with the prelude), or of `source` when given. */
  constructor(name: string, source: string = luaSource(name)) {
    this.name = name;
    this.source = source;
    this.sha = createHash('sha1').update(source, 'utf8').digest('hex');
  }

  /** Runs the script with `keys` as `KEYS[]` and `args` as `ARGV[]`, loading it on `NOSCRIPT`. */
  async run(client: RedisClient, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    try {
      return await client.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
    }
    await load(client, this.source);
    return await client.evalsha(this.sha, keys.length, ...keys, ...args);
  }
}

/** `SCRIPT LOAD` on the server (on a Cluster: on every master). */
async function load(client: RedisClient, source: string): Promise<void> {
  if (isCluster(client)) {
    // A Cluster: load on every master, so any slot's node knows the script. A master that cannot
    // answer (it just died, or stalls) must not fail the call: the retry tells whether the node
    // that asked for the script has it now.
    await Promise.allSettled(client.nodes('master').map((node) => node.script('LOAD', source)));
    return;
  }
  await client.script('LOAD', source);
}
