import Decimal from 'decimal.js';
import type { BookSide, WireLevel } from '../book-level';

/** decimal.js with room for every test value, independent of the global configuration. */
const D = Decimal.clone({ precision: 200 });

export interface ReferenceLevel {
  readonly price: string;
  readonly size: string;
  readonly wirePrice: string;
  readonly wireSize: string;
}

/**
 * The simplest possible L2 book, for property tests: a Map per side keyed by the decimal.js
 * rendering of the price, sorted only when read. Shares no code with OrderBook (no toDecimal,
 * no compareDecimals, no ExactSum), so agreement means something.
 */
export class ReferenceBook {
  private readonly sides: Record<BookSide, Map<string, ReferenceLevel>> = { bid: new Map(), ask: new Map() };

  snapshot(bids: readonly WireLevel[], asks: readonly WireLevel[]): void {
    this.sides.bid.clear();
    this.sides.ask.clear();
    this.delta(bids, asks);
  }

  delta(bids: readonly WireLevel[], asks: readonly WireLevel[]): void {
    for (const [wirePrice, wireSize] of bids) this.set('bid', wirePrice, wireSize);
    for (const [wirePrice, wireSize] of asks) this.set('ask', wirePrice, wireSize);
  }

  set(side: BookSide, wirePrice: string, wireSize: string): void {
    const price = new D(wirePrice).toFixed();
    const size = new D(wireSize);
    if (size.isZero()) this.sides[side].delete(price);
    else this.sides[side].set(price, { price, size: size.toFixed(), wirePrice, wireSize });
  }

  /** Best first: bids high to low, asks low to high. */
  levels(side: BookSide): ReferenceLevel[] {
    const direction = side === 'bid' ? -1 : 1;
    return [...this.sides[side].values()].sort((a, b) => direction * new D(a.price).comparedTo(b.price));
  }

  best(): [bid: ReferenceLevel | undefined, ask: ReferenceLevel | undefined] {
    return [this.levels('bid')[0], this.levels('ask')[0]];
  }

  /** Cumulative sizes best first, summed with decimal.js. */
  cumulativeSizes(side: BookSide): string[] {
    let total = new D(0);
    return this.levels(side).map((level) => (total = total.plus(level.size)).toFixed());
  }

  spread(): string | undefined {
    const [bid, ask] = this.best();
    return bid === undefined || ask === undefined ? undefined : new D(ask.price).minus(bid.price).toFixed();
  }

  mid(): string | undefined {
    const [bid, ask] = this.best();
    return bid === undefined || ask === undefined ? undefined : new D(ask.price).plus(bid.price).div(2).toFixed();
  }

  isCrossed(): boolean {
    const [bid, ask] = this.best();
    return bid !== undefined && ask !== undefined && new D(bid.price).gte(ask.price);
  }

  trim(max: number): void {
    for (const side of ['bid', 'ask'] as const) {
      for (const level of this.levels(side).slice(max)) this.sides[side].delete(level.price);
    }
  }
}
