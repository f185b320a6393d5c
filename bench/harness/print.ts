import type { Figure, Row, Verdict } from './result';
import { verdicts } from './result';

function rate(value: number): string {
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)}M`;
  if (value >= 1e4) return `${(value / 1e3).toFixed(1)}k`;
  return value.toFixed(value >= 100 ? 0 : 1);
}

function micros(value: number): string {
  if (value < 1) return `${(value * 1e3).toFixed(0)} ns`;
  if (value < 1000) return `${value.toFixed(value < 10 ? 2 : 1)} µs`;
  return `${(value / 1e3).toFixed(2)} ms`;
}

export function figureText(figure: Figure, unit: string): string {
  const m = figure.measurement;
  if (m === undefined) return `not run: ${figure.reason ?? 'no reason given'}`;
  return `${rate(m.opsPerSecond).padStart(8)} ${unit}/s  p50 ${micros(m.p50Micros)}  p99 ${micros(m.p99Micros)}  RSS ${m.rssMiB.toFixed(0)} MiB`;
}

export function verdictText(verdict: Verdict): string {
  const { target } = verdict;
  const goal =
    target.kind === 'speedup'
      ? `target ≥ ${target.bound}× ${target.peer}`
      : `target cost ≤ ${target.bound}× ${target.peer}`;
  if (verdict.ratio === undefined) return `${goal}: not measurable (${verdict.reason ?? ''})`;
  const what = target.kind === 'speedup' ? 'speed' : 'cost';
  return `${what} ${verdict.ratio.toFixed(2)}× ${target.peer} (${goal.replace(`× ${target.peer}`, '×')}) ${verdict.met === true ? 'MET' : 'MISSED'}`;
}

export function printRow(row: Row): void {
  const width = Math.max(row.ours.name.length, ...row.peers.map((peer) => peer.name.length)) + 2;
  console.log(`\n[${row.scenario}] ${row.case}`);
  console.log(`  input: ${row.input}`);
  console.log(`  ${`Tickwire ${row.ours.name}`.padEnd(width + 9)} ${figureText(row.ours, row.unit)}`);
  for (const peer of row.peers) console.log(`  ${`peer ${peer.name}`.padEnd(width + 9)} ${figureText(peer, row.unit)}`);
  for (const verdict of verdicts(row)) console.log(`  → ${verdictText(verdict)}`);
  for (const note of row.notes ?? []) console.log(`  note: ${note}`);
}

/** One line per target: the closing summary table. */
export function printSummary(rows: readonly Row[]): void {
  console.log('\n=== summary (ratio vs target)');
  console.log('scenario | case | Tickwire | peer | peer figure | ratio | target | met');
  for (const row of rows) {
    for (const verdict of verdicts(row)) {
      const peer = row.peers.find((figure) => figure.name === verdict.target.peer);
      const ours = row.ours.measurement ? `${rate(row.ours.measurement.opsPerSecond)}/s` : 'n/a';
      const theirs = peer?.measurement ? `${rate(peer.measurement.opsPerSecond)}/s` : `n/a (${peer?.reason ?? '?'})`;
      const ratio = verdict.ratio === undefined ? 'n/a' : `${verdict.ratio.toFixed(2)}×`;
      const goal = `${verdict.target.kind === 'speedup' ? 'speed ≥' : 'cost ≤'} ${verdict.target.bound}×`;
      const met = verdict.met === undefined ? '-' : verdict.met ? 'yes' : 'NO';
      console.log(
        `${row.scenario} | ${row.case} | ${ours} | ${verdict.target.peer} | ${theirs} | ${ratio} | ${goal} | ${met}`,
      );
    }
  }
}
