/*
 * Kraken WebSocket v2 sends prices and quantities as bare JSON numbers ("qty":0.00100000), and its
 * book checksum hashes them as written: JSON.parse would turn 0.00100000 into 0.001 and 45281.0 into
 * 45281, and every checksum over such a level would fail. So v2 frames are read with every bare
 * number turned into a string holding its exact wire text before JSON.parse sees it. Integers come
 * out as text too, which also keeps the 64-bit status `connection_id` exact.
 *
 * Why not lossless-json (npm): this is one pass of charCodeAt over the frame plus the native
 * JSON.parse, no dependency, and it leaves an ordinary object behind for the shape guards.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const DIGIT_0 = 0x30;
const DIGIT_1 = 0x31;
const DIGIT_9 = 0x39;
const LOWER_E = 0x65;
const UPPER_E = 0x45;

/** JSON.parse with every number read as its exact wire text (a string). Throws SyntaxError like JSON.parse. */
export function parseNumbersAsText(text: string): unknown {
  return JSON.parse(quoteBareNumbers(text));
}

/**
 * `text` with each JSON number outside string literals wrapped in quotes, e.g. {"qty":0.10} →
 * {"qty":"0.10"}. Numbers must follow the JSON grammar (no "01", "1.", ".5", "+1"): a bad one throws
 * SyntaxError, so the quoting never makes invalid JSON acceptable. Text without numbers is returned
 * as it is.
 */
export function quoteBareNumbers(text: string): string {
  const length = text.length;
  let out = '';
  let copied = 0;
  let i = 0;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = afterString(text, i);
    } else if (c === MINUS || (c >= DIGIT_0 && c <= DIGIT_9)) {
      const end = afterNumber(text, i);
      out += text.slice(copied, i) + '"' + text.slice(i, end) + '"';
      copied = end;
      i = end;
    } else {
      i++;
    }
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** Index after the string literal opening at `start`; the length of `text` when it is unterminated. */
function afterString(text: string, start: number): number {
  let from = start + 1;
  for (;;) {
    const close = text.indexOf('"', from);
    if (close === -1) return text.length;
    // The quote is escaped when an odd number of backslashes precede it.
    let backslashes = 0;
    while (text.charCodeAt(close - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return close + 1;
    from = close + 1;
  }
}

/** Index after the JSON number starting at `start`: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)? */
function afterNumber(text: string, start: number): number {
  let i = start;
  if (text.charCodeAt(i) === MINUS) i++;
  const first = text.charCodeAt(i);
  if (first === DIGIT_0) i++;
  else if (first >= DIGIT_1 && first <= DIGIT_9) i = afterDigits(text, i);
  else throw new SyntaxError(`bad JSON number at ${start}`);
  if (text.charCodeAt(i) === DOT) {
    const fraction = afterDigits(text, i + 1);
    if (fraction === i + 1) throw new SyntaxError(`bad JSON number at ${start}`);
    i = fraction;
  }
  const e = text.charCodeAt(i);
  if (e === LOWER_E || e === UPPER_E) {
    i++;
    const sign = text.charCodeAt(i);
    if (sign === PLUS || sign === MINUS) i++;
    const exponent = afterDigits(text, i);
    if (exponent === i) throw new SyntaxError(`bad JSON number at ${start}`);
    i = exponent;
  }
  return i;
}

function afterDigits(text: string, start: number): number {
  let i = start;
  // Written as "while a digit" so the end of the text (charCodeAt gives NaN) stops it too.
  for (;;) {
    const c = text.charCodeAt(i);
    if (!(c >= DIGIT_0 && c <= DIGIT_9)) return i;
    i++;
  }
}
