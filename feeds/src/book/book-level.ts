import type { DecimalString } from '../decimal';
import type { PriceLevel } from '../model';

export type BookSide = 'bid' | 'ask';

export const BOOK_SIDES: readonly BookSide[] = ['bid', 'ask'];

/**
 * [price, size] as the venue sent them: any valid decimal text ("5541.20000", "0.01000000").
 * A canonical `PriceLevel` is assignable to it.
 */
export type WireLevel = readonly [price: string, size: string];

/**
 * One price level. `price` and `size` are canonical (the tree key, comparisons, arithmetic);
 * `wirePrice` and `wireSize` are the venue's own text, because venue checksums (Kraken, OKX) hash
 * the text as sent and "5541.20000" and "5541.2" hash differently. When the venue already sends
 * canonical text, `toDecimal` returns the very same string, so both fields share it.
 *
 * Levels are immutable: an update replaces the object, so a level handed out stays consistent.
 */
export interface BookLevel {
  readonly price: DecimalString;
  readonly size: DecimalString;
  readonly wirePrice: string;
  readonly wireSize: string;
}

/** A level with the exact running total of sizes from the best level down to it. */
export interface DepthLevel {
  readonly price: DecimalString;
  readonly size: DecimalString;
  readonly cumulativeSize: DecimalString;
}

/** Both sides in canonical form, best first: bids high to low, asks low to high. */
export interface BookLevels {
  readonly bids: PriceLevel[];
  readonly asks: PriceLevel[];
}
