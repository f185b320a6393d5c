import { BookUpdateError, type BookSide, type WireLevel } from '../../book';
import { isZeroDecimal, toDecimal } from '../../decimal';
import type { PriceLevel } from '../../model/events';
import type { BookEntry } from './bitfinex-protocol';

/**
 * A Bitfinex book entry as a level of one side. "±AMOUNT: positive values mean bid, negative values
 * mean ask"; "COUNT=0 means that you have to remove the price level" with AMOUNT 1 (bids) or -1
 * (asks) naming the side. `wire` keeps the venue's text (the ask's "-" taken off, since the book
 * holds sizes) for the checksum; `level` is canonical, for events.
 */
export interface SidedLevel {
  readonly side: BookSide;
  readonly wire: WireLevel;
  readonly level: PriceLevel;
}

const REMOVED = '0';

/**
 * Throws BookUpdateError for a zero amount on a live level or a removal inside a snapshot, and
 * DecimalFormatError for number text the decimal module does not accept (e.g. exponents beyond
 * ±40); the session accounts the frame as rejected and resyncs the book.
 */
export function sidedLevel(entry: BookEntry, index: number, inSnapshot: boolean): SidedLevel {
  const negative = entry.amount.charCodeAt(0) === 45; // "-"
  const side: BookSide = negative ? 'ask' : 'bid';
  const size = negative ? entry.amount.slice(1) : entry.amount;
  const price = toDecimal(entry.price);
  if (entry.count === 0) {
    if (inSnapshot) throw new BookUpdateError(side, index, [entry.price, size], 'snapshot entry with count 0');
    return { side, wire: [entry.price, REMOVED], level: [price, toDecimal(REMOVED)] };
  }
  const canonicalSize = toDecimal(size);
  if (isZeroDecimal(canonicalSize)) {
    throw new BookUpdateError(side, index, [entry.price, size], 'zero amount with a non-zero count');
  }
  return { side, wire: [entry.price, size], level: [price, canonicalSize] };
}
