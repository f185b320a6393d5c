import { type BookSide, BookUpdateError, krakenBookChecksum, OrderBook, type WireLevel } from '../../book';
import { DecimalFormatError, toDecimal, ZERO } from '../../decimal';
import type { EpochMicros, MarketEvent, PriceLevel } from '../../model/events';
import type { NormalizedSymbol } from '../../model/instrument';
import type { VenueId } from '../../model/venue';

/*
 * Kraken's book rules for one symbol (README.md quotes them): apply every level of a message, then
 * truncate to the subscribed depth ("you will not receive qty: 0 for levels that fall out of
 * scope"), then compare the CRC32 of the top 10 levels with the venue's. Kraken has no sequence
 * numbers, so the checksum is the only loss detector: a mismatch, a crossed book after a verified
 * update, or an unreadable book message discards this symbol's book and asks the session to
 * resubscribe its book channel, which makes the venue send a fresh snapshot. Other symbols go on.
 */

export const KRAKEN_BOOK_DEPTHS = [10, 25, 100, 500, 1000] as const;
/** The depths Kraken offers per book subscription (levels per side). */
export type KrakenBookDepth = (typeof KRAKEN_BOOK_DEPTHS)[number];

/** One book message in wire text, as a parser hands it over. */
export interface KrakenBookMessage {
  readonly bids: readonly WireLevel[];
  readonly asks: readonly WireLevel[];
  /** The venue's CRC32; undefined where the message carries none (v1 snapshots). */
  readonly checksum: number | undefined;
  readonly venueTime: EpochMicros | null;
  readonly receiveTime: EpochMicros;
}

export type BookSyncState = 'awaiting snapshot' | 'live' | 'resyncing';
export type SnapshotOutcome = 'synced' | 'checksum mismatch' | 'crossed';
export type UpdateOutcome = 'verified' | 'unchecked' | 'not synced' | 'checksum mismatch' | 'crossed';

export interface KrakenBookSyncOptions {
  readonly venue: VenueId;
  readonly symbol: NormalizedSymbol;
  readonly depth: KrakenBookDepth;
  readonly emit: (event: MarketEvent) => void;
  /** Unsubscribe and subscribe this symbol's book again: Kraken's only way to a fresh snapshot. */
  readonly resubscribe: () => void;
}

const NO_LEVELS: readonly PriceLevel[] = [];

export class KrakenBookSync {
  readonly book = new OrderBook();
  /** Counters for tests and metrics. */
  readonly stats = {
    snapshots: 0,
    updates: 0,
    checksumsVerified: 0,
    checksumMismatches: 0,
    /** Updates applied without a checksum to verify (v1 sends one on every update; none seen). */
    unchecked: 0,
    crossed: 0,
    unreadable: 0,
    resyncs: 0,
    /** Updates that arrived while no book was held (before a snapshot, during a resync). */
    skipped: 0,
    trimmedLevels: 0,
  };
  private current: BookSyncState = 'awaiting snapshot';
  /** Why the last resync started, for the "live" status once the new snapshot is in. */
  private resyncCause: string | undefined;

  constructor(private readonly options: KrakenBookSyncOptions) {}

  get state(): BookSyncState {
    return this.current;
  }

  /**
   * Replaces the book (the first one, or the fresh one after a resync), verifies it where the
   * venue sent a checksum (v2), and emits book_snapshot + status live. Throws DecimalFormatError or
   * BookUpdateError for unreadable levels, after starting a resync.
   */
  snapshot(message: KrakenBookMessage): SnapshotOutcome {
    this.guard(message.receiveTime, 'snapshot', () => {
      this.book.applySnapshot(message.bids, message.asks);
    });
    this.stats.snapshots++;
    this.trim();
    const problem = this.verify(message.checksum) ?? this.crossing();
    if (problem !== undefined) {
      this.restart(`${problem.reason} in the snapshot`, message.receiveTime);
      return problem.outcome;
    }
    const { bids, asks } = this.book.toSnapshot();
    this.current = 'live';
    const { venue, symbol, emit } = this.options;
    emit({
      type: 'book_snapshot',
      venue,
      symbol,
      receiveTime: message.receiveTime,
      bids,
      asks,
      sequence: null,
      venueTime: message.venueTime,
    });
    const checked = message.checksum === undefined ? '' : `, checksum ${message.checksum} verified`;
    emit({
      type: 'status',
      venue,
      symbol,
      state: 'live',
      reason:
        this.resyncCause === undefined
          ? `book synced from snapshot: ${bids.length} bids, ${asks.length} asks${checked}`
          : `book resynced after ${this.resyncCause}${checked}`,
      receiveTime: message.receiveTime,
    });
    this.resyncCause = undefined;
    return 'synced';
  }

