/**
 * A price or size in canonical decimal form: no exponent, no leading zeros in the integer part,
 * no trailing zeros in the fraction, no "+" sign, no "-0", no lone ".". Two equal values always
 * have the same canonical string, so it is usable as a map key and compares as text (see compare.ts).
 *
 * The brand keeps numbers and unchecked strings out of every price and size field: the only ways to
 * obtain one are `toDecimal` (validates and canonicalizes) and the exact arithmetic in this folder.
 */
export type DecimalString = string & { readonly __decimalString: unique symbol };

/** Thrown for text that is not a decimal number, or one outside the accepted limits. */
export class DecimalFormatError extends Error {
  override readonly name = 'DecimalFormatError';
  constructor(
    readonly input: string,
    reason: string,
  ) {
    super(`invalid decimal ${JSON.stringify(input.length > 64 ? `${input.slice(0, 64)}...` : input)}: ${reason}`);
  }
}

/** Longest decimal text accepted: far beyond any venue's precision, short enough to bound work. */
export const MAX_DECIMAL_TEXT_LENGTH = 80;

/** Largest exponent magnitude accepted in scientific notation (e.g. "1e-8" from some venues). */
export const MAX_DECIMAL_EXPONENT = 40;

export const ZERO = '0' as DecimalString;
