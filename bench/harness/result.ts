import type { Measurement } from './measure';
import type { BenchOptions } from './options';

/** A figure of one implementation, or the reason it could not be measured here. */
export interface Figure {
  readonly name: string;
  readonly measurement?: Measurement;
  readonly reason?: string;
}

/**
 * `speedup`: Tickwire's ops/s ÷ the peer's must be ≥ bound. `cost`: Tickwire's time per op ÷ the
 * peer's must be ≤ bound.
 */
export interface Target {
  readonly peer: string;
  readonly kind: 'speedup' | 'cost';
  readonly bound: number;
}

export interface Row {
  readonly scenario: string;
  readonly case: string;
  /** What the input was (file, frames, sizes), so figures are comparable across runs. */
  readonly input: string;
  /** What one op is ("frame", "trade frame", "tick", "op"). */
  readonly unit: string;
  readonly ours: Figure;
  readonly peers: readonly Figure[];
  readonly targets: readonly Target[];
  readonly notes?: readonly string[];
}

export interface Verdict {
  readonly target: Target;
  /** Speedup (ours ÷ peer ops/s) or cost ratio (ours ÷ peer time per op); undefined: not measurable. */
  readonly ratio?: number;
  readonly met?: boolean;
  readonly reason?: string;
}

export function verdicts(row: Row): Verdict[] {
  return row.targets.map((target): Verdict => {
    const peer = row.peers.find((figure) => figure.name === target.peer);
    const ours = row.ours.measurement;
    const theirs = peer?.measurement;
    if (ours === undefined) return { target, reason: row.ours.reason ?? 'Tickwire not measured' };
    if (theirs === undefined) return { target, reason: peer?.reason ?? `peer ${target.peer} not run` };
    const speedup = ours.opsPerSecond / theirs.opsPerSecond;
    if (target.kind === 'speedup') return { target, ratio: speedup, met: speedup >= target.bound };
    const cost = 1 / speedup;
    return { target, ratio: cost, met: cost <= target.bound };
  });
}

/** A scenario adds rows through `report` as it measures them. */
export interface Scenario {
  readonly id: string;
  readonly title: string;
  run(options: BenchOptions, report: (row: Row) => void): Promise<void>;
}

/** A scenario of the issue that this harness does not run, with why. */
export interface NotRun {
  readonly id: string;
  readonly title: string;
  readonly reason: string;
}
