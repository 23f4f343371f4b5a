/**
 * Test harness: a real Redis Cluster (by default 3 masters with 1 replica each) of `redis-server`
 * processes on free ports in temp dirs, made with `redis-cli --cluster create`. Tests read its
 * topology, route keys, count keys and commands per master, SIGKILL a master and wait for its
 * replica to take over. Traffic only goes to 127.0.0.1; every wait is bounded.
 *
 * Every node is a {@link RedisServer}, so a test process that exits early (a crash,
 * `process.exit`) still kills the nodes and removes their dirs.
 *
 * Needs Redis ≥ 7.0 (`cluster-port` gives each node's cluster bus a free port of its own rather
 * than port + 10000, which may be taken or beyond 65535) and `redis-cli`. When one is missing,
 * {@link redisClusterSkipReason} says why; with `CI=true` the suites fail instead of skipping
 * ({@link describeWithRedisCluster}).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { setTimeout as delay } from 'node:timers/promises';
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import { describeRequiring, freePort, redisSkipReason, RedisServer } from './redisServer.js';

const CLI_BINARY = process.env['REDIS_CLI_BIN'] ?? 'redis-cli';
const SERVER_BINARY = process.env['REDIS_SERVER_BIN'] ?? 'redis-server';

/** Number of hash slots of a Redis Cluster. */
export const SLOT_COUNT = 16384;

/**
 * Commands the harness and ioredis send on their own (topology, stats, handshakes), left out of
 * {@link RedisCluster.commandCallsPerMaster} unless the caller passes its own `exclude` list.
 */
export const CONTROL_COMMANDS: readonly string[] = [
  'auth', 'client', 'cluster', 'command', 'config', 'dbsize', 'hello', 'info', 'ping', 'quit', 'readonly', 'readwrite', 'select',
];

/** Interval between two looks at the cluster's state while waiting for it to settle. */
const POLL_INTERVAL_MS = 50;
/** Bound of one admin command (a node stalled on a loaded machine must not stall a wait for ever). */
const COMMAND_TIMEOUT_MS = 5_000;
const DEFAULT_READY_TIMEOUT_MS = 60_000;
const DEFAULT_FAILOVER_TIMEOUT_MS = 30_000;
const CLIENT_READY_TIMEOUT_MS = 15_000;

/** CRC16 hash slot of a key (`{hash tags}` honoured), as ioredis computes it (its `cluster-key-slot` dependency). */
const calculateSlot = createRequire(import.meta.url)('cluster-key-slot') as (key: string | Buffer) => number;

/** The hash slot (0‥16383) of `key`; only the part in the first non-empty `{…}` counts when there is one. */
export function keySlot(key: string | Buffer): number {
  return calculateSlot(key);
}

/** `redis-cli --cluster create` runs, killed when this process exits. */
const liveCli = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of liveCli) child.kill('SIGKILL');
});

let clusterAvailability: string | null | undefined;

/**
 * Why Redis Cluster tests cannot run here (`redis-server` missing or older than 7.0, `redis-cli`
 * missing), or `null` when they can.
 */
export function redisClusterSkipReason(): string | null {
  const serverReason = redisSkipReason();
  if (serverReason !== null) return serverReason;
  if (clusterAvailability === undefined) {
    const server = spawnSync(SERVER_BINARY, ['--version'], { encoding: 'utf8' });
    const version = /v=(\d+)\.(\d+)\.\d+/.exec(server.stdout ?? '');
    const cli = spawnSync(CLI_BINARY, ['--version'], { encoding: 'utf8' });
    if (cli.error !== undefined || cli.status !== 0) {
      clusterAvailability = `redis-cli not found (${cli.error?.message ?? `exit ${String(cli.status)}`}); install Redis ≥ 7.0 with its redis-cli or set REDIS_CLI_BIN`;
    } else if (version === null || Number(version[1]) < 7) {
      clusterAvailability = `redis-server ${version?.[0] ?? '(unknown version)'} is older than 7.0; the cluster harness needs cluster-port`;
    } else {
      clusterAvailability = null;
    }
  }
  return clusterAvailability;
}

