import { DecimalFormatError } from '../../decimal';
import { BookUpdateError, okxBookChecksum, OrderBook, type WireLevel } from '../../book';
import { parseLevels } from '../../book/parse-level';
import type { EpochMicros } from '../../model/events';
import type { NormalizedSymbol } from '../../model/instrument';
import { millisToMicros } from '../../model/time';
import type { SessionSink } from '../venue-adapter';
import { canonicalLevels, wireLevels } from './okx-levels';
import type { OkxBookData, OkxRestBook } from './okx-protocol';
import { alignWithSnapshot, classifyFirstAfter } from './okx-rest-alignment';
import { classifyUpdate } from './okx-sequence';

/**
 * `books` is the 400-level channel. OKX does not document removals for levels pushed past the
 * 400th, so the book keeps the venue's window and no level it may have stopped updating.
 */
export const OKX_BOOK_DEPTH = 400;
/** Updates kept while a REST snapshot is on its way; beyond it the oldest go (step 4 then refetches). */
export const MAX_BUFFERED_UPDATES = 2000;
/** After a failed REST snapshot, ask again once this many more updates arrived (about 1 s of `books`). */
export const REST_RETRY_AFTER_UPDATES = 10;

/**
 * - subscribing: (re)subscribed, waiting for the venue's subscribe ack; updates still in flight
 *   from an earlier subscription are ignored.
 * - awaiting: acked; the venue's snapshot comes next (or, since OKX delists it, an update does).
 * - fetching: the stream started without a snapshot; updates are buffered for the REST snapshot.
 * - live: synced; every update is sequence-checked, checksum-verified and applied.
 */
export type SyncState = 'subscribing' | 'awaiting' | 'fetching' | 'live';

export type BookOutcome =
  | 'applied'
  | 'heartbeat'
  | 'stale'
  | 'buffered'
  | 'before subscribe ack'
  | 'before snapshot'
  | 'gap'
  | 'checksum mismatch'
  | 'crossed';

/** What the book needs from its session: a fresh stream (resubscribe) or a REST snapshot. */
export interface SyncHooks {
  resubscribe(): void;
  requestSnapshot(): void;
}

interface BufferedUpdate {
  readonly data: OkxBookData;
  readonly prevSeqId: number;
  readonly seqId: number;
  readonly receiveTime: EpochMicros;
}

/** Thrown for a frame whose levels are not valid (the session accounts it as rejected). */
export class UnreadableBookFrame extends Error {
  override readonly name = 'UnreadableBookFrame';
}

/**
 * One OKX instrument's `books` channel (README.md quotes the rules): snapshot, then updates chained
 * by prevSeqId == last seqId, each verified with the signed CRC-32 of the top 25 levels whenever
 * the venue sends a non-zero checksum. A gap, a mismatch or a crossed book discards the book and
 * asks for a fresh snapshot; nothing unverified is ever emitted.
 */
export class OkxBookSync {
  readonly book = new OrderBook();
  private syncState: SyncState = 'subscribing';
  private lastSeqId: number | undefined;
  /** Set after a REST snapshot: the next update must have prevSeqId <= it < seqId (step 6). */
  private straddleSeqId: number | undefined;
  /** The venue's own snapshot was crossed (OKX: pre-open call auction), so crossing is its state. */
  private venueCrossed = false;
  private buffer: BufferedUpdate[] = [];
  private snapshotPending = false;
  private updatesSinceFailure = 0;
  readonly stats = {
    snapshots: 0,
    restSnapshots: 0,
    updates: 0,
    heartbeats: 0,
    stale: 0,
    gaps: 0,
    checksumsVerified: 0,
    checksumsAbsent: 0,
    checksumMismatches: 0,
    crossed: 0,
    resyncs: 0,
  };

  constructor(
    readonly instId: string,
    private readonly symbol: NormalizedSymbol,
    private readonly sink: SessionSink,
    private readonly hooks: SyncHooks,
  ) {}

  get state(): SyncState {
    return this.syncState;
  }

  get isLive(): boolean {
    return this.syncState === 'live';
  }

  get seqId(): number | undefined {
    return this.lastSeqId;
  }

  /** The venue acknowledged our `books` subscription: its snapshot (or first update) comes next. */
  acked(): void {
    if (this.syncState === 'subscribing') this.syncState = 'awaiting';
  }

  /** A `books` push. Throws UnreadableBookFrame (after starting a resync) for invalid levels. */
  push(action: 'snapshot' | 'update', data: OkxBookData, receiveTime: EpochMicros): BookOutcome {
    try {
      return action === 'snapshot' ? this.snapshot(data, receiveTime) : this.update(data, receiveTime);
    } catch (error) {
      if (!(error instanceof BookUpdateError || error instanceof DecimalFormatError)) throw error;
      // The book has not changed (OrderBook validates before writing) but it missed this frame.
      if (this.syncState !== 'subscribing') this.resync(`unreadable ${action}: ${error.message}`, receiveTime);
      throw new UnreadableBookFrame(`books ${action}: ${error.message}`, { cause: error });
    }
  }

