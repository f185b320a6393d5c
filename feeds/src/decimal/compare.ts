import type { DecimalString } from './decimal-string';

const CHAR_MINUS = 45;

function integerDigitCount(value: string, signLength: number): number {
  const dot = value.indexOf('.', signLength);
  return (dot === -1 ? value.length : dot) - signLength;
}

/**
 * Exact three-way comparison of canonical decimals without parsing them: with no leading zeros,
 * a longer integer part is the larger magnitude, and equal integer lengths compare as text
 * ('.' sorts below every digit, and the longer of two texts sharing a prefix has a non-zero
 * digit more). This is the book's price comparator, so it allocates nothing.
 */
export function compareDecimals(a: DecimalString, b: DecimalString): -1 | 0 | 1 {
  if (a === b) return 0;
  const aNegative = a.charCodeAt(0) === CHAR_MINUS;
  const bNegative = b.charCodeAt(0) === CHAR_MINUS;
  if (aNegative !== bNegative) return aNegative ? -1 : 1;
  const signLength = aNegative ? 1 : 0;
  const aIntegerDigits = integerDigitCount(a, signLength);
  const bIntegerDigits = integerDigitCount(b, signLength);
  let magnitudeOrder: -1 | 1;
  if (aIntegerDigits !== bIntegerDigits) magnitudeOrder = aIntegerDigits < bIntegerDigits ? -1 : 1;
  // Both share the sign character, so text order here is the order of the magnitudes.
  else magnitudeOrder = a < b ? -1 : 1;
  if (!aNegative) return magnitudeOrder;
  return magnitudeOrder === 1 ? -1 : 1;
}

export function isZeroDecimal(value: DecimalString): boolean {
  return value === '0';
}

export function isNegativeDecimal(value: DecimalString): boolean {
  return value.charCodeAt(0) === CHAR_MINUS;
}

export function maxDecimal(a: DecimalString, b: DecimalString): DecimalString {
  return compareDecimals(a, b) >= 0 ? a : b;
}

export function minDecimal(a: DecimalString, b: DecimalString): DecimalString {
  return compareDecimals(a, b) <= 0 ? a : b;
}
