import { collectGarbage, rssMiB } from './env';
import type { BenchOptions } from './options';

/** What one implementation achieved on one input: median over timed runs, per-op latency spread. */
export interface Measurement {
  /** Operations (frames, ticks, levels, ...) per second in the median run. */
  readonly opsPerSecond: number;
  /** Wall time of the median run, seconds. */
  readonly medianSeconds: number;
  /** Operations per run. */
  readonly ops: number;
  readonly runs: number;
  /** Per-op latency percentiles, µs, over every lap (or every run when the work records no laps). */
  readonly p50Micros: number;
  readonly p99Micros: number;
  /** Process RSS after the last run, MiB. */
  readonly rssMiB: number;
}

/**
 * Lets the work record laps (a chunk of `ops` operations since the previous lap), so p50/p99 are
 * per-op times of small chunks rather than of whole runs.
 */
export interface LapTimer {
  lap(ops: number): void;
}

class Laps implements LapTimer {
  readonly perOpMicros: number[] = [];
  private last = process.hrtime.bigint();

  reset(): void {
    this.last = process.hrtime.bigint();
  }

  lap(ops: number): void {
    const now = process.hrtime.bigint();
    if (ops > 0) this.perOpMicros.push(Number(now - this.last) / 1e3 / ops);
    this.last = now;
  }
}

/** One run of the work: returns the number of operations done. */
export type Work = (timer: LapTimer) => number | Promise<number>;

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

/** A full GC, warm-up runs, then `options.runs` timed runs; reports the median run. */
export async function measure(work: Work, options: BenchOptions): Promise<Measurement> {
  collectGarbage();
  const discard = new Laps();
  for (let i = 0; i < options.warmup; i++) {
    discard.reset();
    await work(discard);
  }
  const laps = new Laps();
  const runs: { seconds: number; ops: number }[] = [];
  for (let i = 0; i < options.runs; i++) {
    laps.reset();
    const started = process.hrtime.bigint();
    const ops = await work(laps);
    runs.push({ seconds: Number(process.hrtime.bigint() - started) / 1e9, ops });
  }
  const byTime = [...runs].sort((a, b) => a.seconds - b.seconds);
  const median = byTime[Math.floor(byTime.length / 2)];
  if (median === undefined) throw new Error('measure needs at least one run');
  const perOp =
    laps.perOpMicros.length > 0 ? laps.perOpMicros : runs.map((run) => (run.seconds * 1e6) / Math.max(1, run.ops));
  perOp.sort((a, b) => a - b);
  return {
    opsPerSecond: median.ops / median.seconds,
    medianSeconds: median.seconds,
    ops: median.ops,
    runs: runs.length,
    p50Micros: percentile(perOp, 50),
    p99Micros: percentile(perOp, 99),
    rssMiB: rssMiB(),
  };
}
