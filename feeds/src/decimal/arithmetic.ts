import type { DecimalString } from './decimal-string';
import { fromScaledUnits, rescaleUnits, toScaled } from './scaled';

export function addDecimals(a: DecimalString, b: DecimalString): DecimalString {
  const x = toScaled(a);
  const y = toScaled(b);
  const scale = Math.max(x.scale, y.scale);
  return fromScaledUnits(rescaleUnits(x.units, x.scale, scale) + rescaleUnits(y.units, y.scale, scale), scale);
}

export function subtractDecimals(a: DecimalString, b: DecimalString): DecimalString {
  const x = toScaled(a);
  const y = toScaled(b);
  const scale = Math.max(x.scale, y.scale);
  return fromScaledUnits(rescaleUnits(x.units, x.scale, scale) - rescaleUnits(y.units, y.scale, scale), scale);
}

export function multiplyDecimals(a: DecimalString, b: DecimalString): DecimalString {
  const x = toScaled(a);
  const y = toScaled(b);
  return fromScaledUnits(x.units * y.units, x.scale + y.scale);
}

export function negateDecimal(a: DecimalString): DecimalString {
  if (a === '0') return a;
  return (a.startsWith('-') ? a.slice(1) : `-${a}`) as DecimalString;
}

/**
 * Divides units/10^scale values exactly, rounding the quotient to `places` decimal places half to
 * even (banker's rounding: no bias when many rounded values are summed).
 */
export function divideScaled(
  numerator: bigint,
  numeratorScale: number,
  denominator: bigint,
  denominatorScale: number,
  places: number,
): DecimalString {
  if (denominator === 0n) throw new RangeError('division by zero');
  // value = (n / 10^ns) / (d / 10^ds); scaled to `places`: n * 10^(places + ds - ns) / d.
  const shift = places + denominatorScale - numeratorScale;
  let n = numerator;
  let d = denominator;
  if (shift >= 0) n *= 10n ** BigInt(shift);
  else d *= 10n ** BigInt(-shift);
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const quotient = n / d;
  const remainder = n % d;
  const twiceRemainder = (remainder < 0n ? -remainder : remainder) * 2n;
  let rounded = quotient;
  if (twiceRemainder > d || (twiceRemainder === d && quotient % 2n !== 0n)) {
    rounded += n < 0n ? -1n : 1n;
  }
  return fromScaledUnits(rounded, places);
}

export function divideDecimals(a: DecimalString, b: DecimalString, places: number): DecimalString {
  const x = toScaled(a);
  const y = toScaled(b);
  return divideScaled(x.units, x.scale, y.units, y.scale, places);
}
