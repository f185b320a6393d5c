import type { Buffer } from 'node:buffer';
import type { EpochMicros } from '../model/events';
import type { HttpEntry } from '../recording/recording-entry';
import type { VenueFrame, VenueHttpResponse } from './frame-source';
import type { TimerSet } from './timer-set';

/**
 * A venue's WebSocket protocol as the virtual exchange speaks it. One instance serves one exchange:
 * reading a recording through `classifyRecorded` teaches it the recorded streams and the ids the
 * venue assigned (Kraken channelID, Bitfinex chanId, ...), which its replies then reuse. A dialect
 * that has read no recording offers every well-formed stream (the simulator's case).
 */
export interface Dialect {
  /** Venue id, e.g. "binance", "kraken". */
  readonly venue: string;
  /**
   * Sorts one frame a venue sent (as recorded) into data of a stream, or a control frame the
   * dialect regenerates itself (acks, heartbeats, status, pongs), or one it cannot place.
   */
  classifyRecorded(text: string, context: RecordedFrameContext): ClassifiedFrame;
  /** Answers a REST request from the recorded responses, as of exchange time `now`. */
  recordedHttp?(url: URL, entries: readonly HttpEntry[], now: EpochMicros): VenueHttpResponse | undefined;
  /**
   * Learns the recorded REST responses (sorted by time) once the recording has been read: Binance
   * seeds its live depth books from the recorded depth snapshots.
   */
  learnRecordedHttp?(entries: readonly HttpEntry[]): void;
  /** Whether `url` is one of the venue's WebSocket endpoints (else the upgrade gets HTTP 404). */
  acceptsPath(url: URL): boolean;
  /** Starts the protocol for one accepted connection. */
  openSession(url: URL, io: SessionIo): DialectSession;
  /** Returns `text` with its checksum field changed, or undefined when the frame carries none. */
  corruptChecksum?(text: string): string | undefined;
  /**
   * Sees every frame the exchange publishes, before per-connection filtering and faults: the
   * dialect keeps the venue's current state (books) from it, as the venue itself would.
   */
  observe?(frame: VenueFrame): void;
}

export interface RecordedFrameContext {
  /** URL of the recorded connection the frame arrived on, when the recording names it. */
  readonly url: string | undefined;
}

export type ClassifiedFrame =
  | { readonly kind: 'data'; readonly stream: string; readonly data: string }
  | { readonly kind: 'control' }
  | { readonly kind: 'unknown'; readonly reason: string };

/** The protocol state of one client connection. */
export interface DialectSession {
  /** The connection is open: send any greeting (Kraken systemStatus, Bitfinex info), start timers. */
  open(): void;
  /** A text message from the client. Must answer malformed input with the venue's error reply. */
  message(text: string): void;
  /** The frame text this connection receives for `frame`, whose stream it has subscribed. */
  render(frame: VenueFrame): string | undefined;
  /** A WebSocket pong frame from the client. */
  pong?(payload: Buffer): void;
  /** A WebSocket ping frame from the client (counted by venues with message-rate limits). */
  clientPing?(): void;
}

export type SendKind = 'reply' | 'keepalive';

/** What a dialect session may do with its connection. */
export interface SessionIo {
  /** 1-based ordinal of the connection within the exchange. */
  readonly connectionId: number;
  /** Streams the connection receives frames of. */
  readonly subscriptions: ReadonlySet<string>;
  /** True while a stall fault holds the connection: send no keepalives, pings or heartbeats. */
  readonly stalled: boolean;
  /** Timers of this connection, cleared when it ends. */
  readonly timers: TimerSet;
  subscribe(stream: string): void;
  unsubscribe(stream: string): void;
  /** Queues a text frame behind any data already queued (delays and stalls keep the order). */
  send(text: string, kind: SendKind): void;
  /**
   * Sends a data frame of `stream` the session made itself (a fresh book snapshot for a late
   * subscriber). Faults apply to it as to published frames. `data` is the frame in its published
   * form, `text` what this connection receives (default `data`; e.g. with Bitfinex's SEQ_ALL number).
   */
  sendData(stream: string, data: string, text?: string): void;
  /** Sends a WebSocket ping frame. */
  ping(payload: Buffer): void;
  close(code: number, reason: string): void;
  /** Counts a malformed or unknown client message. */
  rejected(): void;
  /** The exchange's position in the source's time. */
  now(): EpochMicros;
  /** Monotonic wall time (ms) of the last frame written to the socket, or of the opening. */
  lastSentAt(): number;
  /** Monotonic wall time in ms. */
  clock(): number;
}
