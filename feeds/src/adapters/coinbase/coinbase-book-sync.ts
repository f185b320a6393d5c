import { OrderBook } from '../../book';
import type { EpochMicros, PriceLevel } from '../../model/events';
import type { NormalizedSymbol } from '../../model/instrument';
import type { SessionSink } from '../venue-adapter';

/**
 * The level2 book of one product, on either Coinbase feed (README.md quotes the rules). A level2
 * subscription starts with a snapshot of the whole book; updates then carry absolute sizes per
 * price ("0" removes). A book is live from its snapshot on. A resync (sequence gap, crossed book)
 * discards the book, says so in a status event and asks the session to resubscribe this product's
 * level2, which makes the venue send a fresh snapshot; updates until then are not applied.
 */

export interface UpdateContext {
  /** Venue sequence the update is at, where the feed has one (Advanced Trade sequence_num). */
  readonly sequence: number | null;
  readonly venueTime: EpochMicros | null;
  readonly receiveTime: EpochMicros;
  /** What the update was, for status reasons: "l2update", "l2_data update (sequence_num 57)". */
  readonly label: string;
}

export type SnapshotOutcome = 'synced' | 'crossed';
export type DeltaOutcome = 'applied' | 'not live' | 'crossed';

export class CoinbaseBookSync {
  readonly book = new OrderBook();
  private live = false;
  /** Counters for tests and metrics. */
  readonly stats = { snapshots: 0, deltas: 0, resyncs: 0, crossed: 0, updatesWhileResyncing: 0 };

  constructor(
    private readonly symbol: NormalizedSymbol,
    private readonly sink: SessionSink,
    /** Called once per resync: the session resubscribes this product's level2. */
    private readonly onResync: (symbol: NormalizedSymbol) => void,
  ) {}

  get isLive(): boolean {
    return this.live;
  }

  /** A level2 snapshot (levels already validated and canonical): the whole book. */
  snapshot(bids: readonly PriceLevel[], asks: readonly PriceLevel[], context: UpdateContext): SnapshotOutcome {
    this.book.applySnapshot(bids, asks);
    this.stats.snapshots++;
    if (this.book.isCrossed()) return this.crossed(`${context.label} snapshot`, context.receiveTime);
    const wasLive = this.live;
    this.live = true;
    const levels = this.book.toSnapshot();
    this.sink.event({
      type: 'book_snapshot',
      venue: 'coinbase',
      symbol: this.symbol,
      receiveTime: context.receiveTime,
      bids: levels.bids,
      asks: levels.asks,
      sequence: context.sequence,
      venueTime: context.venueTime,
    });
    if (!wasLive) {
      this.sink.event({
        type: 'status',
        venue: 'coinbase',
        symbol: this.symbol,
        state: 'live',
        reason: `book synced from a level2 snapshot (${levels.bids.length} bids, ${levels.asks.length} asks)`,
        receiveTime: context.receiveTime,
      });
    }
    return 'synced';
  }

  /** A level2 update (validated, canonical, wire order). Not applied while the book awaits a snapshot. */
  delta(bids: readonly PriceLevel[], asks: readonly PriceLevel[], context: UpdateContext): DeltaOutcome {
    if (!this.live) {
      this.stats.updatesWhileResyncing++;
      return 'not live';
    }
    this.book.applyDelta(bids, asks);
    this.stats.deltas++;
    // Every update passed the feed's checks, so a crossed book means the venue's data is
    // inconsistent (or a message was lost unseen): never publish it, resync instead.
    if (this.book.isCrossed()) return this.crossed(context.label, context.receiveTime);
    this.sink.event({
      type: 'book_delta',
      venue: 'coinbase',
      symbol: this.symbol,
      receiveTime: context.receiveTime,
      bids,
      asks,
      sequence: context.sequence,
      firstSequence: null,
      venueTime: context.venueTime,
    });
    return 'applied';
  }

  /** Discards the book, reports why, and has the session ask for a fresh snapshot. */
  resync(reason: string, time: EpochMicros): void {
    this.stats.resyncs++;
    this.reset();
    this.sink.event({
      type: 'status',
      venue: 'coinbase',
      symbol: this.symbol,
      state: 'resyncing',
      reason,
      receiveTime: time,
    });
    this.onResync(this.symbol);
  }

  /** Forgets the book without a word (connection closed, unsubscribed). */
  reset(): void {
    this.book.clear();
    this.live = false;
  }

  private crossed(label: string, time: EpochMicros): 'crossed' {
    this.stats.crossed++;
    const bid = this.book.bestBid()?.price ?? '?';
    const ask = this.book.bestAsk()?.price ?? '?';
    this.resync(`crossed book after ${label}: best bid ${bid} >= best ask ${ask}`, time);
    return 'crossed';
  }
}
