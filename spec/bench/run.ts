/**
 * `npm run bench`: runs the workloads (all, or `--only W1,W3`) in this process, prints the results
 * table (every row, then a summary with one column per implementation) and writes the same as JSON.
 *
 * Flags: `--smoke` (tiny counts, a short idle window), `--json <file>` (default
 * `bench-results.json`), `--markdown <file>` (also write the table as Markdown), `--only <ids>`,
 * `--quiet` (no progress lines on stderr).
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { FULL_CONFIG, SMOKE_CONFIG } from './config.js';
import { markdownTable, summaryTable, textTable } from './report.js';
import { runSuite, WORKLOAD_IDS } from './suite.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      smoke: { type: 'boolean', default: false },
      json: { type: 'string', default: 'bench-results.json' },
      markdown: { type: 'string' },
      only: { type: 'string' },
      quiet: { type: 'boolean', default: false },
    },
  });
  const only = values.only ? values.only.split(',').map((id) => id.trim().toUpperCase()).filter(Boolean) : WORKLOAD_IDS;
  const unknown = only.filter((id) => !WORKLOAD_IDS.includes(id));
  if (unknown.length > 0) throw new Error(`unknown workload(s) ${unknown.join(', ')}; known: ${WORKLOAD_IDS.join(', ')}`);
  const log = values.quiet ? () => {} : (line: string) => process.stderr.write(`[bench] ${line}\n`);
  const report = await runSuite(values.smoke ? SMOKE_CONFIG : FULL_CONFIG, only, log);
  process.stdout.write(`${textTable(report)}\n\nSummary (headline numbers):\n\n${summaryTable(report)}\n`);
  await writeFile(values.json, `${JSON.stringify(report, null, 2)}\n`);
  if (values.markdown) await writeFile(values.markdown, `${markdownTable(report)}\n`);
  process.stderr.write(`[bench] wrote ${values.json}${values.markdown ? ` and ${values.markdown}` : ''}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
