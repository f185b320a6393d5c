import type { EpochMicros, MarketEvent } from '../model/events';
import type { Instrument, NormalizedSymbol } from '../model/instrument';
import type { VenueId } from '../model/venue';

/**
 * The contract every venue adapter implements. An adapter is pure protocol logic: it never opens
 * sockets, reads clocks or sets timers. The connection manager drives it in live use, and replay
 * drives the very same code from recorded frames, which is what makes replay trustworthy.
 */

/** What a consumer wants from one instrument. */
export type ChannelKind = 'trades' | 'book' | 'bbo';

export interface UpstreamSubscription {
  readonly symbol: NormalizedSymbol;
  readonly channel: ChannelKind;
}

/** How a frame was accounted for: every frame gets exactly one outcome, so nothing is lost silently. */
export type FrameOutcome = 'parsed' | 'ignored' | 'rejected';

/** A REST request the session wants made (e.g. a depth snapshot); the answer goes to handleHttp. */
export interface HttpRequest {
  readonly url: string;
  /** What it is for, e.g. "snapshot BTC-USDT"; for logs and metrics. */
  readonly purpose: string;
}

/** Where a session puts what it produces; one sink per connection. */
export interface SessionSink {
  /** A normalized, verified event. */
  event(event: MarketEvent): void;
  /** A text message for the upstream socket (subscribe, pong, resubscribe for a resync). */
  send(text: string): void;
  /** A REST request to make. In replay it is not made: the recorded response arrives instead. */
  request(request: HttpRequest): void;
  /**
   * Exactly once per frame given to handleFrame: `kind` names what it was ("depthUpdate",
   * "heartbeat", "subscribe ack") for `parsed`/`ignored`, and the reason for `rejected`.
   */
  account(outcome: FrameOutcome, kind: string): void;
  /**
   * The venue announced it will close this connection (Binance `serverShutdown`): the manager opens
   * the replacement connection before this one goes, so consumers see no gap.
   */
  replaceConnection(reason: string): void;
}

/** The protocol state of one upstream connection (book sync, checksums, sequence checks, ...). */
export interface VenueSession {
  /** The socket is open: send the subscriptions, request what book sync needs. */
  open(time: EpochMicros): void;
  /** One text frame exactly as received. Never throws: bad frames are accounted as rejected. */
  handleFrame(text: string, receiveTime: EpochMicros): void;
  /** A REST response (requested by this session, or recorded). Never throws. */
  handleHttp(url: string, status: number, body: string, receiveTime: EpochMicros): void;
  /** The socket closed: books are no longer live; status events say so. */
  close(time: EpochMicros, reason: string): void;
  /** Changes the wanted set on the live connection (messages go through the sink). */
  subscribe(subscriptions: readonly UpstreamSubscription[]): void;
  unsubscribe(subscriptions: readonly UpstreamSubscription[]): void;
}

/** Liveness rules of a venue, applied by the connection manager. */
export interface HeartbeatPolicy {
  /** Send this text every `intervalMs` when nothing was sent (OKX "ping"), if the venue wants it. */
  readonly clientPing?: { readonly text: string; readonly intervalMs: number };
  /** The venue sends something (data, heartbeat or ping) at least this often when healthy. */
  readonly expectedIntervalMs: number;
}

export interface VenueAdapter {
  readonly venue: VenueId;
  /** WebSocket URL to connect to for these subscriptions. */
  url(subscriptions: readonly UpstreamSubscription[]): string;
  /** Most subscriptions one connection may carry (the manager opens more connections beyond it). */
  readonly maxSubscriptionsPerConnection: number;
  readonly heartbeat: HeartbeatPolicy;
  /**
   * Most messages a client may send per second on one connection (Binance spot 5, futures 10);
   * the connection manager queues sends beyond it. Undefined: no documented limit.
   */
  readonly maxMessagesPerSecond?: number;
  /** The venue closes connections after this long (Binance: 24 h); the manager replaces them before. */
  readonly maxConnectionLifetimeMs?: number;
  /** Instruments this adapter knows, by normalized symbol. */
  instrument(symbol: NormalizedSymbol): Instrument | undefined;
  createSession(subscriptions: readonly UpstreamSubscription[], sink: SessionSink): VenueSession;
}
