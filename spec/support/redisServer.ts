/**
 * Test harness: real `redis-server` processes on free ports in temp dirs, which tests start,
 * SIGKILL and restart (same port and dir, so an AOF is replayed). Never touches a Redis already
 * running on the machine.
 *
 * A test process that exits early (a crash, `process.exit`) still kills its Redis processes; only a
 * SIGKILLed test process leaves them behind.
 *
 * When `redis-server` is missing, {@link redisSkipReason} says why; with `CI=true` the suites
 * fail instead of skipping ({@link describeWithRedis}).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, after } from 'node:test';

const BINARY = process.env['REDIS_SERVER_BIN'] ?? 'redis-server';
const READY_TIMEOUT_MS = 10_000;

let availability: string | null | undefined;

/** Every running test Redis, killed (and its dir removed) when this process exits, however it exits. */
const live = new Map<ChildProcess, string>();
process.once('exit', () => {
  for (const [child, dir] of live) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Why Redis tests cannot run here (`redis-server` not found), or `null` when they can. */
export function redisSkipReason(): string | null {
  if (availability === undefined) {
    const probe = spawnSync(BINARY, ['--version'], { encoding: 'utf8' });
    availability =
      probe.error !== undefined || probe.status !== 0
        ? `redis-server not found (${probe.error?.message ?? `exit ${String(probe.status)}`}); install Redis ≥ 6.2 or set REDIS_SERVER_BIN`
        : null;
  }
  return availability;
}

/**
 * `describe` that runs `body` when `redis-server` is available. Otherwise, with `CI=true` it
 * registers one failing test naming the reason; elsewhere it skips loudly.
 */
export function describeWithRedis(name: string, body: () => void): void {
  describeRequiring(name, redisSkipReason(), 'redis-server', body);
}

/**
 * `describe` that runs `body` when `skipReason` is `null`. Otherwise, with `CI=true` it registers
 * one failing test naming the reason (`needs <what>`); elsewhere it skips loudly. The building
 * block of {@link describeWithRedis} and of suites that need more than `redis-server`.
 */
export function describeRequiring(name: string, skipReason: string | null, what: string, body: () => void): void {
  if (skipReason === null) {
    describe(name, body);
  } else if (process.env['CI'] === 'true') {
    describe(name, () => {
      it(`needs ${what} (CI=true: missing Redis fails the run)`, () => {
        throw new Error(skipReason);
      });
    });
  } else {
    console.warn(`\n*** SKIPPING Redis tests "${name}": ${skipReason} ***\n`);
    describe(name, { skip: `SKIPPED: ${skipReason}` }, body);
  }
}

/** Resolves with a TCP port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Options of a test Redis. */
export interface RedisServerOptions {
  /** Turn on AOF persistence (`appendonly yes`, fsync every write). Default false. */
  appendOnly?: boolean;
  /**
   * Extra `redis-server` arguments, e.g. `['--maxmemory-policy', 'allkeys-lru']`; or a function
   * that makes them once per start attempt from the port and dir chosen for it (e.g. to pick
   * further free ports or name files in the dir). {@link RedisServer.restart} reuses them.
   */
  args?: string[] | ((server: { port: number; dir: string }) => string[] | Promise<string[]>);
}

/** One `redis-server` child process with its own port and data directory. */
export class RedisServer {
  readonly port: number;
  readonly dir: string;
  readonly #options: RedisServerOptions;
  #extraArgs: string[] = [];
  #child: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();

  private constructor(port: number, dir: string, options: RedisServerOptions) {
    this.port = port;
    this.dir = dir;
    this.#options = options;
  }

  /** Starts a Redis on a free port in a fresh temp dir and waits until it accepts connections. */
  static async start(options: RedisServerOptions = {}): Promise<RedisServer> {
    let lastError: unknown;
    for (let attempt = 0; attempt < 5; attempt++) {
      const dir = mkdtempSync(join(tmpdir(), 'mcp-tasks-redis-'));
      const server = new RedisServer(await freePort(), dir, options);
      try {
        const { args } = options;
        server.#extraArgs = typeof args === 'function' ? await args({ port: server.port, dir }) : (args ?? []);
        await server.#spawn();
        return server;
      } catch (err) {
        lastError = err; // most likely the port was taken in between: try another
        await server.stop();
      }
    }
    throw lastError;
  }

  /** `redis://127.0.0.1:<port>`. */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Whether the process is running. */
  get running(): boolean {
    return this.#child !== undefined;
  }

  /** The process id while the process runs, else `undefined`. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** Kills the process with SIGKILL (no shutdown save) and waits until it has exited. */
  async kill(): Promise<void> {
    const child = this.#child;
    if (child === undefined) return;
    child.kill('SIGKILL');
    await this.#exited;
  }

  /** Stops the process with `signal` (SIGTERM: a clean shutdown) and waits until it has exited. */
  async stopWith(signal: NodeJS.Signals): Promise<void> {
    const child = this.#child;
    if (child === undefined) return;
    child.kill(signal);
    await this.#exited;
  }

  /** Starts the process again on the same port and dir (replaying the AOF if enabled); SIGKILLs it first if it runs. */
  async restart(): Promise<void> {
    await this.kill();
    let lastError: unknown;
    for (let attempt = 0; attempt < 20; attempt++) {
      try {
        await this.#spawn();
        return;
      } catch (err) {
        lastError = err; // the port may linger for a moment
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    throw lastError;
  }

  /** Kills the process and removes its directory. */
  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }

  #spawn(): Promise<void> {
    const args = [
      '--port', String(this.port),
      '--bind', '127.0.0.1',
      '--dir', this.dir,
      '--save', '',
      '--appendonly', this.#options.appendOnly ? 'yes' : 'no',
      '--appendfsync', 'always',
      '--daemonize', 'no',
      '--loglevel', 'notice',
      ...this.#extraArgs,
    ];
    const child = spawn(BINARY, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child = child;
    live.set(child, this.dir);
    this.#exited = new Promise((resolve) => child.once('exit', () => {
      live.delete(child);
      if (this.#child === child) this.#child = undefined;
      resolve();
    }));
    return new Promise<void>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => fail(new Error(`redis-server did not get ready within ${READY_TIMEOUT_MS} ms:\n${output}`)), READY_TIMEOUT_MS);
      const onData = (chunk: Buffer): void => {
        output += chunk.toString('utf8');
        if (/Ready to accept connections/.test(output)) {
          cleanup();
          child.stdout?.resume();
          resolve();
        }
      };
      const onExit = (code: number | null): void => fail(new Error(`redis-server exited (code ${String(code)}) before it was ready:\n${output}`));
      const onError = (err: Error): void => fail(err);
      const cleanup = (): void => {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.off('exit', onExit);
        child.off('error', onError);
      };
      const fail = (err: Error): void => {
        cleanup();
        child.kill('SIGKILL');
        reject(err);
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
      });
      child.once('exit', onExit);
      child.once('error', onError);
    });
  }
}

/**
 * Starts a Redis for the enclosing suite and stops it afterwards. Call inside a
 * `describeWithRedis` body; `await` the returned getter's promise in `before`/tests.
 */
export function suiteRedis(options: RedisServerOptions = {}): () => Promise<RedisServer> {
  let started: Promise<RedisServer> | undefined;
  after(async () => {
    if (started !== undefined) await (await started).stop();
  });
  return () => (started ??= RedisServer.start(options));
}
