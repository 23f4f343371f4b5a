/**
 * A round-robin HTTP proxy on 127.0.0.1 in front of several server processes: each request goes to
 * the next backend, so consecutive requests of one client land on different processes (no sticky
 * routing). Streams both ways (SSE included).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running proxy. */
export interface RoundRobinProxy {
  /** The proxy's URL for `path` (default `/mcp`). */
  readonly url: string;
  /** How many requests each backend received. */
  readonly counts: number[];
  close(): Promise<void>;
}

/** Starts a proxy in front of `backends` (their full endpoint URLs, same path). */
export async function startRoundRobinProxy(backends: string[]): Promise<RoundRobinProxy> {
  const targets = backends.map((backend) => new URL(backend));
  const counts = targets.map(() => 0);
  let next = 0;
  const server = http.createServer((req, res) => {
    const index = next++ % targets.length;
    counts[index]!++;
    const target = targets[index]!;
    const upstream = http.request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: { ...req.headers, host: target.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.once('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    res.once('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${targets[0]!.pathname}`,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A deployment for a test: a Redis of its own, `count` stateless reference-server processes on it, and a
 * round-robin proxy in front of them; all stopped when the test ends.
 */
export async function proxiedDeployment(t: { after(fn: () => unknown): void }, count = 3): Promise<RoundRobinProxy> {
  const { RedisServer } = await import('./redisServer.js');
  const { startRefServer } = await import('../stores/redis/refServers.js');
  const redis = await RedisServer.start();
  t.after(() => redis.stop());
  const servers = await Promise.all(Array.from({ length: count }, () => startRefServer(redis.url, ['--stateless'])));
  t.after(() => Promise.allSettled(servers.map((server) => server.stop())));
  const proxy = await startRoundRobinProxy(servers.map((server) => server.url));
  t.after(() => proxy.close());
  return proxy;
}