  /**
   * Applies an update, trims to the depth and verifies; emits book_delta only for a verified book.
   * The delta carries the venue's levels followed by a removal for each level trimmed out of the
   * depth, so a consumer applying deltas holds exactly this book. Throws DecimalFormatError or
   * BookUpdateError for unreadable levels, after starting a resync.
   */
  update(message: KrakenBookMessage): UpdateOutcome {
    if (this.current !== 'live') {
      this.stats.skipped++;
      return 'not synced';
    }
    let bids: PriceLevel[] = [];
    let asks: PriceLevel[] = [];
    this.guard(message.receiveTime, 'update', () => {
      bids = canonicalLevels(message.bids);
      asks = canonicalLevels(message.asks);
      this.book.applyDelta(message.bids, message.asks);
    });
    this.stats.updates++;
    const trimmedBids = this.trimmedLevels('bid');
    const trimmedAsks = this.trimmedLevels('ask');
    this.trim();
    const problem = this.verify(message.checksum) ?? this.crossing();
    if (problem !== undefined) {
      this.restart(`${problem.reason} after update ${this.stats.updates}`, message.receiveTime);
      return problem.outcome;
    }
    if (message.checksum === undefined) this.stats.unchecked++;
    const { venue, symbol } = this.options;
    this.options.emit({
      type: 'book_delta',
      venue,
      symbol,
      receiveTime: message.receiveTime,
      bids: trimmedBids.length === 0 ? bids : bids.concat(trimmedBids),
      asks: trimmedAsks.length === 0 ? asks : asks.concat(trimmedAsks),
      sequence: null,
      firstSequence: null,
      venueTime: message.venueTime,
    });
    return message.checksum === undefined ? 'unchecked' : 'verified';
  }

  /**
   * A book message of this symbol had an unreadable shape. A live book may have missed a change, so
   * it resyncs; so does a bad snapshot. An update while no book is held changes nothing.
   */
  discard(reason: string, time: EpochMicros, snapshot: boolean): void {
    if (!snapshot && this.current !== 'live') return;
    this.stats.unreadable++;
    this.restart(`unreadable book ${snapshot ? 'snapshot' : 'update'}: ${reason}`, time);
  }

  /**
   * The venue confirmed an unsubscribe of this book. After Tickwire's own resync unsubscribe the
   * book is already down and a snapshot is awaited; a live book means the venue ended it on its
   * own ("exchange initiated unsubscribe"), so it stops being live. True when it was live.
   */
  endedByVenue(time: EpochMicros): boolean {
    if (this.current !== 'live') return false;
    this.reset();
    const { venue, symbol } = this.options;
    this.options.emit({
      type: 'status',
      venue,
      symbol,
      state: 'disconnected',
      reason: 'the venue ended the book subscription',
      receiveTime: time,
    });
    return true;
  }

  /** Forgets the book (connection closed): the next snapshot starts over. */
  reset(): void {
    this.book.clear();
    this.current = 'awaiting snapshot';
    this.resyncCause = undefined;
  }

  private verify(expected: number | undefined): Problem | undefined {
    if (expected === undefined) return undefined;
    const local = krakenBookChecksum(this.book);
    if (local === expected) {
      this.stats.checksumsVerified++;
      return undefined;
    }
    this.stats.checksumMismatches++;
    return { outcome: 'checksum mismatch', reason: `checksum mismatch: venue ${expected}, local ${local}` };
  }

  private crossing(): Problem | undefined {
    if (!this.book.isCrossed()) return undefined;
    this.stats.crossed++;
    const bid = this.book.bestBid()?.price ?? '?';
    const ask = this.book.bestAsk()?.price ?? '?';
    return { outcome: 'crossed', reason: `crossed book: best bid ${bid} >= best ask ${ask}` };
  }

  /** Runs `apply`; on unreadable levels starts a resync (the book may have missed a change) and rethrows. */
  private guard(time: EpochMicros, what: string, apply: () => void): void {
    try {
      apply();
    } catch (error) {
      if (error instanceof DecimalFormatError || error instanceof BookUpdateError) {
        this.stats.unreadable++;
        this.restart(`unreadable book ${what}: ${error.message}`, time);
      }
      throw error;
    }
  }

  private restart(reason: string, time: EpochMicros): void {
    this.stats.resyncs++;
    this.book.clear();
    this.current = 'resyncing';
    this.resyncCause = reason;
    const { venue, symbol } = this.options;
    this.options.emit({ type: 'status', venue, symbol, state: 'resyncing', reason, receiveTime: time });
    this.options.resubscribe();
  }

  /** Removals for the levels of `side` beyond the depth, worst last (read before trim() drops them). */
  private trimmedLevels(side: BookSide): readonly PriceLevel[] {
    const { depth } = this.options;
    const count = this.book.levelCount(side);
    if (count <= depth) return NO_LEVELS;
    return this.book
      .top(side, count)
      .slice(depth)
      .map((level): PriceLevel => [level.price, ZERO]);
  }

  private trim(): void {
    this.stats.trimmedLevels += this.book.trim(this.options.depth);
  }
}

interface Problem {
  readonly outcome: 'checksum mismatch' | 'crossed';
  readonly reason: string;
}

/** Canonical levels of wire levels; throws DecimalFormatError for text that is not a decimal. */
export function canonicalLevels(levels: readonly WireLevel[]): PriceLevel[] {
  const out = new Array<PriceLevel>(levels.length);
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i] as WireLevel;
    out[i] = [toDecimal(level[0]), toDecimal(level[1])];
  }
  return out;
}
