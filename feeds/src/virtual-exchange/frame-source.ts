import type { EpochMicros } from '../model/events';

/** One frame as a venue would send it, tagged with the stream a client must subscribe to get it. */
export interface VenueFrame {
  /** When the venue sends it (for a recording: the recorded receive time). */
  readonly time: EpochMicros;
  /** The venue dialect's stream key, e.g. "btcusdt@depth@100ms", "book:XBT/USD", "books:BTC-USDT". */
  readonly stream: string;
  /**
   * The frame text as one raw, single connection would receive it; parts that belong to a
   * connection (Binance's combined-stream envelope, Bitfinex's SEQ_ALL number) are added per
   * connection by the dialect.
   */
  readonly data: string;
}

/** A REST response served by the virtual exchange (e.g. Binance's /api/v3/depth). */
export interface VenueHttpResponse {
  readonly status: number;
  readonly body: string;
  readonly contentType?: string;
}

/**
 * What the virtual exchange serves: a time-ordered series of venue frames (a recording, or the
 * simulated market, which never ends) plus REST answers as of a point in that series' time.
 */
export interface FrameSource {
  /** The venue dialect these frames are in (e.g. "binance", "kraken", "okx"). */
  readonly venue: string;
  /** Frames in time order. Each call starts a new pass from the beginning. */
  frames(): AsyncIterable<VenueFrame>;
  /**
   * Answers a REST request as the venue would at `now` (the exchange's position in the series),
   * or undefined for an unknown path (the exchange then answers 404 as the venue does).
   */
  http?(url: URL, now: EpochMicros): VenueHttpResponse | undefined;
}
