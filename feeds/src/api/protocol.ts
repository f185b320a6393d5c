import type { DecimalString } from '../decimal';
import type { CandleEvent, CandleInterval, EpochMicros, FeedState, PriceLevel, TakerSide } from '../model/events';
import type { InstrumentKind } from '../model/instrument';

/**
 * Tickwire subscription API, version 1: the messages on `/api/v1/stream` (docs/api.md). Shared by
 * the gateway (which validates what clients send with a schema) and the SDK (which trusts the
 * gateway and only types what it receives). Prices and sizes are canonical decimal strings.
 */
export const API_VERSION = 1;
export const API_STREAM_PATH = '/api/v1/stream';
/** The WebSocket subprotocol a client offers; a token rides in a second one (`token.<key>`). */
export const API_SUBPROTOCOL = 'tickwire.v1';
export const API_TOKEN_PROTOCOL_PREFIX = 'token.';

export const CHANNELS = ['trades', 'book', 'bbo', 'candles', 'status', 'instruments'] as const;
export type ChannelName = (typeof CHANNELS)[number];

/** Book depth and interval bounds; the gateway may be configured tighter, never wider. */
export const BOOK_DEPTH_MAX = 1000;
export const BOOK_DEPTH_DEFAULT = 20;
export const BOOK_INTERVAL_DEFAULT_MS = 100;
export const BOOK_INTERVAL_MIN_MS = 50;
export const BOOK_INTERVAL_MAX_MS = 5000;

// ---- client → server ----

export interface SubscribeParams {
  /** `book`: levels per side, 1..BOOK_DEPTH_MAX. */
  readonly depth?: number;
  /** `book` and `bbo`: 0 = every verified update, else BOOK_INTERVAL_MIN_MS..BOOK_INTERVAL_MAX_MS. */
  readonly intervalMs?: number;
  /** `candles`: the candle interval. */
  readonly interval?: CandleInterval;
}

export interface SubscribeRequest extends SubscribeParams {
  readonly op: 'subscribe';
  readonly id?: number;
  readonly channel: ChannelName;
  /** `venue:SYMBOL`; absent for `instruments`. */
  readonly instrument?: string;
}

export interface UnsubscribeRequest extends SubscribeParams {
  readonly op: 'unsubscribe';
  readonly id?: number;
  readonly channel: ChannelName;
  readonly instrument?: string;
}

export interface PingRequest {
  readonly op: 'ping';
  readonly id?: number;
}

/**
 * Authenticates a connection opened without a token (when the gateway requires auth): an API key
 * or a ticket from `POST /api/v1/tickets`. Until then only `auth` and `ping` are accepted, and a
 * socket still unauthenticated after a few seconds is closed with 1008.
 */
export interface AuthRequest {
  readonly op: 'auth';
  readonly id?: number;
  readonly token: string;
}

export type ClientMessage = SubscribeRequest | UnsubscribeRequest | PingRequest | AuthRequest;

// ---- server → client: channel payloads ----

export interface WireTrade {
  readonly id: string;
  readonly side: TakerSide;
  readonly price: DecimalString;
  readonly size: DecimalString;
  /** Venue time (µs), null where the venue gives none. */
  readonly time: EpochMicros | null;
  /** When the gateway received it (µs). */
  readonly receiveTime: EpochMicros;
}

/** `book` snapshot: the top `depth` levels, best first. */
export interface WireBook {
  readonly bids: readonly PriceLevel[];
  readonly asks: readonly PriceLevel[];
  /** Venue sequence the book is at, where the venue has one. */
  readonly sequence: number | null;
  readonly venueTime: EpochMicros | null;
  readonly receiveTime: EpochMicros;
}

/**
 * `book` update: the levels of the top-`depth` view that changed since the previous message of
 * the channel; size "0" removes a level from the view. Applying it to the previous view and keeping
 * the best `depth` levels per side gives the gateway's view exactly.
 */
export type WireBookUpdate = WireBook;

export interface WireBbo {
  readonly bid: PriceLevel | null;
  readonly ask: PriceLevel | null;
  readonly venueTime: EpochMicros | null;
  readonly receiveTime: EpochMicros;
}

export type WireCandle = Omit<CandleEvent, 'type' | 'venue' | 'symbol'>;

export interface WireStatus {
  readonly state: FeedState;
  readonly reason: string;
  /** Where the data comes from: a live venue, a replayed recording or the simulated venue. */
  readonly source: FeedSource;
  readonly time: EpochMicros;
}

export type FeedSource = 'live' | 'replay' | 'simulated';

export interface WireInstrument {
  /** `venue:SYMBOL`. */
  readonly instrument: string;
  readonly venue: string;
  readonly symbol: string;
  readonly venueSymbol: string;
  readonly base: string;
  readonly quote: string;
  readonly kind: InstrumentKind;
  readonly tickSize: DecimalString;
  readonly lotSize: DecimalString;
  readonly source: FeedSource;
  /** Channels this instrument serves (stocks have no order book: `bbo` carries their quotes). */
  readonly channels: readonly ChannelName[];
  /**
   * Where tickSize and lotSize come from: the venue's instrument data, the finest increments seen
   * in the first book (announced by an `instruments` update), or not known yet (placeholders).
   */
  readonly increments?: 'venue' | 'observed' | 'unknown';
}

