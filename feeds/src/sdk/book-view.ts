import type { EpochMicros, PriceLevel } from '../model/events';

/** One state of a local book, emitted by `client.book()` after every snapshot and update. */
export interface BookView {
  readonly instrument: string;
  readonly depth: number;
  readonly intervalMs: number;
  /** What produced this view. */
  readonly type: 'snapshot' | 'update';
  /** The channel seq of that message. */
  readonly seq: number;
  /**
   * The top `depth` levels, best first (bids high to low, asks low to high), as canonical
   * `[price, size]` strings. Views are immutable: a side that did not change is the same array.
   */
  readonly bids: readonly PriceLevel[];
  readonly asks: readonly PriceLevel[];
  /** Venue sequence, where the venue has one. */
  readonly sequence: number | null;
  readonly venueTime: EpochMicros | null;
  /** When the gateway received the venue data (µs). */
  readonly receiveTime: EpochMicros;
  /** Set on a view from a conflated snapshot (the gateway replaced updates it could not send). */
  readonly conflated?: true;
  /** How many updates that snapshot replaced. */
  readonly skipped?: number;
}
