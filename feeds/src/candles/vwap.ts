import { type DecimalString, divideScaled, type ExactSum } from '../decimal';

/**
 * Decimal places added to the finest price of a candle for its VWAP. With prices at p places the
 * VWAP is shown at p + 8: finer than any tick, and the last digit is rounded half to even.
 */
export const VWAP_EXTRA_PLACES = 8;

/**
 * quoteVolume / volume rounded half-even to `places`; `fallback` (the close) when the volume is 0,
 * which only happens for a flat candle.
 */
export function vwapOf(
  quoteVolume: ExactSum,
  volume: ExactSum,
  places: number,
  fallback: DecimalString,
): DecimalString {
  if (volume.scaledUnits === 0n) return fallback;
  return divideScaled(quoteVolume.scaledUnits, quoteVolume.unitScale, volume.scaledUnits, volume.unitScale, places);
}
