import { OrderBook } from '../../book';
import type { EpochMicros, PriceLevel } from '../../model/events';
import type { NormalizedSymbol } from '../../model/instrument';
import type { VenueId } from '../../model/venue';
import type { SessionSink } from '../venue-adapter';
import { millisToMicros } from '../../model/time';

/**
 * Binance's documented local-book procedure for one symbol (README.md quotes it):
 * buffer diffs, fetch a snapshot, drop diffs it already contains, require the first kept diff to
 * straddle the snapshot, then require continuity — spot: each U == previous u + 1; USD-M futures:
 * each pu == previous u. A break discards the book and starts over with a fresh snapshot.
 */
export type SyncRules = 'spot' | 'futures';

/** A depth diff with canonical levels, as the session hands it over. */
export interface DepthDiff {
  readonly firstId: number;
  readonly lastId: number;
  readonly previousLastId: number | undefined;
  readonly bids: readonly PriceLevel[];
  readonly asks: readonly PriceLevel[];
  readonly venueTime: EpochMicros;
  readonly receiveTime: EpochMicros;
}

export interface DepthSnapshotLevels {
  readonly lastUpdateId: number;
  readonly bids: readonly PriceLevel[];
  readonly asks: readonly PriceLevel[];
  readonly venueTime: EpochMicros | null;
}

export type DiffOutcome = 'applied' | 'buffered' | 'stale' | 'gap';
export type SnapshotOutcome = 'synced' | 'too old, refetching' | 'not waiting';

/** Diffs kept while waiting for a snapshot; beyond it the oldest go (a snapshot newer than them is needed then). */
export const MAX_BUFFERED_DIFFS = 2000;

export class BinanceBookSync {
  readonly book = new OrderBook();
  private waiting = true;
  /** After a snapshot, the next diff must straddle it (the rule differs from plain continuity). */
  private awaitingFirst = false;
  private lastId = 0;
  private buffer: DepthDiff[] = [];
  private snapshotRequested = false;
  /** Counters for tests and metrics. */
  readonly stats = { gaps: 0, resyncs: 0, staleDiffs: 0, droppedFromBuffer: 0, snapshotsTooOld: 0, crossed: 0 };

  constructor(
    private readonly venue: VenueId,
    private readonly symbol: NormalizedSymbol,
    private readonly rules: SyncRules,
    private readonly sink: SessionSink,
    private readonly snapshotUrl: string,
  ) {}

  get isLive(): boolean {
    return !this.waiting;
  }

  get lastUpdateId(): number {
    return this.lastId;
  }

  diff(diff: DepthDiff): DiffOutcome {
    if (this.waiting) {
      this.buffer.push(diff);
      if (this.buffer.length > MAX_BUFFERED_DIFFS) {
        this.buffer.shift();
        this.stats.droppedFromBuffer++;
      }
      this.requestSnapshot();
      return 'buffered';
    }
    if (this.isStale(diff)) {
      this.stats.staleDiffs++;
      return 'stale';
    }
    const broken = this.awaitingFirst ? this.firstDiffProblem(diff) : this.continuityProblem(diff);
    if (broken !== undefined) {
      this.stats.gaps++;
      this.restart(`sequence gap: ${broken}`, diff.receiveTime);
      this.buffer.push(diff);
      return 'gap';
    }
    return this.apply(diff) ? 'applied' : 'gap';
  }

  snapshot(snapshot: DepthSnapshotLevels, receiveTime: EpochMicros): SnapshotOutcome {
    this.snapshotRequested = false;
    if (!this.waiting) return 'not waiting';
    const kept = this.buffer.filter((diff) =>
      this.rules === 'spot' ? diff.lastId > snapshot.lastUpdateId : diff.lastId >= snapshot.lastUpdateId,
    );
    const first = kept[0];
    this.lastId = snapshot.lastUpdateId;
    if (first !== undefined && this.firstDiffProblem(first) !== undefined) {
      // The snapshot predates the buffered stream: fetch another (Binance's step 3).
      this.stats.snapshotsTooOld++;
      this.requestSnapshot();
      return 'too old, refetching';
    }
    this.book.applySnapshot(snapshot.bids, snapshot.asks);
    this.waiting = false;
    this.awaitingFirst = true;
    this.buffer = [];
    this.sink.event({
      type: 'book_snapshot',
      venue: this.venue,
      symbol: this.symbol,
      receiveTime,
      bids: snapshot.bids,
      asks: snapshot.asks,
      sequence: snapshot.lastUpdateId,
      venueTime: snapshot.venueTime,
    });
    this.sink.event({
      type: 'status',
      venue: this.venue,
      symbol: this.symbol,
      state: 'live',
      reason: `book synced at update ${snapshot.lastUpdateId}`,
      receiveTime,
    });
    for (const diff of kept) {
      if (!this.apply(diff)) break;
    }
    return 'synced';
  }