/**
 * `describe` that runs `body` when a Redis Cluster can be started here (`redis-server` ≥ 7.0 and
 * `redis-cli`). Otherwise, with `CI=true` it registers one failing test naming the reason;
 * elsewhere it skips loudly. Mirrors `describeWithRedis`.
 */
export function describeWithRedisCluster(name: string, body: () => void): void {
  describeRequiring(name, redisClusterSkipReason(), 'redis-server ≥ 7.0 and redis-cli', body);
}

/** Options of {@link RedisCluster.start}. */
export interface RedisClusterOptions {
  /** Number of masters, at least 3 (`redis-cli --cluster create` needs 3; a failover needs a majority of masters). Default 3. */
  masters?: number;
  /** Replicas of each master. Default 1. */
  replicasPerMaster?: number;
  /**
   * `cluster-node-timeout`: how long a node may not answer before it is flagged as failing, and so
   * roughly how long a failover takes (plus about a second of election). Default 1000.
   */
  nodeTimeoutMs?: number;
  /** Extra `redis-server` arguments for every node. */
  args?: string[];
  /** Bound of the whole start (processes, `redis-cli --cluster create`, settling). Default 60 000. */
  readyTimeoutMs?: number;
}

/** An inclusive range of hash slots. */
export interface SlotRange {
  readonly first: number;
  readonly last: number;
}

/** Role of a cluster node. */
export type RedisClusterRole = 'master' | 'replica';

/** One node of the cluster as `CLUSTER NODES` describes it. */
export interface RedisClusterNode {
  /** Client port on 127.0.0.1. */
  readonly port: number;
  /** The 40-character cluster node id. */
  readonly id: string;
  readonly role: RedisClusterRole;
  /** A replica's master (id and port); `undefined` for a master. */
  readonly masterId: string | undefined;
  readonly masterPort: number | undefined;
  /** The slots a master serves, in ascending contiguous ranges; empty for replicas. */
  readonly slots: readonly SlotRange[];
  /** Whether the cluster flagged the node as failed (`fail`). */
  readonly failed: boolean;
}

/** What {@link RedisCluster.waitForFailover} found. */
export interface FailoverResult {
  /** The replica that became master and serves the dead master's slots. */
  readonly promoted: RedisClusterNode;
  /** Milliseconds from the SIGKILL of {@link RedisCluster.killMaster} until the survivors had settled. */
  readonly elapsedMs: number;
}

/** A line of `CLUSTER NODES`, with what one node's view needs beyond {@link RedisClusterNode}. */
interface NodeEntry extends RedisClusterNode {
  readonly flags: readonly string[];
  readonly connected: boolean;
}

/** What one node said when the harness looked. */
interface Observation {
  readonly port: number;
  readonly info: ReadonlyMap<string, string>;
  readonly nodes: readonly NodeEntry[];
  /** `CLUSTER SLOTS`, normalised to `first-last:masterPort:replicaPorts` lines. */
  readonly slots: string;
  readonly replication: ReadonlyMap<string, string>;
}

/** A master SIGKILLed by {@link RedisCluster.killMaster}, whose failover may be waited for. */
interface Killed {
  readonly id: string;
  readonly slots: readonly SlotRange[];
  readonly replicaIds: ReadonlySet<string>;
  readonly at: number;
}

/** A real Redis Cluster of `redis-server` child processes. Start it with {@link RedisCluster.start}; {@link RedisCluster.stop} it. */
export class RedisCluster {
  /** Every node's process, in start order (killed ones stay here, not running). */
  readonly servers: readonly RedisServer[];
  readonly #nodeTimeoutMs: number;
  readonly #admins = new Map<number, Redis>();
  readonly #clients = new Set<Redis | Cluster>();
  readonly #killed = new Map<number, Killed>();
  #nodes: readonly RedisClusterNode[] = [];
  #stopped = false;

  private constructor(servers: readonly RedisServer[], nodeTimeoutMs: number) {
    this.servers = servers;
    this.#nodeTimeoutMs = nodeTimeoutMs;
  }

