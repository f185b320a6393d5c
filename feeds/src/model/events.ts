import type { DecimalString } from '../decimal';
import type { NormalizedSymbol } from './instrument';
import type { VenueId } from './venue';

/**
 * Every timestamp is integer microseconds since the Unix epoch (UTC): fine enough for venue times
 * (Coinbase and Kraken send µs) and exactly representable in a number until the year 2255.
 */
export type EpochMicros = number;

/** [price, size] in canonical decimals. In a delta a size of "0" removes the level. */
export type PriceLevel = readonly [price: DecimalString, size: DecimalString];

/** Side of the aggressor (taker) of a trade; `unknown` where the venue does not say. */
export type TakerSide = 'buy' | 'sell' | 'unknown';

interface EventHeader {
  readonly venue: VenueId;
  readonly symbol: NormalizedSymbol;
  /** When Tickwire received the frame (local clock). */
  readonly receiveTime: EpochMicros;
}

export interface TradeEvent extends EventHeader {
  readonly type: 'trade';
  readonly tradeId: string;
  readonly side: TakerSide;
  readonly price: DecimalString;
  readonly size: DecimalString;
  /** The venue's time of the trade, null where the venue gives none. */
  readonly venueTime: EpochMicros | null;
}

export interface BookSnapshotEvent extends EventHeader {
  readonly type: 'book_snapshot';
  /** Best first: bids high to low, asks low to high. */
  readonly bids: readonly PriceLevel[];
  readonly asks: readonly PriceLevel[];
  /** Venue sequence the snapshot is at, where the venue has one. */
  readonly sequence: number | null;
  readonly venueTime: EpochMicros | null;
}

export interface BookDeltaEvent extends EventHeader {
  readonly type: 'book_delta';
  /** Levels to set, in wire order (a later level for the same price wins); size "0" removes. */
  readonly bids: readonly PriceLevel[];
  readonly asks: readonly PriceLevel[];
  /** Venue sequence of this update (last one where the venue gives a range), where it has one. */
  readonly sequence: number | null;
  /** First sequence covered, where the venue gives a range (Binance `U`) or the previous one (`pu`). */
  readonly firstSequence: number | null;
  readonly venueTime: EpochMicros | null;
}

export interface BboEvent extends EventHeader {
  readonly type: 'bbo';
  /** null when that side of the book is empty. */
  readonly bid: PriceLevel | null;
  readonly ask: PriceLevel | null;
  readonly venueTime: EpochMicros | null;
}

export const CANDLE_INTERVALS = ['1s', '1m', '5m', '15m', '1h', '4h', '1d'] as const;
export type CandleInterval = (typeof CANDLE_INTERVALS)[number];

export interface CandleEvent extends EventHeader {
  readonly type: 'candle';
  readonly interval: CandleInterval;
  /** Inclusive start and exclusive end of the interval, aligned to UTC boundaries. */
  readonly openTime: EpochMicros;
  readonly closeTime: EpochMicros;
  readonly open: DecimalString;
  readonly high: DecimalString;
  readonly low: DecimalString;
  readonly close: DecimalString;
  /** Base volume: the exact sum of trade sizes. */
  readonly volume: DecimalString;
  /** Quote volume: the exact sum of price × size. */
  readonly quoteVolume: DecimalString;
  readonly tradeCount: number;
  /** quoteVolume / volume rounded half-even (see candles/README); equals close when volume is 0. */
  readonly vwap: DecimalString;
  /** false while the interval is open (updates follow), true for the final value. */
  readonly closed: boolean;
}

export const FEED_STATES = ['connecting', 'live', 'resyncing', 'stale', 'disconnected'] as const;
export type FeedState = (typeof FEED_STATES)[number];

export interface FeedStatusEvent {
  readonly type: 'status';
  readonly venue: VenueId;
  /** null for the whole venue connection, a symbol for one instrument (e.g. one book resyncing). */
  readonly symbol: NormalizedSymbol | null;
  readonly state: FeedState;
  /** Human-readable cause, e.g. "checksum mismatch", "sequence gap 1021 -> 1023", "no data for 30 s". */
  readonly reason: string;
  readonly receiveTime: EpochMicros;
}

export type MarketEvent = TradeEvent | BookSnapshotEvent | BookDeltaEvent | BboEvent | CandleEvent | FeedStatusEvent;
export type MarketEventType = MarketEvent['type'];
