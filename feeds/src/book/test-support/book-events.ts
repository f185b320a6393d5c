import { toDecimal } from '../../decimal';
import type { BookDeltaEvent, BookSnapshotEvent, PriceLevel } from '../../model';
import type { WireLevel } from '../book-level';

export interface EventHeaderOptions {
  readonly symbol?: string;
  readonly sequence?: number | null;
  readonly firstSequence?: number | null;
  readonly receiveTime?: number;
}

const canonical = (levels: readonly WireLevel[]): PriceLevel[] =>
  levels.map(([price, size]) => [toDecimal(price), toDecimal(size)]);

/** A book snapshot event of `symbol` (default BTC-USD) on the simulated venue. */
export function snapshotEvent(
  bids: readonly WireLevel[],
  asks: readonly WireLevel[],
  options: EventHeaderOptions = {},
): BookSnapshotEvent {
  return {
    type: 'book_snapshot',
    venue: 'simulated',
    symbol: options.symbol ?? 'BTC-USD',
    receiveTime: options.receiveTime ?? 0,
    venueTime: null,
    sequence: options.sequence ?? null,
    bids: canonical(bids),
    asks: canonical(asks),
  };
}

/** A book delta event of `symbol` (default BTC-USD) on the simulated venue. */
export function deltaEvent(
  bids: readonly WireLevel[],
  asks: readonly WireLevel[],
  options: EventHeaderOptions = {},
): BookDeltaEvent {
  return {
    type: 'book_delta',
    venue: 'simulated',
    symbol: options.symbol ?? 'BTC-USD',
    receiveTime: options.receiveTime ?? 0,
    venueTime: null,
    sequence: options.sequence ?? null,
    firstSequence: options.firstSequence ?? null,
    bids: canonical(bids),
    asks: canonical(asks),
  };
}
