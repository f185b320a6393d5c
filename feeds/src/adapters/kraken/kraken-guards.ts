/** Small checks shared by the v1 and v2 parsers. */

export type Dict = Record<string, unknown>;

export function isDict(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

const CHECKSUM_TEXT = /^\d{1,10}$/;
const MAX_UINT32 = 0xffff_ffff;

/**
 * The venue's book checksum from its text ("2583817756"): an unsigned 32-bit integer, or undefined
 * when the text is not one. Both versions publish it unsigned (v1 quoted, v2 a bare number).
 */
export function parseChecksum(text: string): number | undefined {
  if (!CHECKSUM_TEXT.test(text)) return undefined;
  const value = Number(text);
  return value <= MAX_UINT32 ? value : undefined;
}
