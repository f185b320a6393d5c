import { type DecimalString, type PriceLevel, decimalPlaces, subtractDecimals } from '@tickwire/feeds';
import { accumulateDepth } from '../../core/depth-accumulation';
import { padDecimal } from '../../core/decimal-format';
import { groupLevels } from '../../core/price-grouping';

/** One side of the ladder as drawn, best first; arrays are reused from update to update. */
export class LadderSide {
  readonly levels: PriceLevel[] = [];
  /** Prices padded to one number of places, so the column aligns. */
  readonly priceText: string[] = [];
  readonly totals: DecimalString[] = [];
  /** The cumulative size as a float: bar widths only (pixel boundary). */
  readonly totalValue: number[] = [];
  /** performance.now() of the last change of each row's size (0: unchanged since it appeared in a snapshot). */
  readonly changedAt: number[] = [];
  count = 0;
  private previous = new Map<DecimalString, { size: DecimalString; changedAt: number }>();
  private next = new Map<DecimalString, { size: DecimalString; changedAt: number }>();

  /** Rebuilds the rows from grouped levels; `highlight` false for a fresh snapshot (nothing "changed"). */
  fill(levels: readonly PriceLevel[], limit: number, now: number, highlight: boolean): void {
    const count = Math.min(limit, levels.length);
    accumulateDepth(levels.length > count ? levels.slice(0, count) : levels, this.totals);
    this.next.clear();
    for (let index = 0; index < count; index++) {
      const level = levels[index] as PriceLevel;
      const before = this.previous.get(level[0]);
      const changedAt =
        before === undefined ? (highlight ? now : 0) : before.size === level[1] ? before.changedAt : now;
      this.levels[index] = level;
      this.changedAt[index] = changedAt;
      this.totalValue[index] = Number(this.totals[index]);
      this.next.set(level[0], { size: level[1], changedAt });
    }
    this.levels.length = count;
    this.changedAt.length = count;
    this.totalValue.length = count;
    this.count = count;
    const swap = this.previous;
    this.previous = this.next;
    this.next = swap;
  }

  padPrices(places: number): void {
    for (let index = 0; index < this.count; index++) {
      this.priceText[index] = padDecimal((this.levels[index] as PriceLevel)[0], places);
    }
    this.priceText.length = this.count;
  }

  reset(): void {
    this.previous.clear();
    this.count = 0;
    this.levels.length = 0;
  }
}

/**
 * What the ladder draws for one book view and grouping step: grouped levels per side, exact
 * cumulative sizes, the spread, and when each level last changed.
 */
export class LadderModel {
  readonly bids = new LadderSide();
  readonly asks = new LadderSide();
  spread: DecimalString | undefined;
  spreadText = '';
  /** The largest cumulative size on screen (bar scale). */
  maxTotal = 0;

  update(
    bids: readonly PriceLevel[],
    asks: readonly PriceLevel[],
    step: DecimalString,
    rowsPerSide: number,
    now: number,
    highlight: boolean,
  ): void {
    this.bids.fill(groupLevels(bids, step, 'bid'), rowsPerSide, now, highlight);
    this.asks.fill(groupLevels(asks, step, 'ask'), rowsPerSide, now, highlight);
    // As many places as the prices on screen have (the venue's tick may be far finer than its prices).
    const places = Math.max(sidePlaces(this.bids), sidePlaces(this.asks));
    this.bids.padPrices(places);
    this.asks.padPrices(places);
    // The book's real spread, whatever the grouping (buckets would widen it to a step).
    const bestBid = bids[0];
    const bestAsk = asks[0];
    this.spread = bestBid !== undefined && bestAsk !== undefined ? subtractDecimals(bestAsk[0], bestBid[0]) : undefined;
    this.spreadText =
      this.spread === undefined || bestBid === undefined || bestAsk === undefined
        ? ''
        : padDecimal(this.spread, Math.max(decimalPlaces(bestBid[0]), decimalPlaces(bestAsk[0])));
    this.maxTotal = Math.max(
      this.bids.totalValue[this.bids.count - 1] ?? 0,
      this.asks.totalValue[this.asks.count - 1] ?? 0,
    );
  }

  reset(): void {
    this.bids.reset();
    this.asks.reset();
    this.spread = undefined;
    this.spreadText = '';
    this.maxTotal = 0;
  }
}

function sidePlaces(side: LadderSide): number {
  let places = 0;
  for (let index = 0; index < side.count; index++) {
    places = Math.max(places, decimalPlaces((side.levels[index] as PriceLevel)[0]));
  }
  return places;
}
