import {
  type DecimalString,
  ExactSum,
  type PriceLevel,
  compareDecimals,
  decimalPlaces,
  fromScaledUnits,
  multiplyDecimals,
  toScaledUnits,
} from '@tickwire/feeds';

/** Coarser groupings offered beside "none": the effective tick times these multiples. */
export const GROUPING_MULTIPLES = [10, 100, 1000, 10_000] as const;

export interface GroupingOption {
  /** 0: no grouping (the instrument's own tick, every level as the book has it). */
  readonly multiple: number;
  readonly step: DecimalString;
  readonly label: string;
}

/**
 * The groupings of a book: none (the tick itself, so every level shows exactly), then multiples of
 * the effective tick (see effectiveTick), all exact multiples of the tick.
 */
export function groupingOptions(tickSize: DecimalString, effective: DecimalString): GroupingOption[] {
  return [
    { multiple: 0, step: tickSize, label: 'none' },
    ...GROUPING_MULTIPLES.map((multiple) => {
      const step = multiplyDecimals(effective, String(multiple) as DecimalString);
      return { multiple, step, label: step };
    }),
  ];
}

/**
 * The finest step worth offering: the tick × 10^k closest to, and not finer than, the precision the
 * prices actually have (a venue's tick, or the gateway's fallback one, can be far finer than its
 * prices, and grouping by it would change nothing).
 */
export function effectiveTick(tickSize: DecimalString, prices: readonly DecimalString[]): DecimalString {
  if (prices.length === 0) return tickSize;
  let places = 0;
  for (const price of prices) places = Math.max(places, decimalPlaces(price));
  const unit = fromScaledUnits(1n, places);
  const ten = '10' as DecimalString;
  let step = tickSize;
  while (compareDecimals(multiplyDecimals(step, ten), unit) <= 0) step = multiplyDecimals(step, ten);
  return step;
}

/**
 * The price bucket of `price` for a step, exactly (scaled integers, no floats): bids round down
 * and asks round up, so a grouped level never looks better than the book's real best price.
 */
export function bucketPrice(price: DecimalString, step: DecimalString, side: 'bid' | 'ask'): DecimalString {
  const scale = Math.max(decimalPlaces(price), decimalPlaces(step));
  const units = toScaledUnits(price, scale);
  const stepUnits = toScaledUnits(step, scale);
  if (stepUnits <= 0n) throw new RangeError(`grouping step must be positive, got ${step}`);
  const remainder = units % stepUnits;
  if (remainder === 0n) return price;
  const floor = units - remainder;
  return fromScaledUnits(side === 'bid' ? floor : floor + stepUnits, scale);
}

/**
 * Levels of one side (best first) merged into buckets of `step`, best first, sizes summed exactly.
 * The side is sorted, so levels of one bucket are adjacent and one pass does it. When no level
 * moves or merges, the input itself is returned (no copies).
 */
export function groupLevels(
  levels: readonly PriceLevel[],
  step: DecimalString,
  side: 'bid' | 'ask',
): readonly PriceLevel[] {
  const out: PriceLevel[] = [];
  let changed = false;
  let bucket: DecimalString | undefined;
  let single: PriceLevel | undefined;
  let sum: ExactSum | undefined;
  const flush = (): void => {
    if (bucket === undefined) return;
    out.push(sum === undefined ? (single as PriceLevel) : [bucket, sum.value()]);
  };
  for (const level of levels) {
    const price = bucketPrice(level[0], step, side);
    if (price !== level[0]) changed = true;
    if (price === bucket) {
      sum ??= new ExactSum().add((single as PriceLevel)[1]);
      sum.add(level[1]);
      changed = true;
      continue;
    }
    flush();
    bucket = price;
    single = price === level[0] ? level : [price, level[1]];
    sum = undefined;
  }
  flush();
  return changed ? out : levels;
}
