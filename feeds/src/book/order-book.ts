import { compareDecimals, type DecimalString, subtractDecimals, toDecimal } from '../decimal';
import type { BookDeltaEvent, BookSnapshotEvent, PriceLevel } from '../model';
import type { BookLevel, BookLevels, BookSide, DepthLevel, WireLevel } from './book-level';
import { BookUpdateError } from './book-update-error';
import { midpoint } from './midpoint';
import { parseLevel, parseLevels } from './parse-level';
import { type LadderWrite, PriceLadder } from './price-ladder';

export interface BookStats {
  readonly snapshots: number;
  readonly deltas: number;
  /** Zero-size levels for prices the book did not hold (harmless, but a sign of drift if frequent). */
  readonly missingRemovals: number;
  /** Updates refused with a BookUpdateError (the book was left as it was). */
  readonly rejectedUpdates: number;
  /** Levels removed by trim(). */
  readonly trimmedLevels: number;
}

/**
 * L2 price-level book of one instrument. Every update is validated as a whole before any level
 * is written, so a BookUpdateError leaves the book exactly as it was. See README.md.
 */
export class OrderBook {
  private readonly bids = new PriceLadder('bid');
  private readonly asks = new PriceLadder('ask');
  private readonly counters = { snapshots: 0, deltas: 0, missingRemovals: 0, rejectedUpdates: 0, trimmedLevels: 0 };

  get stats(): BookStats {
    return { ...this.counters };
  }

  get isEmpty(): boolean {
    return this.bids.count === 0 && this.asks.count === 0;
  }

  /** Replaces the whole book. Levels apply in order: a later level for the same price wins. */
  applySnapshot(bids: readonly WireLevel[], asks: readonly WireLevel[]): void {
    const [parsedBids, parsedAsks] = this.validate(() => [parseLevels('bid', bids), parseLevels('ask', asks)]);
    this.bids.clear();
    this.asks.clear();
    this.writeAll(this.bids, parsedBids);
    this.writeAll(this.asks, parsedAsks);
    this.counters.snapshots++;
  }

  /** Sets levels in wire order (a later level for the same price wins); a zero size removes. */
  applyDelta(bids: readonly WireLevel[], asks: readonly WireLevel[]): void {
    const [parsedBids, parsedAsks] = this.validate(() => [parseLevels('bid', bids), parseLevels('ask', asks)]);
    this.writeAll(this.bids, parsedBids);
    this.writeAll(this.asks, parsedAsks);
    this.counters.deltas++;
  }

  applyEvent(event: BookSnapshotEvent | BookDeltaEvent): void {
    if (event.type === 'book_snapshot') this.applySnapshot(event.bids, event.asks);
    else this.applyDelta(event.bids, event.asks);
  }

  /** Sets one level; a zero size ("0", "0.00000000") removes it. */
  setLevel(side: BookSide, price: string, size: string): void {
    const level = this.validate(() => parseLevel(side, 0, [price, size]));
    this.count(this.ladder(side).write(level));
  }

  /** The level at `price` (any decimal text; DecimalFormatError if it is not one), or undefined. */
  level(side: BookSide, price: string): BookLevel | undefined {
    return this.ladder(side).get(toDecimal(price));
  }

  bestBid(): BookLevel | undefined {
    return this.bids.best();
  }

  bestAsk(): BookLevel | undefined {
    return this.asks.best();
  }

  /** Up to `n` levels best first (bids high to low, asks low to high); all when `n` is omitted. */
  top(side: BookSide, n?: number): BookLevel[] {
    return this.ladder(side).top(n === undefined ? n : checkCount(n, 'n'));
  }

  /** Up to `n` levels best first with exact cumulative sizes. */
  depth(side: BookSide, n?: number): DepthLevel[] {
    return this.ladder(side).depth(n === undefined ? n : checkCount(n, 'n'));
  }

  /** bestAsk − bestBid (negative when crossed), or undefined when a side is empty. */
  spread(): DecimalString | undefined {
    const bid = this.bids.best();
    const ask = this.asks.best();
    return bid === undefined || ask === undefined ? undefined : subtractDecimals(ask.price, bid.price);
  }

  /** Exact (bestBid + bestAsk) / 2, or undefined when a side is empty. */
  mid(): DecimalString | undefined {
    const bid = this.bids.best();
    const ask = this.asks.best();
    return bid === undefined || ask === undefined ? undefined : midpoint(bid.price, ask.price);
  }

  /** True when bestBid >= bestAsk (a locked book counts as crossed). */
  isCrossed(): boolean {
    const bid = this.bids.best();
    const ask = this.asks.best();
    return bid !== undefined && ask !== undefined && compareDecimals(bid.price, ask.price) >= 0;
  }

  levelCount(side: BookSide): number {
    return this.ladder(side).count;
  }

  /**
   * Keeps the best `maxLevelsPerSide` levels of each side. Venues with depth-limited feeds
   * (Kraken) do not send removals for levels pushed out of the subscribed depth, so the book must
   * drop them itself after each update. Returns the number of levels removed.
   */
  trim(maxLevelsPerSide: number): number {
    const max = checkCount(maxLevelsPerSide, 'maxLevelsPerSide');
    const removed = this.bids.trim(max) + this.asks.trim(max);
    this.counters.trimmedLevels += removed;
    return removed;
  }

  /** Canonical levels best first, up to `depth` per side (all when omitted). */
  toSnapshot(depth?: number): BookLevels {
    return { bids: this.canonical('bid', depth), asks: this.canonical('ask', depth) };
  }

  clear(): void {
    this.bids.clear();
    this.asks.clear();
  }

  private canonical(side: BookSide, depth: number | undefined): PriceLevel[] {
    return this.top(side, depth).map((level): PriceLevel => [level.price, level.size]);
  }

  private ladder(side: BookSide): PriceLadder {
    return side === 'bid' ? this.bids : this.asks;
  }

  private writeAll(ladder: PriceLadder, levels: readonly BookLevel[]): void {
    for (const level of levels) this.count(ladder.write(level));
  }

  private count(write: LadderWrite): void {
    if (write === 'missing') this.counters.missingRemovals++;
  }

  private validate<T>(parse: () => T): T {
    try {
      return parse();
    } catch (error) {
      if (error instanceof BookUpdateError) this.counters.rejectedUpdates++;
      throw error;
    }
  }
}

/** A level count must be a non-negative safe integer. */
function checkCount(n: number, name: string): number {
  if (!(Number.isSafeInteger(n) && n >= 0)) {
    throw new RangeError(`${name} must be a non-negative integer, got ${n}`);
  }
  return n;
}
