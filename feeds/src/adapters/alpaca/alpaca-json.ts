/*
 * Alpaca sends prices and sizes as bare JSON numbers ("p":126.55, "bs":1). JSON.parse would turn
 * them into floats (126.50 → 126.5 is harmless, but 0.1 + exponent forms and long fractions are not
 * exact, and a 17th significant digit is lost), and the trade ids in corrections reach 5.3e13, close
 * to 2^53. So every frame is read with each bare number turned into a *marked* string holding its
 * exact wire text, and only then parsed by the native JSON.parse.
 *
 * The mark (a leading U+0001, written as the JSON escape \u0001) tells a number that was bare on the
 * wire from a string the venue sent: "p":"126.55" is a wrong-type price and must be rejected, not
 * read as a price. A venue string cannot collide with it unless it starts with an escaped U+0001.
 *
 * Why not lossless-json (npm): this is one charCodeAt pass plus the native parser, no dependency,
 * and it leaves plain objects for the hand-written shape guards. The number grammar is checked
 * here (JSON.parse no longer sees the numbers), so "01", "1." or "-" still make the frame invalid.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const LOWER_E = 0x65;
const UPPER_E = 0x45;
const MARK = 1;
/** The mark as JSON text: JSON strings cannot hold a raw control character. */
const MARK_ESCAPE = '\\u0001';

/** Exact wire text of a number, as read by `readLosslessJson`. */
export type NumberText = string & { readonly __numberText: unique symbol };

/** A value that was a bare JSON number on the wire, still marked. */
export type MarkedNumber = string & { readonly __markedNumber: unique symbol };

/**
 * Parses `text` like JSON.parse, except that every number becomes a marked string (see
 * `isMarkedNumber` / `numberText`). Throws SyntaxError for invalid JSON, including bad numbers.
 */
export function readLosslessJson(text: string): unknown {
  return JSON.parse(markNumbers(text));
}

export function isMarkedNumber(value: unknown): value is MarkedNumber {
  return typeof value === 'string' && value.charCodeAt(0) === MARK;
}

/**
 * A string the venue sent as a string. Every string-typed field must be checked with this, not with
 * typeof: a bare number where a string belongs ("x":68) arrives as a marked string.
 */
export function isText(value: unknown): value is string {
  return typeof value === 'string' && value.charCodeAt(0) !== MARK;
}

/** The wire text of a marked number. */
export function numberText(value: MarkedNumber): NumberText {
  return value.slice(1) as NumberText;
}

/** True for a marked number that is a non-negative integer (ids, sizes, error codes). */
export function isMarkedInteger(value: unknown): value is MarkedNumber {
  if (!isMarkedNumber(value)) return false;
  const length = value.length;
  if (length < 2 || length > 21) return false;
  for (let i = 1; i < length; i++) {
    const c = value.charCodeAt(i);
    if (c < DIGIT_0 || c > DIGIT_9) return false;
  }
  // JSON forbids leading zeros, which markNumbers enforced: no further check needed.
  return true;
}

/**
 * `text` with each number outside string literals rewritten as a marked string:
 * {"p":126.55} → {"p":"\u0001126.55"}. Throws SyntaxError for a number that breaks the JSON grammar.
 */
export function markNumbers(text: string): string {
  const length = text.length;
  let out = '';
  let copied = 0;
  let i = 0;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = skipString(text, i + 1);
    } else if (c === MINUS || (c >= DIGIT_0 && c <= DIGIT_9)) {
      const end = numberEnd(text, i);
      out += text.slice(copied, i) + '"' + MARK_ESCAPE + text.slice(i, end) + '"';
      copied = end;
      i = end;
    } else {
      i++;
    }
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** Index just past the closing quote of the string whose body starts at `i` (or the end of text). */
function skipString(text: string, i: number): number {
  const length = text.length;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) return i + 1;
    // An escape covers the next character, so \" does not end the string.
    i += c === BACKSLASH ? 2 : 1;
  }
  // Unterminated: JSON.parse reports it.
  return length;
}

/** End of the JSON number starting at `start`: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)? */
function numberEnd(text: string, start: number): number {
  let i = start;
  if (text.charCodeAt(i) === MINUS) i++;
  const first = text.charCodeAt(i);
  if (first === DIGIT_0) i++;
  else if (first > DIGIT_0 && first <= DIGIT_9) i = digitsEnd(text, i + 1);
  else throw invalidNumber(text, start);
  if (text.charCodeAt(i) === DOT) {
    const end = digitsEnd(text, i + 1);
    if (end === i + 1) throw invalidNumber(text, start);
    i = end;
  }
  const e = text.charCodeAt(i);
  if (e === LOWER_E || e === UPPER_E) {
    i++;
    const sign = text.charCodeAt(i);
    if (sign === PLUS || sign === MINUS) i++;
    const end = digitsEnd(text, i);
    if (end === i) throw invalidNumber(text, start);
    i = end;
  }
  return i;
}

function digitsEnd(text: string, i: number): number {
  const length = text.length;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (c < DIGIT_0 || c > DIGIT_9) break;
    i++;
  }
  return i;
}

function invalidNumber(text: string, start: number): SyntaxError {
  return new SyntaxError(`invalid JSON number at position ${start}: ${JSON.stringify(text.slice(start, start + 24))}`);
}
