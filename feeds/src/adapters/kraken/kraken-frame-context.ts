import type { EpochMicros, FeedState, MarketEvent } from '../../model/events';
import type { NormalizedSymbol } from '../../model/instrument';
import type { VenueId } from '../../model/venue';
import type { FrameOutcome } from '../venue-adapter';
import type { KrakenBookSync } from './kraken-book-sync';

/** What the v1 and v2 frame parsers need from the session. */
export interface FrameContext {
  readonly venue: VenueId;
  /** Normalized symbol of a pair name of this connection's version, undefined when it is not one. */
  symbolOf(pair: string): NormalizedSymbol | undefined;
  /** The book sync of a subscribed book, undefined for a symbol whose book is not wanted. */
  bookOf(symbol: NormalizedSymbol): KrakenBookSync | undefined;
  readonly emit: (event: MarketEvent) => void;
}

/**
 * How a parser accounts for its frame. Parsers return it instead of calling sink.account, and the
 * session accounts it once, so every frame gets exactly one outcome by construction.
 */
export type Accounting = readonly [outcome: FrameOutcome, kind: string];

/** The status event for the whole connection when the venue reports its trading-engine state. */
export function systemStatusEvent(
  context: FrameContext,
  system: string,
  details: string,
  receiveTime: EpochMicros,
): MarketEvent {
  // "maintenance: Markets are offline": no market data will flow. The other states still trade or
  // at least publish books (cancel_only, post_only, limit_only).
  const state: FeedState = system === 'maintenance' ? 'stale' : 'live';
  return {
    type: 'status',
    venue: context.venue,
    symbol: null,
    state,
    reason: `venue status ${system} (${details})`,
    receiveTime,
  };
}

/** The status event for a refused subscribe/unsubscribe: that symbol's channel will not flow. */
export function subscriptionErrorEvent(
  context: FrameContext,
  pair: string | undefined,
  channel: string,
  message: string,
  receiveTime: EpochMicros,
): MarketEvent {
  const symbol = pair === undefined ? null : (context.symbolOf(pair) ?? null);
  const what = pair === undefined ? channel : `${channel} ${pair}`;
  return {
    type: 'status',
    venue: context.venue,
    symbol,
    state: 'disconnected',
    reason: `subscription error (${what}): ${message}`,
    receiveTime,
  };
}
