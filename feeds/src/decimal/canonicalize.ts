import {
  DecimalFormatError,
  type DecimalString,
  MAX_DECIMAL_EXPONENT,
  MAX_DECIMAL_TEXT_LENGTH,
  ZERO,
} from './decimal-string';

const CHAR_0 = 48;
const CHAR_9 = 57;
const CHAR_DOT = 46;
const CHAR_MINUS = 45;

/**
 * True when `text` is already canonical. Written as a char loop because it runs for every price
 * and size of every frame: most venues already send canonical or near-canonical text.
 */
export function isCanonicalDecimal(text: string): boolean {
  const length = text.length;
  if (length === 0 || length > MAX_DECIMAL_TEXT_LENGTH) return false;
  let i = text.charCodeAt(0) === CHAR_MINUS ? 1 : 0;
  const intStart = i;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (c < CHAR_0 || c > CHAR_9) break;
    i++;
  }
  const intLength = i - intStart;
  if (intLength === 0) return false;
  if (intLength > 1 && text.charCodeAt(intStart) === CHAR_0) return false;
  if (i === length) {
    // "-0" is not canonical: zero has no sign.
    return !(intStart === 1 && intLength === 1 && text.charCodeAt(1) === CHAR_0);
  }
  if (text.charCodeAt(i) !== CHAR_DOT || i === length - 1) return false;
  let allZero = intLength === 1 && text.charCodeAt(intStart) === CHAR_0;
  for (let j = i + 1; j < length; j++) {
    const c = text.charCodeAt(j);
    if (c < CHAR_0 || c > CHAR_9) return false;
    if (c !== CHAR_0) allZero = false;
  }
  if (text.charCodeAt(length - 1) === CHAR_0) return false;
  return !(allZero && intStart === 1);
}

const DECIMAL_PATTERN = /^([+-]?)(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$|^([+-]?)\.(\d+)(?:[eE]([+-]?\d+))?$/;

/**
 * Validates `text` as a decimal number and returns its canonical form. Accepts what venues send:
 * leading "+", leading and trailing zeros ("0.01000000"), a trailing "." ("5."), a leading "."
 * (".5") and scientific notation ("1.5e-8"). Throws DecimalFormatError for anything else,
 * including text longer than MAX_DECIMAL_TEXT_LENGTH or exponents beyond MAX_DECIMAL_EXPONENT.
 */
export function toDecimal(text: string): DecimalString {
  if (typeof text !== 'string') throw new DecimalFormatError(String(text), 'not a string');
  if (isCanonicalDecimal(text)) return text as DecimalString;
  if (text.length > MAX_DECIMAL_TEXT_LENGTH) {
    throw new DecimalFormatError(text, `longer than ${MAX_DECIMAL_TEXT_LENGTH} characters`);
  }
  const match = DECIMAL_PATTERN.exec(text);
  if (match === null) throw new DecimalFormatError(text, 'not a decimal number');
  const negative = (match[1] ?? match[5]) === '-';
  const intDigits = match[2] ?? '';
  const fracDigits = (match[2] === undefined ? match[6] : match[3]) ?? '';
  const exponentText = match[2] === undefined ? match[7] : match[4];
  let exponent = 0;
  if (exponentText !== undefined) {
    exponent = Number(exponentText);
    if (Math.abs(exponent) > MAX_DECIMAL_EXPONENT) {
      throw new DecimalFormatError(text, `exponent beyond ±${MAX_DECIMAL_EXPONENT}`);
    }
  }
  return fromDigits(negative, intDigits + fracDigits, intDigits.length + exponent);
}

/**
 * Canonical text of sign × 0.digits × 10^pointPosition, i.e. `digits` with the decimal point placed
 * after `pointPosition` digits (which may be negative or beyond the digits).
 */
export function fromDigits(negative: boolean, digits: string, pointPosition: number): DecimalString {
  let first = 0;
  while (first < digits.length && digits.charCodeAt(first) === CHAR_0) first++;
  if (first === digits.length) return ZERO;
  let last = digits.length;
  while (digits.charCodeAt(last - 1) === CHAR_0) last--;
  const significant = digits.slice(first, last);
  const point = pointPosition - first;
  let body: string;
  if (point <= 0) body = `0.${'0'.repeat(-point)}${significant}`;
  else if (point >= significant.length) body = significant + '0'.repeat(point - significant.length);
  else body = `${significant.slice(0, point)}.${significant.slice(point)}`;
  return (negative ? `-${body}` : body) as DecimalString;
}

/** toDecimal that returns undefined instead of throwing, for counting rejections in parsers. */
export function tryDecimal(text: unknown): DecimalString | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    return toDecimal(text);
  } catch {
    return undefined;
  }
}