  /** The answer to our REST request, already shape-checked; undefined when the request failed. */
  restSnapshot(rest: OkxRestBook | undefined, failure: string, receiveTime: EpochMicros): void {
    if (this.syncState !== 'fetching') return;
    this.snapshotPending = false;
    if (rest?.seqId === undefined) {
      this.updatesSinceFailure = 0;
      this.status('resyncing', `REST order book unusable: ${rest === undefined ? failure : 'no seqId'}`, receiveTime);
      return;
    }
    const alignment = alignWithSnapshot(this.buffer, rest.seqId);
    if (alignment.verdict === 'too old') return this.requestSnapshot();
    try {
      this.install(wireLevels(rest.bids), wireLevels(rest.asks), rest.seqId);
    } catch (error) {
      if (!(error instanceof BookUpdateError || error instanceof DecimalFormatError)) throw error;
      this.updatesSinceFailure = 0;
      this.status('resyncing', `REST order book unusable: ${error.message}`, receiveTime);
      return;
    }
    this.stats.restSnapshots++;
    this.buffer = [];
    this.emitSnapshot(rest.seqId, rest.ts, receiveTime, 'REST snapshot');
    // Step 6: the next update (buffered or live) must straddle the snapshot's seqId.
    this.straddleSeqId = rest.seqId;
    // Buffered updates were validated on arrival, so applying them cannot throw.
    for (const update of alignment.kept) {
      if (this.applyLive(update.data, update.receiveTime) !== 'applied') return;
    }
  }

  /** Forgets the book (connection closed, unsubscribed): a new subscription starts over. */
  reset(): void {
    this.book.clear();
    this.syncState = 'subscribing';
    this.lastSeqId = undefined;
    this.straddleSeqId = undefined;
    this.venueCrossed = false;
    this.buffer = [];
    this.snapshotPending = false;
  }

  private snapshot(data: OkxBookData, receiveTime: EpochMicros): BookOutcome {
    const bids = wireLevels(data.bids);
    const asks = wireLevels(data.asks);
    this.install(bids, asks, data.seqId);
    const mismatch = this.checksumProblem(data.checksum);
    if (mismatch !== undefined) {
      this.stats.checksumMismatches++;
      this.resync(`checksum mismatch on snapshot: ${mismatch}`, receiveTime);
      return 'checksum mismatch';
    }
    this.stats.snapshots++;
    this.buffer = [];
    this.snapshotPending = false;
    this.emitSnapshot(data.seqId, data.ts, receiveTime, 'snapshot');
    return 'applied';
  }

  private update(data: OkxBookData, receiveTime: EpochMicros): BookOutcome {
    switch (this.syncState) {
      case 'subscribing':
        validate(data);
        return 'before subscribe ack';
      case 'awaiting':
        // OKX is delisting the initial snapshot: the stream starts with updates, so fetch one by REST.
        if (data.seqId === undefined || data.prevSeqId === undefined) {
          validate(data);
          return 'before snapshot';
        }
        this.syncState = 'fetching';
        this.buffer = [];
        this.bufferUpdate(data, data.prevSeqId, data.seqId, receiveTime);
        this.requestSnapshot();
        return 'buffered';
      case 'fetching':
        if (data.seqId === undefined || data.prevSeqId === undefined) {
          validate(data);
          return 'before snapshot';
        }
        this.bufferUpdate(data, data.prevSeqId, data.seqId, receiveTime);
        if (!this.snapshotPending && ++this.updatesSinceFailure >= REST_RETRY_AFTER_UPDATES) this.requestSnapshot();
        return 'buffered';
      case 'live':
        return this.applyLive(data, receiveTime);
    }
  }

