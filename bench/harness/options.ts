/** Command-line options of `npm run bench`: `--quick` (few iterations, CI smoke) and `--only a,b`. */
export interface BenchOptions {
  readonly quick: boolean;
  /** Scenario ids to run; empty: all. */
  readonly only: readonly string[];
  /** Warm-up runs before timing. */
  readonly warmup: number;
  /** Timed runs; the median is reported. */
  readonly runs: number;
  /** Multiplies the work per run (1 in full mode, small in quick mode). */
  readonly scale: number;
}

export function parseOptions(argv: readonly string[]): BenchOptions {
  const quick = argv.includes('--quick');
  const onlyIndex = argv.indexOf('--only');
  const only = onlyIndex === -1 ? [] : (argv[onlyIndex + 1] ?? '').split(',').filter((id) => id !== '');
  return quick ? { quick, only, warmup: 1, runs: 3, scale: 0.1 } : { quick, only, warmup: 3, runs: 7, scale: 1 };
}

/** `full` scaled by the mode, at least 1. */
export function scaled(options: BenchOptions, full: number): number {
  return Math.max(1, Math.round(full * options.scale));
}
