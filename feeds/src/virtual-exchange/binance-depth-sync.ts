import { BookUpdateError, OrderBook, type BookLevel, type WireLevel } from '../book';
import type { EpochMicros } from '../model/events';

/*
 * The exchange's own depth book of one Binance symbol, kept the way the venue's book evolves:
 * seeded from a recorded REST snapshot once the timeline reaches it, then moved by every published
 * depthUpdate under Binance's own rules ("How to manage a local order book correctly"):
 * - spot: ignore u <= lastUpdateId; the first applied event has U <= lastUpdateId+1 <= u; after
 *   it, "if U > localId + 1" the book has a gap.
 * - usdm: drop u < lastUpdateId; the first applied event has U <= lastUpdateId <= u; after it,
 *   "each event's pu must equal the previous u", else the book has a gap.
 * A gap means the published timeline itself lost updates: the book is unknown until the next
 * recorded snapshot is reached, and meanwhile the REST answer falls back to the recorded one.
 */

export type BinanceMarket = 'spot' | 'usdm';

/** A depthUpdate event, as published. */
export interface DepthDiff {
  readonly U: number;
  readonly u: number;
  /** usdm only: the previous event's u. */
  readonly pu: number | undefined;
  /** usdm only: transaction time (ms). */
  readonly T: number | undefined;
  readonly bids: readonly WireLevel[];
  readonly asks: readonly WireLevel[];
}

/** A recorded REST depth snapshot. */
export interface DepthSnapshot {
  /** When it was recorded: the book starts from it once the timeline reaches this time. */
  readonly time: EpochMicros;
  readonly lastUpdateId: number;
  /** usdm only: transaction time (ms). */
  readonly T: number | undefined;
  readonly bids: readonly WireLevel[];
  readonly asks: readonly WireLevel[];
}

/** Diffs kept while no snapshot is reached (or after a gap), for the next seeding. */
const MAX_BUFFERED = 50_000;

export class BinanceDepthSync {
  private readonly book = new OrderBook();
  private seeded = false;
  /** Whether an event after the snapshot has been applied (the first event rule is behind us). */
  private bridged = false;
  private lastId = 0;
  private lastT: number | undefined;
  private buffer: DepthDiff[] = [];
  private nextSnapshot = 0;

  constructor(
    private readonly market: BinanceMarket,
    /** Sorted by time. */
    private readonly snapshots: readonly DepthSnapshot[],
  ) {}

  /** True once a recorded snapshot has been reached and no gap has been seen since. */
  get live(): boolean {
    return this.seeded;
  }

  /** The last applied u, or the seeding snapshot's lastUpdateId. */
  get lastUpdateId(): number {
    return this.lastId;
  }

  /** usdm: transaction time of the last applied event (or the snapshot's). */
  get transactionTime(): number | undefined {
    return this.lastT;
  }

  /** Up to `limit` levels best first. */
  top(side: 'bid' | 'ask', limit: number): BookLevel[] {
    return this.book.top(side, limit);
  }

  /**
   * The timeline is at `now`: seeds from each recorded snapshot it has reached, unless the live
   * book is already newer than that snapshot.
   */
  advance(now: EpochMicros): void {
    for (let snapshot = this.snapshots[this.nextSnapshot]; snapshot !== undefined && snapshot.time <= now;) {
      this.nextSnapshot++;
      if (!this.seeded || snapshot.lastUpdateId > this.lastId) this.seed(snapshot);
      snapshot = this.snapshots[this.nextSnapshot];
    }
  }

  /** A depthUpdate the timeline published. */
  onDiff(diff: DepthDiff): void {
    if (!this.seeded) {
      this.buffer.push(diff);
      if (this.buffer.length > MAX_BUFFERED) this.buffer.splice(0, this.buffer.length - MAX_BUFFERED);
      return;
    }
    if (!this.apply(diff)) this.lose([diff]);
  }

  private seed(snapshot: DepthSnapshot): void {
    try {
      this.book.applySnapshot(snapshot.bids, snapshot.asks);
    } catch (error) {
      if (error instanceof BookUpdateError) return; // a snapshot the book refuses seeds nothing
      throw error;
    }
    this.seeded = true;
    this.bridged = false;
    this.lastId = snapshot.lastUpdateId;
    this.lastT = snapshot.T;
    const buffered = this.buffer;
    this.buffer = [];
    for (let i = 0; i < buffered.length; i++) {
      const diff = buffered[i];
      if (diff !== undefined && !this.apply(diff)) {
        this.lose(buffered.slice(i));
        return;
      }
    }
  }

  /** Applies `diff` if Binance's rules say so; false when it reveals a gap (or the book refuses it). */
  private apply(diff: DepthDiff): boolean {
    const spot = this.market === 'spot';
    // Already in the book. Before the bridge, a usdm event with u == lastUpdateId is the first one.
    if (spot || this.bridged ? diff.u <= this.lastId : diff.u < this.lastId) return true;
    if (!this.bridged) {
      const bridges = spot
        ? diff.U <= this.lastId + 1 && diff.u >= this.lastId + 1
        : diff.U <= this.lastId && diff.u >= this.lastId;
      if (!bridges) return false;
    } else if (spot ? diff.U > this.lastId + 1 : diff.pu !== this.lastId) {
      return false;
    }
    try {
      this.book.applyDelta(diff.bids, diff.asks);
    } catch (error) {
      if (error instanceof BookUpdateError) return false;
      throw error;
    }
    this.bridged = true;
    this.lastId = diff.u;
    this.lastT = diff.T ?? this.lastT;
    return true;
  }

  /** A gap: the book is unknown until the next snapshot; keep `pending` for it. */
  private lose(pending: DepthDiff[]): void {
    this.seeded = false;
    this.bridged = false;
    this.buffer = pending;
  }
}
