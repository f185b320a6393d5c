import { type BookSide, OrderBook, type WireLevel } from '../../book';
import { ZERO } from '../../decimal';
import type { EpochMicros, PriceLevel } from '../../model/events';
import type { NormalizedSymbol } from '../../model/instrument';
import type { VenueId } from '../../model/venue';
import type { SessionSink } from '../venue-adapter';
import { bitfinexBookChecksum } from './bitfinex-checksum';
import { sidedLevel } from './bitfinex-levels';
import type { BookEntry } from './bitfinex-protocol';

/**
 * The book of one Bitfinex book channel (P0, one symbol). The venue's rules (README.md): a
 * snapshot follows the "subscribed" reply, then one update per message; COUNT 0 removes a level;
 * the book is kept to the subscribed length; with OB_CHECKSUM a [CHAN_ID, "cs", CHECKSUM] follows
 * changes and covers the top 25 levels per side.
 *
 * Methods return undefined when all is well, or the reason the book must be resynced; the session
 * does the resync (it owns the channel: unsubscribe, subscribe again, new snapshot).
 */
export class BitfinexBookSync {
  readonly book = new OrderBook();
  /** Counters for tests and metrics. */
  readonly stats = {
    snapshots: 0,
    updates: 0,
    checksumsVerified: 0,
    checksumMismatches: 0,
    crossed: 0,
    resyncs: 0,
    trimmedLevels: 0,
  };
  private live = false;
  private lastSequence: number | null = null;
  private lastBbo = '';

  constructor(
    private readonly venue: VenueId,
    readonly symbol: NormalizedSymbol,
    /** The subscribed length: levels beyond it per side are dropped. */
    private readonly depth: number,
    private readonly sink: SessionSink,
    /** What the wanted subscriptions ask of this channel: book events, bbo events, or both. */
    private wants: { book: boolean; bbo: boolean },
  ) {}

  /** True from a good snapshot until a resync or the end of the connection. */
  get isLive(): boolean {
    return this.live;
  }

  get emitsBook(): boolean {
    return this.wants.book;
  }

  get emitsBbo(): boolean {
    return this.wants.bbo;
  }

  /** Changes what is emitted; a consumer that starts wanting the book gets a snapshot of it now. */
  setWants(wants: { book: boolean; bbo: boolean }, time: EpochMicros): void {
    const startsBook = wants.book && !this.wants.book;
    const startsBbo = wants.bbo && !this.wants.bbo;
    this.wants = { ...wants };
    if (!this.live) return;
    if (startsBook) this.emitSnapshot(time);
    if (startsBbo) {
      this.lastBbo = '';
      this.emitBboIfChanged(time);
    }
  }

  snapshot(entries: readonly BookEntry[], sequence: number | undefined, receiveTime: EpochMicros): string | undefined {
    const bids: WireLevel[] = [];
    const asks: WireLevel[] = [];
    for (let i = 0; i < entries.length; i++) {
      const { side, wire } = sidedLevel(entries[i] as BookEntry, i, true);
      (side === 'bid' ? bids : asks).push(wire);
    }
    this.book.applySnapshot(bids, asks);
    this.stats.trimmedLevels += this.book.trim(this.depth);
    this.stats.snapshots++;
    this.lastSequence = sequence ?? null;
    if (this.book.isCrossed()) return this.crossed('snapshot', sequence);
    this.live = true;
    this.lastBbo = '';
    if (this.wants.book) this.emitSnapshot(receiveTime);
    this.sink.event({
      type: 'status',
      venue: this.venue,
      symbol: this.symbol,
      state: 'live',
      reason: `book snapshot: ${this.book.levelCount('bid')} bids, ${this.book.levelCount('ask')} asks${atSequence(sequence)}`,
      receiveTime,
    });
    this.emitBboIfChanged(receiveTime);
    return undefined;
  }

