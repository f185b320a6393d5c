/** Small JSON helpers for client messages: parse without throwing, narrow `unknown` without casts. */

export type JsonObject = Readonly<Record<string, unknown>>;

export type ParsedJson =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly column: number };

/** Parses `text`; on a syntax error reports the 1-based column V8 names, or 1 when it names none. */
export function parseJson(text: string): ParsedJson {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const position = error instanceof SyntaxError ? /position (\d+)/.exec(error.message) : null;
    return { ok: false, column: position?.[1] === undefined ? 1 : Number(position[1]) + 1 };
  }
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `Array.isArray` narrowing to `unknown[]` rather than `any[]`. */
export function isArray(value: unknown): value is readonly unknown[] {
  return Array.isArray(value);
}

export function isStringArray(value: unknown): value is readonly string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** A non-negative safe integer, as venues use for request ids. */
export function isUnsignedInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** `JSON.stringify` of a string, for building frames by concatenation in the venue's key order. */
export function quote(text: string): string {
  return JSON.stringify(text);
}
