import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_PORT, parseServeArgs, UsageError, type ServeOptions } from '../../src/cli/serve/args.js';

function run(argv: string[], env: NodeJS.ProcessEnv = {}): ServeOptions {
  const parsed = parseServeArgs(argv, env);
  assert.equal(parsed.kind, 'run');
  return (parsed as { kind: 'run'; options: ServeOptions }).options;
}

test('serve without flags: HTTP on 127.0.0.1:3000, SSE, stateful, in-memory', () => {
  assert.deepEqual(run([]), {
    port: DEFAULT_PORT,
    host: '127.0.0.1',
    jsonResponse: false,
    stdio: false,
    stateless: false,
    demoAuth: false,
    redisUrl: undefined,
  });
  assert.equal(DEFAULT_PORT, 3000);
});

test('every flag is understood, in both --flag value and --flag=value forms', () => {
  const options = run(['--port', '0', '--json-response', '--stateless', '--demo-auth', '--redis=redis://h:6379/2', '--host=::1']);
  assert.deepEqual(options, {
    port: 0,
    host: '::1',
    jsonResponse: true,
    stdio: false,
    stateless: true,
    demoAuth: true,
    redisUrl: 'redis://h:6379/2',
  });
  assert.equal(run(['--port=65535']).port, 65535);
  assert.equal(run(['--stdio']).stdio, true);
  assert.equal(run(['--stdio', '--redis', 'rediss://x']).redisUrl, 'rediss://x');
});

test('MCP_TASKS_REDIS_URL selects Redis; --redis overrides it; blank is ignored', () => {
  assert.equal(run([], { MCP_TASKS_REDIS_URL: 'redis://env:1' }).redisUrl, 'redis://env:1');
  assert.equal(run(['--redis', 'redis://flag:2'], { MCP_TASKS_REDIS_URL: 'redis://env:1' }).redisUrl, 'redis://flag:2');
  assert.equal(run([], { MCP_TASKS_REDIS_URL: '  ' }).redisUrl, undefined);
});

test('--help and -h ask for help', () => {
  assert.deepEqual(parseServeArgs(['--help']), { kind: 'help' });
  assert.deepEqual(parseServeArgs(['--port', '1', '-h']), { kind: 'help' });
});

const bad: Array<[string[], RegExp, NodeJS.ProcessEnv?]> = [
  [['--bogus'], /unknown option '--bogus'/],
  [['positional'], /unknown option 'positional'/],
  [['--port'], /--port needs a value/],
  [['--port', '--stdio'], /--port needs a value/],
  [['--port', 'abc'], /--port must be an integer from 0 to 65535/],
  [['--port', '-1'], /--port must be an integer/],
  [['--port', '65536'], /--port must be an integer/],
  [['--port', '1.5'], /--port must be an integer/],
  [['--port='], /--port must be an integer/],
  [['--host', ''], /--host needs a value/],
  [['--stdio=yes'], /--stdio takes no value/],
  [['--json-response=1'], /--json-response takes no value/],
  [['--stateless=1'], /--stateless takes no value/],
  [['--demo-auth=1'], /--demo-auth takes no value/],
  [['--port', '1', '--port', '2'], /--port given more than once/],
  [['--redis', 'http://x'], /--redis must be a redis:\/\/ or rediss:\/\/ URL/],
  [['--redis', 'not a url'], /--redis must be a redis:\/\//],
  [[], /MCP_TASKS_REDIS_URL must be a redis:\/\//, { MCP_TASKS_REDIS_URL: 'nonsense' }],
  [['--stdio', '--port', '1'], /--port cannot be combined with --stdio/],
  [['--stdio', '--json-response'], /--json-response cannot be combined with --stdio/],
  [['--stdio', '--stateless'], /--stateless cannot be combined with --stdio/],
  [['--stdio', '--demo-auth'], /--demo-auth cannot be combined with --stdio/],
  [['--stdio', '--host', 'x'], /--host cannot be combined with --stdio/],
];

for (const [argv, message, env] of bad) {
  test(`bad command line ${JSON.stringify(argv)} → UsageError ${message}`, () => {
    assert.throws(() => parseServeArgs(argv, env ?? {}), (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.match(error.message, message);
      return true;
    });
  });
}

test('--key-prefix sets the Redis key prefix (for deployments sharing one Redis); bad prefixes are refused', () => {
  assert.equal(run(['--key-prefix', 'tenant-a']).keyPrefix, 'tenant-a');
  assert.equal(run([]).keyPrefix, undefined);
  assert.throws(() => parseServeArgs(['--key-prefix', 'a b']), /--key-prefix must be 1 to 64/);
  assert.throws(() => parseServeArgs(['--key-prefix', '']), /--key-prefix must be 1 to 64/);
});

test('--redis-cluster HOST:PORT,… (or MCP_TASKS_REDIS_CLUSTER) gives Cluster seed nodes; it excludes --redis, and wins over MCP_TASKS_REDIS_URL', () => {
  assert.deepEqual(run(['--redis-cluster', '127.0.0.1:7000, redis-b:7001,[::1]:7002']).redisCluster, [
    { host: '127.0.0.1', port: 7000 },
    { host: 'redis-b', port: 7001 },
    { host: '::1', port: 7002 },
  ]);
  const fromEnv = run([], { MCP_TASKS_REDIS_CLUSTER: 'h:1', MCP_TASKS_REDIS_URL: 'redis://env:1' });
  assert.deepEqual([fromEnv.redisCluster, fromEnv.redisUrl], [[{ host: 'h', port: 1 }], undefined]);
  const flag = run(['--redis', 'redis://flag:2'], { MCP_TASKS_REDIS_CLUSTER: 'h:1' });
  assert.deepEqual([flag.redisCluster, flag.redisUrl], [undefined, 'redis://flag:2'], 'a --redis flag wins over the environment');
  assert.equal(run([]).redisCluster, undefined);
  assert.throws(() => parseServeArgs(['--redis', 'redis://a:1', '--redis-cluster', 'b:2']), /--redis cannot be combined with --redis-cluster/);
  for (const wrong of ['h', 'h:0', 'h:70000', 'h:1,', ':1']) {
    assert.throws(() => parseServeArgs(['--redis-cluster', wrong]), /--redis-cluster must be HOST:PORT\[,HOST:PORT\.\.\.\]/, wrong);
  }
});
