/**
 * `npm run chaos`: every Redis fault scenario many times (default 20; `--runs N`), on 1 to 3
 * processes in turn, and a table of what was measured. Exit code 1 when any run broke a property.
 * Bounded: each run has its own request deadline and terminal bound (spec/faults/scenarios.ts).
 */
import { parseArgs } from 'node:util';
import { RedisServer } from '../support/redisServer.js';
import { faults, runScenario, TERMINAL_BOUND_MS, type Fault, type ScenarioFigures } from './scenarios.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' }, tasks: { type: 'string', default: '100' } } });
const runs = Number(values.runs);
const tasks = Number(values.tasks);

const scenarios: Fault[] = [
  ...faults(3_000),
  {
    name: 'a 10 s outage (SIGKILL, back after 10 s, AOF)',
    async inject(redis: RedisServer) {
      await redis.kill();
      await new Promise((resolve) => setTimeout(resolve, 10_000));
      await redis.restart();
    },
  },
];

const rows: string[] = [];
let broken = 0;
for (const fault of scenarios) {
  const figures: ScenarioFigures[] = [];
  for (let run = 0; run < runs; run++) {
    const result = await runScenario(fault, { processes: 1 + (run % 3), tasks });
    figures.push(result);
    process.stderr.write(`[chaos] ${fault.name} #${run + 1}: ${result.problems.length === 0 ? 'ok' : `BROKEN: ${result.problems[0]}`}\n`);
  }
  const sum = (pick: (f: ScenarioFigures) => number): number => figures.reduce((total, f) => total + pick(f), 0);
  const max = (pick: (f: ScenarioFigures) => number): number => Math.max(...figures.map(pick));
  const bad = figures.filter((f) => f.problems.length > 0).length;
  broken += bad;
  rows.push(
    `| ${fault.name} | ${runs} | ${bad} | ${sum((f) => f.created)} | ${sum((f) => f.createErrors)} | ${sum((f) => f.completed)} | ${sum((f) => f.failed)} | ` +
      `${max((f) => f.terminalAfterMs)} ms | ${max((f) => f.slowestRequestMs)} ms | ${max((f) => f.recoveredAfterMs)} ms |`,
  );
}

process.stdout.write(
  [
    `Redis chaos: ${runs} runs per scenario, ${tasks} tasks per run, 1–3 stateless processes; terminal bound ${TERMINAL_BOUND_MS} ms after Redis is back.`,
    '',
    '| scenario | runs | broken | tasks created | creations failed (clear -32603) | completed (own result) | failed (clear message) | last task terminal after Redis back (max) | slowest request (max) | every process answering after (max) |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n'),
);
process.exitCode = broken === 0 ? 0 : 1;