  update(entry: BookEntry, sequence: number | undefined, receiveTime: EpochMicros): string | undefined {
    if (!this.live) return `book update before the snapshot${atSequence(sequence)}`;
    const { side, wire, level } = sidedLevel(entry, 0, false);
    if (side === 'bid') this.book.applyDelta([wire], []);
    else this.book.applyDelta([], [wire]);
    const trimmed = this.trim(side);
    this.stats.updates++;
    this.lastSequence = sequence ?? null;
    // Sequence-checked and still crossed: the venue's data is inconsistent, so resync.
    if (this.book.isCrossed()) return this.crossed('update', sequence);
    if (this.wants.book) {
      const levels = trimmed.length === 0 ? [level] : [level, ...trimmed];
      this.sink.event({
        type: 'book_delta',
        venue: this.venue,
        symbol: this.symbol,
        receiveTime,
        bids: side === 'bid' ? levels : [],
        asks: side === 'ask' ? levels : [],
        sequence: sequence ?? null,
        firstSequence: null,
        venueTime: null,
      });
    }
    this.emitBboIfChanged(receiveTime);
    return undefined;
  }

  /** Compares the venue's checksum with the book's; call only while live. */
  checksum(venueChecksum: number, sequence: number | undefined): string | undefined {
    const local = bitfinexBookChecksum(this.book);
    if (local === venueChecksum) {
      this.stats.checksumsVerified++;
      return undefined;
    }
    this.stats.checksumMismatches++;
    return `checksum mismatch: venue ${venueChecksum}, local ${local}${atSequence(sequence)}`;
  }

  /** Forgets the book (resync, unsubscribe, connection closed); the next snapshot starts it again. */
  reset(): void {
    this.book.clear();
    this.live = false;
    this.lastSequence = null;
    this.lastBbo = '';
  }

  /** Counts a resync the session started for this book. */
  countResync(): void {
    this.stats.resyncs++;
  }

  private crossed(what: string, sequence: number | undefined): string {
    this.stats.crossed++;
    const bid = this.book.bestBid()?.price ?? '';
    const ask = this.book.bestAsk()?.price ?? '';
    return `crossed book after ${what}${atSequence(sequence)}: best bid ${bid} >= best ask ${ask}`;
  }

  /**
   * Drops levels beyond the subscribed length on `side` (an update adds at most one). Bitfinex sends
   * removals for levels leaving the window itself (the capture never exceeds 100), so this is a
   * guard; the removals go into the emitted delta so consumers' books stay equal to this one.
   */
  private trim(side: BookSide): PriceLevel[] {
    if (this.book.levelCount(side) <= this.depth) return [];
    const extra = this.book.top(side).slice(this.depth);
    for (const level of extra) this.book.setLevel(side, level.wirePrice, ZERO);
    this.stats.trimmedLevels += extra.length;
    return extra.map((level): PriceLevel => [level.price, ZERO]);
  }

  private emitSnapshot(receiveTime: EpochMicros): void {
    const { bids, asks } = this.book.toSnapshot();
    this.sink.event({
      type: 'book_snapshot',
      venue: this.venue,
      symbol: this.symbol,
      receiveTime,
      bids,
      asks,
      sequence: this.lastSequence,
      venueTime: null,
    });
  }

  /** A bbo event when the best bid or ask (price or size) changed since the last one. */
  private emitBboIfChanged(receiveTime: EpochMicros): void {
    if (!this.wants.bbo) return;
    const bid = this.book.bestBid();
    const ask = this.book.bestAsk();
    const key = `${bid?.price ?? ''}:${bid?.size ?? ''}|${ask?.price ?? ''}:${ask?.size ?? ''}`;
    if (key === this.lastBbo) return;
    this.lastBbo = key;
    this.sink.event({
      type: 'bbo',
      venue: this.venue,
      symbol: this.symbol,
      receiveTime,
      bid: bid === undefined ? null : [bid.price, bid.size],
      ask: ask === undefined ? null : [ask.price, ask.size],
      venueTime: null,
    });
  }
}

function atSequence(sequence: number | undefined): string {
  return sequence === undefined ? '' : ` at seq ${sequence}`;
}
