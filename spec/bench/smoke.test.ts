/**
 * CI smoke run of the benchmark suite: every workload with tiny counts and a short idle window.
 * Asserts only that each workload produced rows with numbers (no timing assertions), and that the
 * command line writes its JSON and Markdown.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SMOKE_CONFIG } from './config.js';
import { fullMarkdownTable, markdownTable, summaryTable, textTable, type BenchReport } from './report.js';
import type { ResultRow } from './results.js';
import { runSuite, WORKLOAD_IDS } from './suite.js';

const finite = (x: number | undefined): boolean => x !== undefined && Number.isFinite(x);
const hasNumber = (row: ResultRow): boolean => finite(row.medianMs) || finite(row.perSecond) || finite(row.value);

/** A row of an implementation that could not run must say why (e.g. no Redis on this machine). */
function numbersOrReason(row: ResultRow): void {
  assert.ok(hasNumber(row) || (row.note ?? '').length > 0, `row without number or reason: ${JSON.stringify(row)}`);
}

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const script = fileURLToPath(new URL('./run.js', import.meta.url));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('bench smoke run', { timeout: 120_000 }, () => {
  let report: BenchReport;
  const rowsOf = (id: string): ResultRow[] => report.rows.filter((row) => row.workload === id);

  before(async () => {
    report = await runSuite(SMOKE_CONFIG);
  });

  test('every workload produced rows and none failed', () => {
    assert.deepEqual(report.workloads, WORKLOAD_IDS);
    for (const id of WORKLOAD_IDS) {
      const rows = rowsOf(id);
      assert.ok(rows.length > 0, `${id} produced no rows`);
      const failed = rows.filter((row) => row.case === 'error' || (row.note ?? '').startsWith('failed:'));
      assert.deepEqual(failed, [], `${id} had failures`);
      const redisMissing = rows.every((row) => (row.note ?? '').startsWith('Redis unavailable'));
      assert.ok(rows.some(hasNumber) || redisMissing, `${id} produced no numbers`);
      rows.forEach(numbersOrReason);
    }
  });

  test('W1–W4 measured the SDK built-in path and the plain call on both transports', () => {
    for (const id of ['W1', 'W2', 'W3', 'W4']) {
      for (const transport of ['memory', 'http']) {
        for (const subject of ['sdk', 'plain']) {
          const rows = rowsOf(id).filter((row) => row.subject === subject && row.transport === transport);
          assert.ok(rows.length > 0 && rows.every((row) => finite(row.medianMs)), `${id} ${transport} ${subject}: ${JSON.stringify(rows)}`);
        }
      }
    }
  });

  test('W1–W4 measured ours in memory on both transports', () => {
    for (const id of ['W1', 'W2', 'W3', 'W4']) {
      for (const transport of ['memory', 'http']) {
        const rows = rowsOf(id).filter((row) => row.subject === 'ours-memory' && row.transport === transport);
        assert.ok(rows.length > 0 && rows.every((row) => finite(row.medianMs)), `${id} ${transport}: ${JSON.stringify(rows)}`);
      }
    }
  });

  test('the Redis workloads ran (a missing Redis fails the run only when CI=true)', (t) => {
    const redisRows = report.rows.filter((row) => row.subject === 'ours-redis');
    const missing = redisRows.find((row) => (row.note ?? '').startsWith('Redis unavailable'));
    if (missing && process.env['CI'] !== 'true') {
      t.skip(`SKIPPED: ${missing.note}`);
      return;
    }
    assert.equal(missing, undefined, missing?.note);
    assert.ok(rowsOf('W5').some((row) => row.subject === 'ours-redis' && hasNumber(row)));
    assert.ok(rowsOf('W5').some((row) => row.subject === 'redis-benchmark' && hasNumber(row)));
  });

  test('ratios are filled against the SDK and the plain call', () => {
    const w1 = rowsOf('W1').filter((row) => row.subject === 'plain');
    assert.ok(w1.every((row) => finite(row.vsSdk) && row.vsPlain === 1));
  });

  test('W6 reports heap bytes per stored task, W7 CPU time while idle', () => {
    assert.ok(rowsOf('W6').some((row) => row.case === 'Node heap per stored task' && finite(row.value)));
    assert.ok(rowsOf('W7').some((row) => row.subject === 'baseline' && finite(row.value)));
    assert.ok(rowsOf('W7').some((row) => row.subject === 'ours-memory' && finite(row.value)));
  });

  test('W8 measures both revisions on one server, with listen and with polling', () => {
    const w8 = rowsOf('W8').filter((row) => row.subject === 'ours-memory');
    for (const prefix of ['lifecycle 2026-07-28', 'lifecycle 2025-11-25', 'completion → seen, 2026-07-28 subscriptions/listen', 'completion → seen, 2026-07-28 polling', 'completion → seen, 2025-11-25']) {
      assert.ok(w8.some((row) => row.case.startsWith(prefix) && finite(row.medianMs)), prefix);
    }
  });

  test('the tables list every row and the machine', () => {
    const text = textTable(report);
    assert.match(text, new RegExp(report.machine.node.replace(/\./g, '\\.')));
    const full = fullMarkdownTable(report);
    assert.equal(full.split('\n').filter((line) => /^\| W\d \|/.test(line)).length, report.rows.length);
    const summary = summaryTable(report);
    for (const id of WORKLOAD_IDS) assert.match(summary, new RegExp(`^\\| ${id} \\|`, 'm'), `${id} missing from the summary`);
    assert.ok(markdownTable(report).includes(summary) && markdownTable(report).includes(full));
  });

  describe('command line', () => {
    let dir: string;
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'bench-smoke-'));
    });
    after(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    test('--smoke --only writes the JSON and Markdown it printed', async () => {
      const json = join(dir, 'out.json');
      const md = join(dir, 'out.md');
      const { code, stdout } = await runCli(['--smoke', '--quiet', '--only', 'w1', '--json', json, '--markdown', md]);
      assert.equal(code, 0);
      const written = JSON.parse(await readFile(json, 'utf8')) as BenchReport;
      assert.deepEqual(written.workloads, ['W1']);
      assert.equal(written.mode, 'smoke');
      assert.ok(written.rows.length > 0 && written.rows.every((row) => row.workload === 'W1'));
      assert.match(stdout, /sequential lifecycle/);
      assert.match(await readFile(md, 'utf8'), /\| W1 \|/);
    });

    test('an unknown workload is refused', async () => {
      const { code, stderr } = await runCli(['--smoke', '--only', 'W9', '--json', join(dir, 'never.json')]);
      assert.equal(code, 1);
      assert.match(stderr, /unknown workload/);
    });
  });
});
