import { isZeroDecimal, toDecimal } from '../decimal';
import { OrderBook, type BookSide, type WireLevel } from '../book';

/** One level as a venue sends it: price and size text, plus the venue's other fields per level. */
export interface WireEntry {
  readonly price: string;
  readonly size: string;
  /** Further fields as text, e.g. Kraken's timestamp, OKX's order counts, Bitfinex's raw triple. */
  readonly extra?: readonly string[];
}

/** A level of the book with the venue's text, ready to be written into a snapshot. */
export interface WireBookLevel {
  readonly wirePrice: string;
  readonly wireSize: string;
  readonly extra: readonly string[];
}

const NO_EXTRA: readonly string[] = [];
/** Stale extras (of levels trimmed away) are swept once they outnumber the levels by this much. */
const SWEEP_SLACK = 256;

/**
 * The exchange's own book of one stream: an exact `OrderBook` (which keeps each level's wire
 * text, so venue checksums of it are the venue's) plus the per-level fields a venue's snapshot
 * carries besides price and size. Throws `BookUpdateError` for a level the book refuses, leaving
 * the book as it was.
 */
export class WireBook {
  readonly book = new OrderBook();
  private readonly extras: Record<BookSide, Map<string, readonly string[]>> = { bid: new Map(), ask: new Map() };

  /** Replaces both sides. */
  replace(bids: readonly WireEntry[], asks: readonly WireEntry[]): void {
    this.book.applySnapshot(bids.map(toWireLevel), asks.map(toWireLevel));
    this.extras.bid.clear();
    this.extras.ask.clear();
    this.remember('bid', bids);
    this.remember('ask', asks);
  }

  /** Sets levels in wire order; a zero size removes the level. */
  apply(bids: readonly WireEntry[], asks: readonly WireEntry[]): void {
    this.book.applyDelta(bids.map(toWireLevel), asks.map(toWireLevel));
    this.remember('bid', bids);
    this.remember('ask', asks);
  }

  /** Keeps the best `depth` levels per side (venues that do not send removals past their depth). */
  trim(depth: number): void {
    if (this.book.trim(depth) > 0) {
      this.sweep('bid');
      this.sweep('ask');
    }
  }

  /** Up to `n` levels best first (all when omitted), with the venue's text. */
  top(side: BookSide, n?: number): WireBookLevel[] {
    const extras = this.extras[side];
    return this.book.top(side, n).map((level) => ({
      wirePrice: level.wirePrice,
      wireSize: level.wireSize,
      extra: extras.get(level.price) ?? NO_EXTRA,
    }));
  }

  private remember(side: BookSide, entries: readonly WireEntry[]): void {
    const extras = this.extras[side];
    for (const entry of entries) {
      const price = toDecimal(entry.price);
      if (isZeroDecimal(toDecimal(entry.size))) extras.delete(price);
      else if (entry.extra !== undefined && entry.extra.length > 0) extras.set(price, entry.extra);
      else extras.delete(price);
    }
  }

  private sweep(side: BookSide): void {
    const extras = this.extras[side];
    if (extras.size <= this.book.levelCount(side) + SWEEP_SLACK) return;
    for (const price of extras.keys()) if (this.book.level(side, price) === undefined) extras.delete(price);
  }
}

function toWireLevel(entry: WireEntry): WireLevel {
  return [entry.price, entry.size];
}