  /**
   * Starts `masters × (1 + replicasPerMaster)` nodes, joins them with `redis-cli --cluster create`
   * and resolves once every node reports `cluster_state:ok` with all 16384 slots assigned, every
   * node's `CLUSTER NODES` and `CLUSTER SLOTS` agree, and every replica's link to its master is up.
   * On failure everything started is stopped again.
   */
  static async start(options: RedisClusterOptions = {}): Promise<RedisCluster> {
    const masters = options.masters ?? 3;
    const replicasPerMaster = options.replicasPerMaster ?? 1;
    const nodeTimeoutMs = options.nodeTimeoutMs ?? 1000;
    const readyTimeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
    if (!Number.isInteger(masters) || masters < 3) throw new RangeError(`masters must be an integer ≥ 3, not ${String(masters)}`);
    if (!Number.isInteger(replicasPerMaster) || replicasPerMaster < 0) throw new RangeError(`replicasPerMaster must be an integer ≥ 0, not ${String(replicasPerMaster)}`);
    if (!Number.isInteger(nodeTimeoutMs) || nodeTimeoutMs < 100) throw new RangeError(`nodeTimeoutMs must be an integer ≥ 100, not ${String(nodeTimeoutMs)}`);
    const deadline = Date.now() + readyTimeoutMs;

    const started = await Promise.allSettled(
      Array.from({ length: masters * (1 + replicasPerMaster) }, () =>
        RedisServer.start({
          args: async ({ dir }) => [
            '--cluster-enabled', 'yes',
            '--cluster-config-file', `${dir}/nodes.conf`,
            '--cluster-port', String(await freePort()),
            '--cluster-node-timeout', String(nodeTimeoutMs),
            // A replica may take over however long ago it last heard from its master: on a loaded
            // machine the default validity factor could refuse the failover a test waits for.
            '--cluster-replica-validity-factor', '0',
            // Replicas sync at once instead of after the default 5 s of waiting for more replicas.
            '--repl-diskless-sync-delay', '0',
            // Redis 7.0 leaves a replica out of CLUSTER SLOTS (what ioredis routes by) while its
            // replication offset is 0, which on an idle new cluster lasts until the master's first
            // replication PING: every 10 s by default, every second with this.
            '--repl-ping-replica-period', '1',
            ...(options.args ?? []),
          ],
        }),
      ),
    );
    const servers = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    const cluster = new RedisCluster(servers, nodeTimeoutMs);
    try {
      const failed = started.find((result) => result.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
      await cluster.#create(replicasPerMaster, deadline);
      await cluster.#settle('the new cluster to settle', deadline, (view) => {
        const withSlots = view.filter((node) => node.role === 'master' && node.slots.length > 0);
        if (withSlots.length !== masters) return `${withSlots.length} masters serve slots, not ${masters}`;
        for (const master of withSlots) {
          const replicas = view.filter((node) => node.masterId === master.id).length;
          if (replicas !== replicasPerMaster) return `master :${master.port} has ${replicas} replicas, not ${replicasPerMaster}`;
        }
        return null;
      });
      return cluster;
    } catch (err) {
      await cluster.stop();
      throw err;
    }
  }

  /**
   * The topology as every node agreed on it when it last settled (after {@link RedisCluster.start}
   * and {@link RedisCluster.waitForFailover}): masters by first slot, then replicas by their
   * master. For the live view ask {@link RedisCluster.masters}.
   */
  get nodes(): readonly RedisClusterNode[] {
    return this.#nodes;
  }

  /** `cluster-node-timeout` of every node, in ms. */
  get nodeTimeoutMs(): number {
    return this.#nodeTimeoutMs;
  }

  /** Running nodes as `{ host: '127.0.0.1', port }`, for `new Cluster(startupNodes)` of ioredis. */
  get startupNodes(): { host: string; port: number }[] {
    return this.servers.filter((server) => server.running).map((server) => ({ host: '127.0.0.1', port: server.port }));
  }

  /** Whether a node process runs on `port`. */
  running(port: number): boolean {
    return this.#server(port).running;
  }

  /**
   * The masters serving slots right now, by first slot, as `CLUSTER NODES` on the first running
   * node tells (during a failover nodes may still disagree; wait for it first).
   */
  async masters(): Promise<RedisClusterNode[]> {
    const port = this.startupNodes[0]?.port;
    if (port === undefined) throw new Error('no node of the cluster runs');
    const nodes = parseClusterNodes(await this.#command<string>(port, 'CLUSTER', 'NODES'));
    return sortTopology(nodes.filter((node) => node.role === 'master' && !node.failed && node.slots.length > 0)).map(publicNode);
  }

  /** The master serving `slot` right now (see {@link RedisCluster.masters}). */
  async masterForSlot(slot: number): Promise<RedisClusterNode> {
    if (!Number.isInteger(slot) || slot < 0 || slot >= SLOT_COUNT) throw new RangeError(`no slot ${String(slot)}`);
    const master = (await this.masters()).find((node) => node.slots.some((range) => range.first <= slot && slot <= range.last));
    if (master === undefined) throw new Error(`no master serves slot ${slot}`);
    return master;
  }

  /** The master serving `key`'s slot right now ({@link keySlot}, then {@link RedisCluster.masterForSlot}). */
  masterForKey(key: string | Buffer): Promise<RedisClusterNode> {
    return this.masterForSlot(keySlot(key));
  }

  /** `DBSIZE` of every current master, by port (in {@link RedisCluster.masters} order). */
  async keyCountsPerMaster(): Promise<Map<number, number>> {
    const masters = await this.masters();
    const counts = await Promise.all(masters.map((master) => this.#command<number>(master.port, 'DBSIZE')));
    return new Map(masters.map((master, i) => [master.port, counts[i] ?? 0]));
  }

  /**
   * Commands executed by every current master since it started or since
   * {@link RedisCluster.resetCommandStats}, by port: the sum of `calls` in `INFO commandstats`,
   * leaving out `exclude` (top-level command names; default {@link CONTROL_COMMANDS}, what the
   * harness and ioredis send on their own). Replicated writes a replica applies are not counted
   * (masters only).
   */
  async commandCallsPerMaster(options: { exclude?: readonly string[] } = {}): Promise<Map<number, number>> {
    const exclude = new Set((options.exclude ?? CONTROL_COMMANDS).map((name) => name.toLowerCase()));
    const masters = await this.masters();
    const stats = await Promise.all(masters.map((master) => this.#command<string>(master.port, 'INFO', 'commandstats')));
    return new Map(masters.map((master, i) => [master.port, sumCalls(stats[i] ?? '', exclude)]));
  }

  /** `CONFIG RESETSTAT` on every running node: command counts start again from 0. */
  async resetCommandStats(): Promise<void> {
    await Promise.all(this.startupNodes.map(({ port }) => this.#command(port, 'CONFIG', 'RESETSTAT')));
  }

  /**
   * An ioredis `Cluster` on the running nodes, resolved once it is ready (bounded). The caller
   * quits it; {@link RedisCluster.stop} disconnects any still open.
   */
  async client(options: ClusterOptions = {}): Promise<Cluster> {
    const client = new Cluster(this.startupNodes, options);
    return this.#track(client, `an ioredis Cluster client`);
  }

  /**
   * A plain ioredis connection to the node on `port` (no redirections followed: a key of another
   * master answers `MOVED`), resolved once it is ready (bounded). The caller quits it;
   * {@link RedisCluster.stop} disconnects any still open.
   */
  async nodeClient(port: number, options: RedisOptions = {}): Promise<Redis> {
    this.#server(port);
    const client = new Redis({ maxRetriesPerRequest: 1, ...options, host: '127.0.0.1', port });
    return this.#track(client, `a connection to :${port}`);
  }

  /**
   * SIGKILLs the master on `port` (no shutdown, no save) and waits until its process has exited.
   * Remembers its slots and replicas for {@link RedisCluster.waitForFailover}.
   */
  async killMaster(port: number): Promise<void> {
    const server = this.#server(port);
    const nodes = parseClusterNodes(await this.#command<string>(port, 'CLUSTER', 'NODES'));
    const self = nodes.find((node) => node.flags.includes('myself'));
    if (self === undefined || self.role !== 'master' || self.slots.length === 0) throw new Error(`the node on :${port} is not a master serving slots`);
    const replicaIds = new Set(nodes.filter((node) => node.masterId === self.id).map((node) => node.id));
    this.#dropAdmin(port);
    await server.kill();
    this.#killed.set(port, { id: self.id, slots: self.slots, replicaIds, at: Date.now() });
  }

  /**
   * Resolves once a replica of the master killed on `deadPort` was promoted and serves all its
   * slots, every survivor flags the dead node `fail` and reports `cluster_state:ok` with all slots
   * assigned, and the survivors agree on `CLUSTER NODES`/`CLUSTER SLOTS` again. Rejects after
   * `timeoutMs` (default 30 000) naming what was still missing.
   */
  async waitForFailover(deadPort: number, options: { timeoutMs?: number } = {}): Promise<FailoverResult> {
    const killed = this.#killed.get(deadPort);
    if (killed === undefined) throw new Error(`no master on :${deadPort} was killed with killMaster`);
    const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_FAILOVER_TIMEOUT_MS);
    let promoted: RedisClusterNode | undefined;
    await this.#settle(`a replica of :${deadPort} to take over`, deadline, (view) => {
      promoted = view.find((node) => killed.replicaIds.has(node.id) && node.role === 'master');
      if (promoted === undefined) return `no replica of :${deadPort} is master yet`;
      const serves = killed.slots.every((range) => promoted?.slots.some((own) => own.first <= range.first && range.last <= own.last));
      return serves ? null : `:${promoted.port} does not serve every slot of :${deadPort} yet`;
    });
    if (promoted === undefined) throw new Error('unreachable: settled without a promoted replica');
    return { promoted, elapsedMs: Date.now() - killed.at };
  }

  /**
   * Disconnects the clients still open (waiting, bounded, until they have ended), kills every node
   * and removes their dirs. Idempotent.
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    const clients = [...this.#clients];
    this.#clients.clear();
    for (const client of clients) client.disconnect();
    for (const port of [...this.#admins.keys()]) this.#dropAdmin(port);
    await Promise.all([...clients.map((client) => ended(client)), ...this.servers.map((server) => server.stop())]);
  }

  #server(port: number): RedisServer {
    const server = this.servers.find((candidate) => candidate.port === port);
    if (server === undefined) throw new Error(`no node of the cluster on :${port}`);
    return server;
  }

  async #track<T extends Redis | Cluster>(client: T, what: string): Promise<T> {
    if (this.#stopped) {
      client.disconnect();
      throw new Error('the cluster was stopped');
    }
    this.#clients.add(client);
    client.once('end', () => this.#clients.delete(client));
    if (client.status === 'ready') return client;
    let timer: NodeJS.Timeout | undefined;
    let onReady: (() => void) | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        onReady = resolve;
        client.once('ready', onReady);
        timer = setTimeout(() => reject(new Error(`${what} was not ready within ${CLIENT_READY_TIMEOUT_MS} ms`)), CLIENT_READY_TIMEOUT_MS);
      });
      return client;
    } catch (err) {
      client.disconnect();
      throw err;
    } finally {
      clearTimeout(timer);
      if (onReady !== undefined) client.off('ready', onReady);
    }
  }

  /** The harness's own connection to a node: bounded commands, a few quick reconnects, then a new one next time. */
  #admin(port: number): Redis {
    let admin = this.#admins.get(port);
    if (admin === undefined || admin.status === 'end') {
      admin = new Redis({
        host: '127.0.0.1',
        port,
        connectTimeout: COMMAND_TIMEOUT_MS,
        commandTimeout: COMMAND_TIMEOUT_MS,
        maxRetriesPerRequest: 1,
        retryStrategy: (attempts) => (attempts > 3 ? null : 100),
      });
      admin.on('error', () => undefined); // failures surface as rejected commands
      this.#admins.set(port, admin);
    }
    return admin;
  }

  #dropAdmin(port: number): void {
    this.#admins.get(port)?.disconnect();
    this.#admins.delete(port);
  }

  #command<T = unknown>(port: number, command: string, ...args: string[]): Promise<T> {
    return this.#admin(port).call(command, ...args) as Promise<T>;
  }

  /** Runs `redis-cli --cluster create` on every node, bounded by `deadline`. */
  #create(replicasPerMaster: number, deadline: number): Promise<void> {
    const args = [
      '--cluster', 'create',
      ...this.servers.map((server) => `127.0.0.1:${server.port}`),
      '--cluster-replicas', String(replicasPerMaster),
      '--cluster-yes',
    ];
    return new Promise((resolve, reject) => {
      const child = spawn(CLI_BINARY, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      liveCli.add(child);
      let output = '';
      const collect = (chunk: Buffer): void => {
        output += chunk.toString('utf8');
      };
      child.stdout.on('data', collect);
      child.stderr.on('data', collect);
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`redis-cli --cluster create did not finish in time:\n${output}`));
      }, Math.max(0, deadline - Date.now()));
      child.once('error', (err) => {
        clearTimeout(timer);
        liveCli.delete(child);
        reject(err);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        liveCli.delete(child);
        if (code === 0) resolve();
        else reject(new Error(`redis-cli --cluster create failed (${signal ?? `exit ${String(code)}`}):\n${output}`));
      });
    });
  }

  /**
   * Waits until the running nodes have settled (see {@link unsettled}) and `shape` accepts their
   * common view, then keeps that view as {@link RedisCluster.nodes}.
   *
   * Redis offers no event for "the cluster has converged", so this polls each running node
   * (CLUSTER INFO, CLUSTER NODES, CLUSTER SLOTS, INFO replication) every 50 ms until `deadline`;
   * the rejection names what was still missing.
   */
  async #settle(what: string, deadline: number, shape: (view: readonly NodeEntry[]) => string | null): Promise<void> {
    const started = Date.now();
    let missing = 'not looked yet';
    for (;;) {
      try {
        const alive = this.servers.filter((server) => server.running).map((server) => server.port);
        const observations = await Promise.all(alive.map((port) => this.#observe(port)));
        const reason = unsettled(observations, this.servers.length);
        const view = observations[0]?.nodes ?? [];
        missing = reason ?? shape(view) ?? '';
        if (missing === '') {
          this.#nodes = sortTopology(view).map(publicNode);
          return;
        }
      } catch (err) {
        missing = err instanceof Error ? err.message : String(err);
      }
      if (this.#stopped) throw new Error(`the cluster was stopped while waiting for ${what}`);
      if (Date.now() >= deadline) throw new Error(`timed out after ${Date.now() - started} ms waiting for ${what}: ${missing}`);
      await delay(POLL_INTERVAL_MS);
    }
  }

  async #observe(port: number): Promise<Observation> {
    const [info, nodes, slots, replication] = await Promise.all([
      this.#command<string>(port, 'CLUSTER', 'INFO'),
      this.#command<string>(port, 'CLUSTER', 'NODES'),
      this.#command<unknown>(port, 'CLUSTER', 'SLOTS'),
      this.#command<string>(port, 'INFO', 'replication'),
    ]);
    return { port, info: parseInfo(info), nodes: parseClusterNodes(nodes), slots: normaliseClusterSlots(slots), replication: parseInfo(replication) };
  }
}

