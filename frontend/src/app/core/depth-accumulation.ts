import { type DecimalString, ExactSum, type PriceLevel } from '@tickwire/feeds';

/**
 * Running totals of one book side, best first: `cumulative[i]` is the exact sum of the sizes of
 * levels 0..i (BigInt scaled units, so totals never drift). Writes into `out` (reused between
 * updates) and returns it trimmed to the levels' length.
 */
export function accumulateDepth(levels: readonly PriceLevel[], out: DecimalString[] = []): DecimalString[] {
  const sum = new ExactSum();
  for (let index = 0; index < levels.length; index++) {
    out[index] = sum.add((levels[index] as PriceLevel)[1]).value();
  }
  out.length = levels.length;
  return out;
}

/** Both sides' cumulative depth: what the ladder's bars and the depth chart draw. */
export interface DepthProfile {
  readonly bids: readonly PriceLevel[];
  readonly asks: readonly PriceLevel[];
  readonly bidTotals: readonly DecimalString[];
  readonly askTotals: readonly DecimalString[];
}

export function depthProfile(bids: readonly PriceLevel[], asks: readonly PriceLevel[]): DepthProfile {
  return { bids, asks, bidTotals: accumulateDepth(bids), askTotals: accumulateDepth(asks) };
}
