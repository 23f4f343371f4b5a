/** Unit tests of the bench's arithmetic and parsing (the numbers in the table depend on them). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fillRatios, type ResultRow } from './results.js';
import { diffStats, parseInfo } from './redis.js';
import { quantile, summarize, timeConcurrent, timeSequential } from './stats.js';
import { Gates } from './targets/target.js';
import { commandMix } from './workloads/redisMix.js';

describe('stats', () => {
  test('quantile uses the nearest rank, whatever the input order', () => {
    const samples = [5, 1, 4, 2, 3];
    assert.equal(quantile(samples, 0.5), 3);
    assert.equal(quantile(samples, 0.99), 5);
    assert.equal(quantile(samples, 0), 1);
    assert.ok(Number.isNaN(quantile([], 0.5)));
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
    assert.deepEqual(summarize(hundred), { n: 100, medianMs: 50, p99Ms: 99 });
  });

  test('timeSequential stops at its budget after at least 3 runs', async () => {
    let runs = 0;
    const { samples } = await timeSequential(1000, async () => void runs++, -1);
    assert.equal(runs, 3);
    assert.equal(samples.length, 3);
  });

  test('timeConcurrent keeps the given number in flight and runs the total', async () => {
    let inFlight = 0;
    let peak = 0;
    const { samples } = await timeConcurrent(50, 8, async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise<void>((resolve) => setImmediate(resolve));
      inFlight--;
    });
    assert.equal(samples.length, 50);
    assert.equal(peak, 8);
  });
});

describe('ratios', () => {
  const row = (subject: string, kind: ResultRow['kind'], value: number, transport: ResultRow['transport'] = 'memory'): ResultRow => ({
    workload: 'W1',
    case: 'c',
    subject,
    label: subject,
    transport,
    kind,
    ...(kind === 'latency' ? { medianMs: value } : { perSecond: value }),
  });

  test('latency rows divide medians, throughput rows divide rates, per transport', () => {
    const rows = [row('ours-memory', 'latency', 3), row('sdk', 'latency', 6), row('plain', 'latency', 1), row('ours-memory', 'latency', 10, 'http')];
    fillRatios(rows);
    assert.equal(rows[0]?.vsSdk, 0.5);
    assert.equal(rows[0]?.vsPlain, 3);
    assert.equal(rows[3]?.vsSdk, undefined, 'no SDK row over http: no ratio');
    const rates = [row('ours-memory', 'throughput', 50), row('sdk', 'throughput', 100)];
    fillRatios(rates);
    assert.equal(rates[0]?.vsSdk, 0.5);
  });
});

describe('redis helpers', () => {
  test('parseInfo and diffStats', () => {
    const before = new Map([['get', { calls: 10, usec: 100 }]]);
    const info = parseInfo('# Commandstats\r\ncmdstat_get:calls=15,usec=160\r\nredis_version:7.0.15\r\n');
    assert.equal(info.get('redis_version'), '7.0.15');
    const after = new Map([
      ['get', { calls: 15, usec: 160 }],
      ['set', { calls: 2, usec: 5 }],
      ['del', { calls: 0, usec: 0 }],
    ]);
    assert.deepEqual([...diffStats(before, after)], [
      ['get', { calls: 5, usec: 60 }],
      ['set', { calls: 2, usec: 5 }],
    ]);
  });

  test('commandMix groups scripts by sha, sets aside what cannot be replayed, ignores connection commands', () => {
    const captured = [
      ['evalsha', 'aaaaaaaaaaaaaaaa', '1', 'k1'],
      ['EVALSHA', 'aaaaaaaaaaaaaaaa', '1', 'k2'],
      ['evalsha', 'bbbbbbbbbbbbbbbb', '0'],
      ['lpop', 'q'],
      ['subscribe', 'ch'],
      ['info'],
      ['quit'],
    ];
    const { mix, skipped } = commandMix(captured, 2);
    assert.deepEqual(
      mix.map((m) => [m.signature, m.perLifecycle, m.example[3]]),
      [
        ['evalsha aaaaaaaaaaaa', 1, 'k1'],
        ['evalsha bbbbbbbbbbbb', 0.5, undefined],
        ['lpop', 0.5, undefined],
      ],
    );
    assert.deepEqual([...skipped], [['subscribe', 0.5]]);
  });
});

describe('gates', () => {
  test('a gate opened before the wait still lets it through; unknown gates reject', async () => {
    const gates = new Gates();
    const id = gates.create();
    gates.open(id);
    await gates.wait(id);
    await assert.rejects(gates.wait('nope'), /unknown gate/);
    assert.throws(() => gates.open('nope'), /unknown gate/);
    const other = gates.create();
    const waiting = gates.wait(other);
    gates.openAll();
    await waiting;
  });
});