/** Resolves once `client` has ended (`disconnect()` was called), or after 5 s regardless. */
async function ended(client: Redis | Cluster): Promise<void> {
  if (client.status === 'end') return;
  let timer: NodeJS.Timeout | undefined;
  let onEnd: (() => void) | undefined;
  await new Promise<void>((resolve) => {
    onEnd = resolve;
    client.once('end', onEnd);
    timer = setTimeout(resolve, COMMAND_TIMEOUT_MS);
  });
  clearTimeout(timer);
  if (onEnd !== undefined) client.off('end', onEnd);
}

/**
 * Why the observed nodes have not settled yet, or `null` when they have: every node says
 * `cluster_state:ok` with all slots assigned and ok and knows all `total` nodes; all agree on
 * `CLUSTER NODES` (roles, masters, slots, failures) and `CLUSTER SLOTS`, which match each other;
 * observed nodes are not flagged and their links are up; the others are flagged `fail` and serve
 * no slots; every observed replica's replication link to its master is up.
 */
function unsettled(observations: readonly Observation[], total: number): string | null {
  const first = observations[0];
  if (first === undefined) return 'no node runs';
  const alive = new Set(observations.map((observation) => observation.port));
  for (const { port, info } of observations) {
    for (const [field, expected] of [
      ['cluster_state', 'ok'],
      ['cluster_slots_assigned', String(SLOT_COUNT)],
      ['cluster_slots_ok', String(SLOT_COUNT)],
      ['cluster_known_nodes', String(total)],
    ] as const) {
      const actual = info.get(field);
      if (actual !== expected) return `:${port} has ${field}:${actual ?? '(none)'}, not ${expected}`;
    }
  }
  const agreed = normaliseView(first.nodes);
  for (const { port, nodes, slots } of observations) {
    if (normaliseView(nodes) !== agreed) return `:${port} and :${first.port} disagree on CLUSTER NODES`;
    if (slots !== first.slots) return `:${port} and :${first.port} disagree on CLUSTER SLOTS`;
    for (const node of nodes) {
      if (!alive.has(node.port)) continue;
      // fail? (PFAIL) and the link state are each node's own opinion: look at every view
      const bad = node.flags.filter((flag) => ['fail', 'fail?', 'handshake', 'noaddr'].includes(flag));
      if (bad.length > 0) return `:${port} flags :${node.port} ${bad.join(',')}`;
      if (!node.flags.includes('myself') && !node.connected) return `:${port} has no link to :${node.port}`;
    }
  }
  if (first.nodes.length !== total) return `${first.nodes.length} nodes listed, not ${total}`;
  for (const node of first.nodes) {
    if (alive.has(node.port)) continue;
    if (!node.failed) return `the stopped :${node.port} is not flagged fail yet`;
    if (node.slots.length > 0) return `the stopped :${node.port} still serves slots`;
  }
  for (const observation of observations) {
    const self = observation.nodes.find((node) => node.flags.includes('myself'));
    if (self?.role !== 'replica') continue;
    const link = observation.replication.get('master_link_status');
    if (link !== 'up') return `replica :${observation.port} has master_link_status:${link ?? '(none)'}`;
    const masterPort = observation.replication.get('master_port');
    if (masterPort !== String(self.masterPort)) return `replica :${observation.port} replicates :${masterPort ?? '?'}, not :${String(self.masterPort)}`;
  }
  if (first.slots !== slotsFromView(first.nodes)) return `:${first.port}'s CLUSTER SLOTS does not match its CLUSTER NODES`;
  return null;
}

