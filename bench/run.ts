/*
 * `npm run bench`: every scenario of issue 9 that runs in one Node process, Tickwire beside each
 * peer on the same recorded input in the same run, with the ratio against the target.
 * Writes bench/results/bench.json and bench.svg (bench-quick.* with --quick).
 * Run: npm run bench [-- --quick] [-- --only parse,decimal,trades,l2,conflation,replay]
 */
import { resolve } from 'node:path';
import { machineInfo } from './harness/env';
import { parseOptions } from './harness/options';
import { printRow, printSummary } from './harness/print';
import type { NotRun, Row, Scenario } from './harness/result';
import { verdicts } from './harness/result';
import { writeResults } from './harness/write-results';
import { conflationScenario } from './scenarios/conflation';
import { decimalScenario } from './scenarios/decimal';
import { l2Scenario } from './scenarios/l2';
import { NOT_RUN } from './scenarios/not-run';
import { parseScenario } from './scenarios/parse';
import { replayScenario } from './scenarios/replay';
import { tradesScenario } from './scenarios/trades';

const SCENARIOS: Scenario[] = [
  parseScenario,
  decimalScenario,
  tradesScenario,
  l2Scenario,
  conflationScenario,
  replayScenario,
];

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const machine = machineInfo();
  const startedAt = new Date().toISOString();
  console.log(
    `Tickwire bench: node ${machine.node}, ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.platform}`,
  );
  console.log(
    `mode: ${options.quick ? 'quick (CI smoke: no timing is asserted)' : 'full'}; ${options.warmup} warm-up + median of ${options.runs} runs per figure; inputs: ../shared/recordings`,
  );
  const rows: Row[] = [];
  const missing: string[] = [];
  const selected = SCENARIOS.filter((scenario) => options.only.length === 0 || options.only.includes(scenario.id));
  for (const scenario of selected) {
    console.log(`\n##### ${scenario.title}`);
    const started = Date.now();
    let reported = 0;
    await scenario.run(options, (row) => {
      reported++;
      rows.push(row);
      printRow(row);
    });
    console.log(`(${scenario.id}: ${reported} rows, ${((Date.now() - started) / 1000).toFixed(1)} s)`);
    if (reported === 0) missing.push(scenario.id);
  }
  const notRun: NotRun[] = [...NOT_RUN];
  console.log('\n##### not run in this harness');
  for (const item of notRun) console.log(`${item.id} ${item.title}: not run in this harness: ${item.reason}`);
  printSummary(rows);
  const paths = writeResults(resolve(__dirname, 'results'), {
    startedAt,
    command: `npm run bench${options.quick ? ' -- --quick' : ''}`,
    machine,
    options,
    rows: rows.map((row) => ({ ...row, verdicts: verdicts(row) })),
    notRun,
  });
  console.log(`\nresults: ${paths.json}\nchart:   ${paths.svg}`);
  // The only check: every scenario ran and printed a row. Timings are never asserted.
  if (missing.length > 0) {
    console.error(`scenarios that printed no row: ${missing.join(', ')}`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
