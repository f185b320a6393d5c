import { DecimalFormatError, isNegativeDecimal, isZeroDecimal, toDecimal } from '../decimal';
import type { BookLevel, BookSide, WireLevel } from './book-level';
import { BookUpdateError } from './book-update-error';

/**
 * Validates one wire level and returns it with canonical price and size next to the wire text.
 * Throws BookUpdateError for invalid decimal text, a negative size, or a price that is not
 * positive: no venue Tickwire reads quotes a zero or negative price, so one means a parser bug,
 * and failing loudly beats a silently wrong best bid.
 */
export function parseLevel(side: BookSide, index: number, level: WireLevel): BookLevel {
  const [wirePrice, wireSize] = level;
  let price;
  let size;
  try {
    price = toDecimal(wirePrice);
    size = toDecimal(wireSize);
  } catch (error) {
    if (error instanceof DecimalFormatError) {
      throw new BookUpdateError(side, index, level, error.message, { cause: error });
    }
    throw error;
  }
  if (isNegativeDecimal(price) || isZeroDecimal(price)) {
    throw new BookUpdateError(side, index, level, 'price must be positive');
  }
  if (isNegativeDecimal(size)) throw new BookUpdateError(side, index, level, 'size must not be negative');
  return { price, size, wirePrice, wireSize };
}

/** parseLevel over a whole list, so a bad level anywhere throws before any level is applied. */
export function parseLevels(side: BookSide, levels: readonly WireLevel[]): BookLevel[] {
  return levels.map((level, index) => parseLevel(side, index, level));
}
