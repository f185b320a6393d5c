/*
 * A strict JSON parser that keeps every number as the text the venue sent. Bitfinex sends prices
 * and amounts as bare JSON numbers ("0.0010273", "-190.50000000000003", "5e-7"); JSON.parse would
 * round them to doubles and lose the text the book checksum is computed from. Node 20 has no
 * JSON.parse source-text access, and a reviver would run for every value anyway, so this is a
 * hand-written single-pass parser over char codes: Bitfinex channel frames are small positional
 * arrays, and this is the hot path of the adapter.
 */

/** A JSON number exactly as written in the frame, e.g. "0.068965", "-6662.31867263", "2.5e-7". */
export class JsonNumber {
  constructor(readonly text: string) {}
}

export type LosslessJson = JsonNumber | string | boolean | null | LosslessJson[] | LosslessObject;

export interface LosslessObject {
  readonly [key: string]: LosslessJson;
}

/** Text that is not JSON, or JSON nested deeper than MAX_JSON_DEPTH. */
export class LosslessJsonError extends Error {
  override readonly name = 'LosslessJsonError';
}

/** No Bitfinex frame nests deeper than 3; a bound keeps hostile input from exhausting the stack. */
export const MAX_JSON_DEPTH = 32;

const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const QUOTE = 34;
const PLUS = 43;
const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const DIGIT_0 = 48;
const DIGIT_9 = 57;
const COLON = 58;
const UPPER_E = 69;
const OPEN_BRACKET = 91;
const BACKSLASH = 92;
const CLOSE_BRACKET = 93;
const LOWER_E = 101;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

/** Parses `text` as one JSON value; numbers become JsonNumber. Throws LosslessJsonError. */
export function parseLosslessJson(text: string): LosslessJson {
  const parser = new Parser(text);
  const value = parser.value(0);
  parser.skipWhitespace();
  if (parser.pos !== text.length) parser.fail('trailing characters');
  return value;
}

class Parser {
  pos = 0;

  constructor(private readonly text: string) {}

  value(depth: number): LosslessJson {
    this.skipWhitespace();
    const c = this.text.charCodeAt(this.pos);
    if (c === OPEN_BRACKET) return this.array(depth + 1);
    if (c === QUOTE) return this.string();
    if (c === MINUS || (c >= DIGIT_0 && c <= DIGIT_9)) return this.number();
    if (c === OPEN_BRACE) return this.object(depth + 1);
    if (this.text.startsWith('true', this.pos)) return this.literal(4, true);
    if (this.text.startsWith('false', this.pos)) return this.literal(5, false);
    if (this.text.startsWith('null', this.pos)) return this.literal(4, null);
    return this.fail(this.pos >= this.text.length ? 'unexpected end' : 'unexpected character');
  }

  skipWhitespace(): void {
    const text = this.text;
    let pos = this.pos;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c !== SPACE && c !== LF && c !== CR && c !== TAB) break;
      pos++;
    }
    this.pos = pos;
  }

  fail(reason: string): never {
    throw new LosslessJsonError(`not JSON: ${reason} at ${this.pos}`);
  }

  private literal<T extends boolean | null>(length: number, value: T): T {
    this.pos += length;
    return value;
  }

  private array(depth: number): LosslessJson[] {
    if (depth > MAX_JSON_DEPTH) this.fail('nested too deep');
    this.pos++;
    const out: LosslessJson[] = [];
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === CLOSE_BRACKET) {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth));
      this.skipWhitespace();
      const c = this.text.charCodeAt(this.pos++);
      if (c === CLOSE_BRACKET) return out;
      if (c !== COMMA) this.fail('expected "," or "]"');
    }
  }

  private object(depth: number): LosslessObject {
    if (depth > MAX_JSON_DEPTH) this.fail('nested too deep');
    this.pos++;
    // No prototype: a "__proto__" key is data, not a prototype change.
    const out = Object.create(null) as Record<string, LosslessJson>;
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === CLOSE_BRACE) {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text.charCodeAt(this.pos) !== QUOTE) this.fail('expected a key');
      const key = this.string();
      this.skipWhitespace();
      if (this.text.charCodeAt(this.pos++) !== COLON) this.fail('expected ":"');
      out[key] = this.value(depth);
      this.skipWhitespace();
      const c = this.text.charCodeAt(this.pos++);
      if (c === CLOSE_BRACE) return out;
      if (c !== COMMA) this.fail('expected "," or "}"');
    }
  }

  private string(): string {
    const text = this.text;
    const start = ++this.pos;
    let pos = start;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === QUOTE) {
        this.pos = pos + 1;
        return text.slice(start, pos);
      }
      if (c === BACKSLASH) return this.escapedString(start);
      // NaN past the end; control characters are not allowed raw inside JSON strings.
      if (!(c >= SPACE)) return this.fail(pos >= text.length ? 'unterminated string' : 'control character in string');
      pos++;
    }
  }

  /** Rare slow path: finds the closing quote, then lets JSON.parse decode and check the escapes. */
  private escapedString(start: number): string {
    const text = this.text;
    let pos = start;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === QUOTE) break;
      if (!(c >= SPACE)) return this.fail(pos >= text.length ? 'unterminated string' : 'control character in string');
      pos += c === BACKSLASH ? 2 : 1;
    }
    this.pos = pos + 1;
    try {
      return JSON.parse(text.slice(start - 1, pos + 1)) as string;
    } catch {
      return this.fail('invalid escape in string');
    }
  }

  /** -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? exactly as RFC 8259 has it. */
  private number(): JsonNumber {
    const text = this.text;
    const start = this.pos;
    let pos = start;
    if (text.charCodeAt(pos) === MINUS) pos++;
    const first = text.charCodeAt(pos);
    if (first === DIGIT_0) pos++;
    else if (first > DIGIT_0 && first <= DIGIT_9) pos = this.digits(pos);
    else return this.fail('invalid number');
    if (text.charCodeAt(pos) === DOT) {
      const after = this.digits(pos + 1);
      if (after === pos + 1) return this.fail('invalid number');
      pos = after;
    }
    const e = text.charCodeAt(pos);
    if (e === LOWER_E || e === UPPER_E) {
      pos++;
      const sign = text.charCodeAt(pos);
      if (sign === PLUS || sign === MINUS) pos++;
      const after = this.digits(pos);
      if (after === pos) return this.fail('invalid number');
      pos = after;
    }
    this.pos = pos;
    return new JsonNumber(text.slice(start, pos));
  }

  private digits(from: number): number {
    let pos = from;
    for (;;) {
      const c = this.text.charCodeAt(pos);
      // Written so that NaN (past the end) stops the loop too.
      if (!(c >= DIGIT_0 && c <= DIGIT_9)) return pos;
      pos++;
    }
  }
}

/**
 * The value as a safe integer when it is a JSON number written as an integer ("232954", "-1"),
 * else undefined: ids, counts, sequence numbers and times must not be fractions or exponents.
 */
export function jsonInteger(value: LosslessJson | undefined): number | undefined {
  if (!(value instanceof JsonNumber)) return undefined;
  const text = value.text;
  // 16 characters hold every safe integer and its sign; anything longer is not safe.
  if (text.length > 17) return undefined;
  for (let i = text.charCodeAt(0) === MINUS ? 1 : 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < DIGIT_0 || c > DIGIT_9) return undefined;
  }
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** The number's text when the value is a JSON number, else undefined. */
export function jsonNumberText(value: LosslessJson | undefined): string | undefined {
  return value instanceof JsonNumber ? value.text : undefined;
}