/** Snapshot and update payloads per channel. */
export interface ChannelPayloads {
  trades: { snapshot: readonly WireTrade[]; update: readonly WireTrade[] };
  book: { snapshot: WireBook; update: WireBookUpdate };
  bbo: { snapshot: WireBbo; update: WireBbo };
  /** Snapshot: recent candles oldest first (the open one last); update: one candle. */
  candles: { snapshot: readonly WireCandle[]; update: WireCandle };
  status: { snapshot: WireStatus; update: WireStatus };
  instruments: { snapshot: readonly WireInstrument[]; update: readonly WireInstrument[] };
}

interface ChannelMessageBase<C extends ChannelName> {
  readonly channel: C;
  /** `venue:SYMBOL`; absent for `instruments`. */
  readonly instrument?: string;
  /** Channel parameters that pick this stream (book depth and interval, candle interval). */
  readonly params?: SubscribeParams;
  /**
   * Per-channel sequence: the snapshot carries the channel's current number, every later update on
   * the channel is one more. An update whose seq is not the previous one + 1 means a gap.
   */
  readonly seq: number;
}

export interface SnapshotMessage<C extends ChannelName = ChannelName> extends ChannelMessageBase<C> {
  readonly type: 'snapshot';
  readonly data: ChannelPayloads[C]['snapshot'];
  /** Set when this snapshot replaces updates a slow client could not take. */
  readonly conflated?: true;
  /** How many updates the conflated snapshot replaced. */
  readonly skipped?: number;
}

export interface UpdateMessage<C extends ChannelName = ChannelName> extends ChannelMessageBase<C> {
  readonly type: 'update';
  readonly data: ChannelPayloads[C]['update'];
}

export interface AckMessage {
  readonly type: 'ack';
  readonly id?: number;
  readonly op: 'subscribe' | 'unsubscribe' | 'auth';
  /** Absent for `auth`. */
  readonly channel?: ChannelName;
  readonly instrument?: string;
  readonly params?: SubscribeParams;
}

export interface HeartbeatMessage {
  readonly type: 'heartbeat';
  /** Gateway time, µs. */
  readonly time: EpochMicros;
}

export interface PongMessage {
  readonly type: 'pong';
  readonly id?: number;
  readonly time: EpochMicros;
}

export const ERROR_CODES = [
  'malformed_json',
  'invalid_message',
  'unknown_op',
  'unknown_venue',
  'unknown_instrument',
  'unknown_channel',
  'bad_parameter',
  'too_many_subscriptions',
  'not_subscribed',
  'not_authenticated',
  'bad_token',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorMessage {
  readonly type: 'error';
  readonly id?: number;
  readonly code: ErrorCode;
  readonly message: string;
}

/**
 * First message of a Server-Sent Events stream (`GET /api/v1/sse`): the session's secret id, to
 * which the client posts its requests (`POST /api/v1/sse/{id}`, one client message per request).
 */
export interface SessionMessage {
  readonly type: 'session';
  readonly id: string;
  readonly transport: 'sse';
}

export const API_SSE_PATH = '/api/v1/sse';

export type ServerMessage =
  SessionMessage | SnapshotMessage | UpdateMessage | AckMessage | HeartbeatMessage | PongMessage | ErrorMessage;

/** Close codes the gateway uses (docs/api.md). */
export const CLOSE_CODES = {
  /** Foreign Origin after upgrade, or not authenticated in time. */
  policy: 1008,
  /** A client message larger than the limit. */
  messageTooBig: 1009,
  /** The gateway is shutting down; reconnect. */
  goingAway: 1001,
  /** Client message rate exceeded. */
  rateLimited: 4008,
  /** Slow consumer: unsent data above the hard bound. */
  slowConsumer: 4009,
  /** Too many connections from this address. */
  tooManyConnections: 4029,
} as const;

/** Stable key of a channel stream: the same key, the same bytes to every subscriber. */
export function channelKey(channel: ChannelName, instrument: string | undefined, params: SubscribeParams): string {
  switch (channel) {
    case 'book':
      return `book ${instrument ?? ''} ${params.depth ?? BOOK_DEPTH_DEFAULT} ${params.intervalMs ?? BOOK_INTERVAL_DEFAULT_MS}`;
    case 'bbo':
      return `bbo ${instrument ?? ''} ${params.intervalMs ?? 0}`;
    case 'candles':
      return `candles ${instrument ?? ''} ${params.interval ?? '1m'}`;
    case 'trades':
    case 'status':
      return `${channel} ${instrument ?? ''}`;
    case 'instruments':
      return 'instruments';
  }
}
