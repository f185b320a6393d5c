import { type DecimalString, toScaledUnits } from '../decimal';

/** Binance spot writes every price and quantity with exactly 8 decimals ("0.01000000"). */
export const BINANCE_DECIMALS = 8;

/** Units of 1e-8 per whole: a price or size of `u` units is u / 1e8. */
export const UNITS_PER_WHOLE = 100_000_000;

/**
 * Exact Binance text ("60000.01000000") of `units` / 1e8 for a non-negative safe integer.
 *
 * The value never passes through a float: the quotient only picks the integer part, and the
 * fraction is the exact integer remainder. Written by hand because it runs for every price and
 * quantity of every frame; `fromScaledUnits` is BigInt-based and ~10x slower.
 */
export function formatUnits8(units: number): string {
  let whole = Math.floor(units / UNITS_PER_WHOLE);
  let fraction = units - whole * UNITS_PER_WHOLE;
  // units / 1e8 is rounded to the nearest double; close to 2^53 that can round up to the next
  // integer, which makes the remainder negative.
  if (fraction < 0) {
    whole -= 1;
    fraction += UNITS_PER_WHOLE;
  }
  // fraction + 1e8 has 9 digits; dropping the leading "1" zero-pads the fraction to 8.
  return `${whole}.${String(fraction + UNITS_PER_WHOLE).slice(1)}`;
}

/** Exact units of 1e-8 of a decimal with at most 8 places, as a safe integer (throws otherwise). */
export function toUnits8(value: DecimalString): number {
  const units = toScaledUnits(value, BINANCE_DECIMALS);
  if (units > BigInt(Number.MAX_SAFE_INTEGER) || units < 0n) {
    throw new RangeError(`${value} is outside the simulator's range of 0 to 2^53 units of 1e-8`);
  }
  return Number(units);
}
