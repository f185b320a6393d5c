import type { EpochMicros } from '../model/events';

/** The format name and version every recording's header carries. */
export const RECORDING_FORMAT = 'tickwire-recording';
export const RECORDING_FORMAT_VERSION = 1;

/** First line of every recording file. */
export interface RecordingHeader {
  readonly format: typeof RECORDING_FORMAT;
  readonly version: typeof RECORDING_FORMAT_VERSION;
  /** Venue id (see model/venue.ts); free text is kept for recordings of venues added later. */
  readonly venue: string;
  /** What was subscribed, in the venue's own stream names (e.g. "btcusdt@depth@100ms"). */
  readonly streams: readonly string[];
  /** Receive time of the first entry the file may hold. */
  readonly startTime: EpochMicros;
  /** Program and version that wrote the file, e.g. "tickwire/0.1.0". */
  readonly writer: string;
  /** 0 for the first file of a session, then 1, 2, ... after each rotation. */
  readonly part: number;
}

interface EntryBase {
  /** Local receive (or send) time. */
  readonly time: EpochMicros;
}

/** A WebSocket connection opened; `conn` numbers the connections of one recording session. */
export interface OpenEntry extends EntryBase {
  readonly kind: 'open';
  readonly conn: number;
  readonly url: string;
}

export interface CloseEntry extends EntryBase {
  readonly kind: 'close';
  readonly conn: number;
  /** Close code as the client saw it (1005: none given, 1006: dropped with no close frame); null if unknown. */
  readonly code: number | null;
  readonly reason: string;
}

/**
 * One frame exactly as it crossed the wire: `recv` from the venue, `sent` by us (subscribe,
 * pong, ...). Text frames keep their text; binary frames keep their bytes.
 */
export interface FrameEntry extends EntryBase {
  readonly kind: 'recv' | 'sent';
  readonly conn: number;
  readonly data: string | Uint8Array;
}

/** A REST response that book sync depends on (e.g. a Binance depth snapshot). */
export interface HttpEntry extends EntryBase {
  readonly kind: 'http';
  readonly url: string;
  readonly status: number;
  readonly body: string;
}

export type RecordingEntry = OpenEntry | CloseEntry | FrameEntry | HttpEntry;
export type RecordingEntryKind = RecordingEntry['kind'];