  private applyLive(data: OkxBookData, receiveTime: EpochMicros): BookOutcome {
    const hasLevels = data.bids.length > 0 || data.asks.length > 0;
    const verdict =
      this.straddleSeqId === undefined
        ? classifyUpdate(this.lastSeqId, data.prevSeqId, data.seqId, hasLevels)
        : classifyFirstAfter(this.straddleSeqId, data.prevSeqId, data.seqId);
    if (verdict === 'heartbeat') {
      this.stats.heartbeats++;
      return 'heartbeat';
    }
    if (verdict === 'stale') {
      this.stats.stale++;
      return 'stale';
    }
    if (verdict === 'gap') {
      this.stats.gaps++;
      this.resync(
        `sequence gap: prevSeqId ${String(data.prevSeqId)} after seqId ${String(this.lastSeqId)}`,
        receiveTime,
      );
      return 'gap';
    }
    const bids = wireLevels(data.bids);
    const asks = wireLevels(data.asks);
    this.book.applyDelta(bids, asks);
    this.book.trim(OKX_BOOK_DEPTH);
    const mismatch = this.checksumProblem(data.checksum);
    if (mismatch !== undefined) {
      this.stats.checksumMismatches++;
      this.resync(`checksum mismatch at ${describeSeq(data.seqId, data.ts)}: ${mismatch}`, receiveTime);
      return 'checksum mismatch';
    }
    const crossed = this.book.isCrossed();
    if (crossed && !this.venueCrossed) {
      this.stats.crossed++;
      const bid = this.book.bestBid()?.price ?? '';
      const ask = this.book.bestAsk()?.price ?? '';
      this.resync(`crossed book at ${describeSeq(data.seqId, data.ts)}: bid ${bid} >= ask ${ask}`, receiveTime);
      return 'crossed';
    }
    this.venueCrossed = crossed;
    this.straddleSeqId = undefined;
    this.stats.updates++;
    if (data.seqId !== undefined) this.lastSeqId = data.seqId;
    this.sink.event({
      type: 'book_delta',
      venue: 'okx',
      symbol: this.symbol,
      receiveTime,
      bids: canonicalLevels(bids),
      asks: canonicalLevels(asks),
      sequence: data.seqId ?? null,
      firstSequence: data.prevSeqId ?? null,
      venueTime: millisToMicros(Number(data.ts)),
    });
    return 'applied';
  }

  /** Replaces the book with a full state and goes live; the caller verifies and emits. */
  private install(bids: WireLevel[], asks: WireLevel[], seqId: number | undefined): void {
    this.book.applySnapshot(bids, asks);
    this.book.trim(OKX_BOOK_DEPTH);
    this.lastSeqId = seqId;
    this.straddleSeqId = undefined;
    this.venueCrossed = this.book.isCrossed();
    this.syncState = 'live';
  }

  private emitSnapshot(seqId: number | undefined, ts: string, receiveTime: EpochMicros, what: string): void {
    const { bids, asks } = this.book.toSnapshot();
    this.sink.event({
      type: 'book_snapshot',
      venue: 'okx',
      symbol: this.symbol,
      receiveTime,
      bids,
      asks,
      sequence: seqId ?? null,
      venueTime: millisToMicros(Number(ts)),
    });
    const crossed = this.venueCrossed ? ' (crossed as sent: pre-open auction)' : '';
    this.status('live', `book synced from ${what} at ${describeSeq(seqId, ts)}${crossed}`, receiveTime);
  }

  /** Why the book disagrees with the venue's checksum, or undefined (also when none was sent). */
  private checksumProblem(checksum: number | undefined): string | undefined {
    // OKX: "the checksum field will remain present in push messages but will always return 0".
    if (checksum === undefined || checksum === 0) {
      this.stats.checksumsAbsent++;
      return undefined;
    }
    const ours = okxBookChecksum(this.book);
    if (ours === checksum) {
      this.stats.checksumsVerified++;
      return undefined;
    }
    return `venue ${checksum}, book ${ours}`;
  }

  private bufferUpdate(data: OkxBookData, prevSeqId: number, seqId: number, receiveTime: EpochMicros): void {
    // Validate now so a bad frame is rejected when it arrives, not when the snapshot does.
    validate(data);
    this.buffer.push({ data, prevSeqId, seqId, receiveTime });
    if (this.buffer.length > MAX_BUFFERED_UPDATES) this.buffer.shift();
  }

  private requestSnapshot(): void {
    this.snapshotPending = true;
    this.updatesSinceFailure = 0;
    this.hooks.requestSnapshot();
  }

  private resync(reason: string, time: EpochMicros): void {
    this.stats.resyncs++;
    this.reset();
    this.status('resyncing', reason, time);
    this.hooks.resubscribe();
  }

  private status(state: 'live' | 'resyncing', reason: string, receiveTime: EpochMicros): void {
    this.sink.event({ type: 'status', venue: 'okx', symbol: this.symbol, state, reason, receiveTime });
  }
}

/**
 * Throws BookUpdateError for levels the book would refuse. Live updates get this from
 * OrderBook.applyDelta itself; frames that are ignored or buffered are checked here, so a bad
 * frame is a rejection in every state.
 */
function validate(data: OkxBookData): void {
  parseLevels('bid', wireLevels(data.bids));
  parseLevels('ask', wireLevels(data.asks));
}

function describeSeq(seqId: number | undefined, ts: string): string {
  return seqId === undefined ? `ts ${ts}` : `seqId ${seqId}`;
}
