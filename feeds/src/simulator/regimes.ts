import type { SimRandom } from './random';

export const REGIMES = ['calm', 'normal', 'volatile'] as const;
export type Regime = (typeof REGIMES)[number];

/** `switching` runs the Markov chain; a regime name pins every symbol to it (benchmarks, tests). */
export const VOLATILITY_MODES = ['switching', ...REGIMES] as const;
export type VolatilityMode = (typeof VOLATILITY_MODES)[number];

export interface RegimeParams {
  /**
   * Multiplier of the symbol's event intensity. The total rate is fixed by the options, so this
   * shifts activity between symbols: a volatile symbol takes a larger share of the messages.
   */
  readonly activity: number;
  /** Chance that an event moves the fair price. */
  readonly driftProbability: number;
  /** Mean size of a fair-price move, in units of the symbol's step ticks. */
  readonly stepMultiplier: number;
  /** Chance that an event without a price move is a taker trade (otherwise book churn). */
  readonly tradeProbability: number;
  /** Taker size multiplier (percent of the touch size). */
  readonly takerPercent: number;
  /** Mean time spent in the regime before the next switch. */
  readonly meanDurationSeconds: number;
  /** Where the chain goes next: [regime, probability], probabilities summing to 1. */
  readonly next: readonly (readonly [Regime, number])[];
}

/**
 * Calm markets drift by single steps and trade little; volatile ones move several steps at a time,
 * trade in bigger clips and take a larger share of the message rate. Volatile spells are short, as
 * in real markets (volatility clusters, then decays).
 */
export const REGIME_PARAMS: Readonly<Record<Regime, RegimeParams>> = {
  calm: {
    activity: 0.6,
    driftProbability: 0.12,
    stepMultiplier: 0.4,
    tradeProbability: 0.06,
    takerPercent: 40,
    meanDurationSeconds: 45,
    next: [
      ['normal', 0.85],
      ['volatile', 0.15],
    ],
  },
  normal: {
    activity: 1,
    driftProbability: 0.25,
    stepMultiplier: 1,
    tradeProbability: 0.09,
    takerPercent: 60,
    meanDurationSeconds: 60,
    next: [
      ['calm', 0.5],
      ['volatile', 0.5],
    ],
  },
  volatile: {
    activity: 2.5,
    driftProbability: 0.35,
    stepMultiplier: 4,
    tradeProbability: 0.15,
    takerPercent: 100,
    meanDurationSeconds: 20,
    next: [
      ['normal', 0.7],
      ['calm', 0.3],
    ],
  },
};

/** Draws the regime after `from` from its transition row. */
export function nextRegime(from: Regime, random: SimRandom): Regime {
  const row = REGIME_PARAMS[from].next;
  let u = random.unit();
  for (const [regime, probability] of row) {
    if (u < probability) return regime;
    u -= probability;
  }
  // Only reachable through rounding of the row's sum: take its last entry.
  return row[row.length - 1]?.[0] ?? from;
}