  /** A snapshot request failed (HTTP error, malformed body): say so and ask again. */
  snapshotFailed(reason: string, time: EpochMicros): void {
    this.snapshotRequested = false;
    if (!this.waiting) return;
    this.sink.event({
      type: 'status',
      venue: this.venue,
      symbol: this.symbol,
      state: 'resyncing',
      reason: `depth snapshot failed: ${reason}`,
      receiveTime: time,
    });
    this.requestSnapshot();
  }

  /** Forgets the book (connection closed, unsubscribed): the next diffs start a new sync. */
  reset(): void {
    this.book.clear();
    this.waiting = true;
    this.awaitingFirst = false;
    this.buffer = [];
    this.snapshotRequested = false;
  }

  private restart(reason: string, time: EpochMicros): void {
    this.stats.resyncs++;
    this.reset();
    this.sink.event({
      type: 'status',
      venue: this.venue,
      symbol: this.symbol,
      state: 'resyncing',
      reason,
      receiveTime: time,
    });
  }

  private requestSnapshot(): void {
    if (this.snapshotRequested) return;
    this.snapshotRequested = true;
    this.sink.request({ url: this.snapshotUrl, purpose: `depth snapshot ${this.symbol}` });
  }

  private isStale(diff: DepthDiff): boolean {
    return this.rules === 'spot' ? diff.lastId <= this.lastId : diff.lastId < this.lastId;
  }

  /** Why `diff` cannot be the first diff after a snapshot at lastId, or undefined when it can. */
  private firstDiffProblem(diff: DepthDiff): string | undefined {
    if (this.rules === 'spot') {
      return diff.firstId <= this.lastId + 1 ? undefined : `first diff U=${diff.firstId} > ${this.lastId + 1}`;
    }
    return diff.firstId <= this.lastId && diff.lastId >= this.lastId
      ? undefined
      : `first diff [${diff.firstId}, ${diff.lastId}] does not cover ${this.lastId}`;
  }

  private continuityProblem(diff: DepthDiff): string | undefined {
    if (this.rules === 'spot') {
      return diff.firstId === this.lastId + 1 ? undefined : `U=${diff.firstId} after u=${this.lastId}`;
    }
    return diff.previousLastId === this.lastId ? undefined : `pu=${String(diff.previousLastId)} after u=${this.lastId}`;
  }

  /** Applies a verified diff; false when the result is crossed, which restarts the sync instead. */
  private apply(diff: DepthDiff): boolean {
    this.book.applyDelta(diff.bids, diff.asks);
    if (this.book.isCrossed()) {
      // A crossed book passed every sequence check, so the venue's data is inconsistent: resync.
      this.stats.crossed++;
      this.restart(`crossed book after update ${diff.lastId}`, diff.receiveTime);
      return false;
    }
    this.lastId = diff.lastId;
    this.awaitingFirst = false;
    this.sink.event({
      type: 'book_delta',
      venue: this.venue,
      symbol: this.symbol,
      receiveTime: diff.receiveTime,
      bids: diff.bids,
      asks: diff.asks,
      sequence: diff.lastId,
      firstSequence: this.rules === 'futures' ? (diff.previousLastId ?? null) : diff.firstId,
      venueTime: diff.venueTime,
    });
    return true;
  }
}

export function snapshotVenueTime(millis: number | undefined): EpochMicros | null {
  return millis === undefined ? null : millisToMicros(millis);
}