/** `CLUSTER NODES` lines (`<id> <ip:port@cport[,hostname]> <flags> <master> <ping> <pong> <epoch> <link> <slot>…`). */
function parseClusterNodes(text: string): NodeEntry[] {
  const lines = text.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  const parsed = lines.map((line) => {
    const [id = '', address = '', flagList = '', master = '-', , , , link = '', ...slotFields] = line.split(' ');
    const flags = flagList.split(',');
    const port = Number(/:(\d+)@/.exec(address)?.[1] ?? NaN);
    const slots = mergeRanges(
      slotFields
        .filter((field) => !field.startsWith('[')) // [slot->-id] / [slot-<-id]: migrating or importing
        .map((field) => {
          const [first = '', last = first] = field.split('-');
          return { first: Number(first), last: Number(last) };
        }),
    );
    return { id, port, flags, master, connected: link === 'connected', slots };
  });
  const portOf = new Map(parsed.map((node) => [node.id, node.port]));
  return parsed.map(({ id, port, flags, master, connected, slots }) => {
    const replica = flags.includes('slave');
    return {
      id,
      port,
      role: replica ? 'replica' : 'master',
      masterId: replica && master !== '-' ? master : undefined,
      masterPort: replica && master !== '-' ? portOf.get(master) : undefined,
      slots,
      failed: flags.includes('fail'),
      flags,
      connected,
    };
  });
}

