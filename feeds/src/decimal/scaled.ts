import { fromDigits } from './canonicalize';
import { DecimalFormatError, type DecimalString } from './decimal-string';

/**
 * Scaled-integer view of a decimal: value = units / 10^scale. BigInt, so sums of sizes stay exact
 * far beyond 2^53 units (e.g. 1e12 tokens at 8 decimals).
 */
export interface ScaledDecimal {
  readonly units: bigint;
  readonly scale: number;
}

/** Number of digits after the point in a canonical decimal. */
export function decimalPlaces(value: DecimalString): number {
  const dot = value.indexOf('.');
  return dot === -1 ? 0 : value.length - dot - 1;
}

/** Exact units of `value` at `scale`; throws when `value` has more decimal places than `scale`. */
export function toScaledUnits(value: DecimalString, scale: number): bigint {
  const dot = value.indexOf('.');
  if (dot === -1) return BigInt(value) * 10n ** BigInt(scale);
  const places = value.length - dot - 1;
  if (places > scale) {
    throw new DecimalFormatError(value, `has ${places} decimal places, more than the scale ${scale}`);
  }
  const units = BigInt(value.slice(0, dot) + value.slice(dot + 1));
  return places === scale ? units : units * 10n ** BigInt(scale - places);
}

export function toScaled(value: DecimalString): ScaledDecimal {
  const scale = decimalPlaces(value);
  return { units: toScaledUnits(value, scale), scale };
}

/** Canonical decimal of units / 10^scale. */
export function fromScaledUnits(units: bigint, scale: number): DecimalString {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString();
  return fromDigits(negative, digits, digits.length - scale);
}

export function rescaleUnits(units: bigint, fromScale: number, toScale: number): bigint {
  if (toScale < fromScale) throw new RangeError('rescaleUnits only widens the scale; use divideDecimals to round');
  return toScale === fromScale ? units : units * 10n ** BigInt(toScale - fromScale);
}
