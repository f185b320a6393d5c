import type { SnapshotMessage, UpdateMessage } from '../api/protocol';
import { compareDecimals, isZeroDecimal, type DecimalString } from '../decimal';
import type { PriceLevel } from '../model/events';
import type { BookView } from './book-view';
import type { ChannelReducer } from './channel-reducer';

const NO_LEVELS: readonly PriceLevel[] = [];

/**
 * Index of `price` in `levels` (best first), or `~insertionIndex` when absent. Bids are sorted high
 * to low, asks low to high; prices compare exactly as canonical decimal text.
 */
function findLevel(levels: readonly PriceLevel[], price: DecimalString, descending: boolean): number {
  let low = 0;
  let high = levels.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const order = compareDecimals((levels[middle] as PriceLevel)[0], price);
    const relative = descending ? -order : order;
    if (relative < 0) low = middle + 1;
    else if (relative > 0) high = middle;
    else return middle;
  }
  return ~low;
}

/**
 * Applies one side of an update: sets or removes ("0") each level in order, then keeps the best
 * `depth`. Trimming comes last, since a removal later in the same update can bring a level set
 * earlier (below the depth at that moment) into the view. Returns `levels` itself when nothing is
 * to be done, else a new array; level tuples are the wire's own, never copied.
 */
export function applyBookSide(
  levels: readonly PriceLevel[],
  changes: readonly PriceLevel[],
  descending: boolean,
  depth: number,
): readonly PriceLevel[] {
  if (changes.length === 0) return levels;
  const next = levels.slice();
  for (const level of changes) {
    const index = findLevel(next, level[0], descending);
    if (isZeroDecimal(level[1])) {
      if (index >= 0) next.splice(index, 1);
    } else if (index >= 0) next[index] = level;
    else next.splice(~index, 0, level);
  }
  if (next.length > depth) next.length = depth;
  return next;
}

/**
 * The book of one `book` channel stream (one instrument, depth and interval), kept from the
 * gateway's snapshot and top-`depth` updates exactly: canonical strings, exact price comparison.
 * Each message yields an immutable view; an unchanged side is shared with the previous view.
 */
export class LocalBook implements ChannelReducer<'book', BookView> {
  private view: BookView | undefined;

  constructor(
    readonly instrument: string,
    readonly depth: number,
    readonly intervalMs: number,
  ) {}

  snapshot(message: SnapshotMessage<'book'>): BookView {
    const { data } = message;
    this.view = {
      instrument: this.instrument,
      depth: this.depth,
      intervalMs: this.intervalMs,
      type: 'snapshot',
      seq: message.seq,
      bids: data.bids.length > this.depth ? data.bids.slice(0, this.depth) : data.bids,
      asks: data.asks.length > this.depth ? data.asks.slice(0, this.depth) : data.asks,
      sequence: data.sequence,
      venueTime: data.venueTime,
      receiveTime: data.receiveTime,
      ...(message.conflated === true ? { conflated: true, skipped: message.skipped ?? 0 } : {}),
    };
    return this.view;
  }

  update(message: UpdateMessage<'book'>): BookView {
    const { data } = message;
    this.view = {
      instrument: this.instrument,
      depth: this.depth,
      intervalMs: this.intervalMs,
      type: 'update',
      seq: message.seq,
      bids: applyBookSide(this.view?.bids ?? NO_LEVELS, data.bids, true, this.depth),
      asks: applyBookSide(this.view?.asks ?? NO_LEVELS, data.asks, false, this.depth),
      sequence: data.sequence,
      venueTime: data.venueTime,
      receiveTime: data.receiveTime,
    };
    return this.view;
  }

  /** The latest view, undefined before the first snapshot. */
  current(): BookView | undefined {
    return this.view;
  }
}