function mergeRanges(ranges: readonly SlotRange[]): SlotRange[] {
  const merged: SlotRange[] = [];
  for (const range of [...ranges].sort((a, b) => a.first - b.first)) {
    const last = merged[merged.length - 1];
    if (last !== undefined && range.first <= last.last + 1) merged[merged.length - 1] = { first: last.first, last: Math.max(last.last, range.last) };
    else merged.push(range);
  }
  return merged;
}

/** What every node must agree on: per node id its port, role, master, slots and `fail` flag. */
function normaliseView(nodes: readonly NodeEntry[]): string {
  return nodes
    .map((node) => `${node.id} ${node.port} ${node.role} ${node.masterId ?? '-'} ${node.failed ? 'fail' : 'ok'} ${formatRanges(node.slots)}`)
    .sort()
    .join('\n');
}

/** `CLUSTER SLOTS` as `first-last:masterPort:replicaPorts` lines, contiguous ranges of one master merged. */
function normaliseClusterSlots(reply: unknown): string {
  if (!Array.isArray(reply)) throw new Error('CLUSTER SLOTS did not answer an array');
  const perOwner = new Map<string, SlotRange[]>();
  for (const entry of reply as unknown[][]) {
    const [first, last, master, ...replicas] = entry as [number, number, unknown[], ...unknown[][]];
    const owner = `${String(master[1])}:${replicas.map((replica) => Number(replica[1])).sort((a, b) => a - b).join(',')}`;
    perOwner.set(owner, [...(perOwner.get(owner) ?? []), { first, last }]);
  }
  return [...perOwner]
    .flatMap(([owner, ranges]) => mergeRanges(ranges).map((range) => ({ range, owner })))
    .sort((a, b) => a.range.first - b.range.first)
    .map(({ range, owner }) => `${range.first}-${range.last}:${owner}`)
    .join('\n');
}

