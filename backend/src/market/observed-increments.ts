import { type DecimalString, decimalPlaces, fromScaledUnits, type PriceLevel } from '@tickwire/feeds';

/** Levels looked at to infer increments from a first book. */
const SAMPLE_LEVELS = 50;

/** 10^-places as a canonical decimal: 0 → "1", 2 → "0.01". */
export function incrementOf(places: number): DecimalString {
  return fromScaledUnits(1n, places);
}

/**
 * The finest price and size increments a book shows: where the venue's adapter does not know an
 * instrument's tick and lot size (no exchange info), they are inferred from the first snapshot.
 * An upper bound on the real increments' fineness, so grouping by multiples of it is always safe.
 */
export function observedIncrements(
  bids: readonly PriceLevel[],
  asks: readonly PriceLevel[],
): { tickSize: DecimalString; lotSize: DecimalString } | undefined {
  const levels = [...bids.slice(0, SAMPLE_LEVELS), ...asks.slice(0, SAMPLE_LEVELS)];
  if (levels.length === 0) return undefined;
  let pricePlaces = 0;
  let sizePlaces = 0;
  for (const [price, size] of levels) {
    pricePlaces = Math.max(pricePlaces, decimalPlaces(price));
    sizePlaces = Math.max(sizePlaces, decimalPlaces(size));
  }
  return { tickSize: incrementOf(pricePlaces), lotSize: incrementOf(sizePlaces) };
}