/** What `CLUSTER SLOTS` should say given a `CLUSTER NODES` view (failed replicas are not listed). */
function slotsFromView(nodes: readonly NodeEntry[]): string {
  return nodes
    .filter((node) => node.role === 'master' && node.slots.length > 0)
    .flatMap((master) => {
      const replicas = nodes.filter((node) => node.masterId === master.id && !node.failed).map((node) => node.port).sort((a, b) => a - b);
      return master.slots.map((range) => ({ range, owner: `${master.port}:${replicas.join(',')}` }));
    })
    .sort((a, b) => a.range.first - b.range.first)
    .map(({ range, owner }) => `${range.first}-${range.last}:${owner}`)
    .join('\n');
}

function formatRanges(ranges: readonly SlotRange[]): string {
  return ranges.map((range) => `${range.first}-${range.last}`).join(',');
}

/** Masters by first slot (slotless ones last), then replicas by their master's first slot. */
function sortTopology<T extends RedisClusterNode>(nodes: readonly T[]): T[] {
  const firstSlot = (node: RedisClusterNode | undefined): number => node?.slots[0]?.first ?? SLOT_COUNT;
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const rank = (node: T): number =>
    node.role === 'master' ? firstSlot(node) : SLOT_COUNT + 1 + firstSlot(node.masterId === undefined ? undefined : byId.get(node.masterId));
  return [...nodes].sort((a, b) => rank(a) - rank(b) || a.port - b.port);
}

function publicNode(node: RedisClusterNode): RedisClusterNode {
  const { port, id, role, masterId, masterPort, slots, failed } = node;
  return { port, id, role, masterId, masterPort, slots, failed };
}

/** `field:value` lines of `INFO` / `CLUSTER INFO`. */
function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split('\r\n').flatMap((part) => part.split('\n'))) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  return fields;
}

/** Sum of `calls=` of `INFO commandstats` (`cmdstat_<name>[|<sub>]:calls=…`), leaving out `exclude`d top-level names. */
function sumCalls(text: string, exclude: ReadonlySet<string>): number {
  let calls = 0;
  for (const [field, value] of parseInfo(text)) {
    if (!field.startsWith('cmdstat_')) continue;
    const name = field.slice('cmdstat_'.length).split('|')[0] ?? '';
    if (exclude.has(name)) continue;
    calls += Number(/(?:^|,)calls=(\d+)/.exec(value)?.[1] ?? 0);
  }
  return calls;
}
