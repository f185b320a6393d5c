import type { CandleInterval, EpochMicros, TradeEvent } from '../model';

const SECOND = 1_000_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Length of each candle interval in microseconds. */
export const INTERVAL_MICROS: Readonly<Record<CandleInterval, number>> = {
  '1s': SECOND,
  '1m': MINUTE,
  '5m': 5 * MINUTE,
  '15m': 15 * MINUTE,
  '1h': HOUR,
  '4h': 4 * HOUR,
  '1d': 24 * HOUR,
};

/**
 * Latest time a candle accepts. Leaves one day of headroom below 2^53 so that a bucket's end
 * (start + duration) and the close deadline stay exact integers.
 */
export const MAX_CANDLE_TIME: EpochMicros = Number.MAX_SAFE_INTEGER - 2 * INTERVAL_MICROS['1d'];

export function intervalMicros(interval: CandleInterval): number {
  return INTERVAL_MICROS[interval];
}

/** True for an integer time in [0, MAX_CANDLE_TIME]: the only times the candle builder accepts. */
export function isCandleTime(time: EpochMicros): boolean {
  return Number.isSafeInteger(time) && time >= 0 && time <= MAX_CANDLE_TIME;
}

/**
 * Start of the interval containing `time`. Unix time has no leap seconds and its epoch is midnight
 * UTC, so flooring to a multiple of the duration aligns days to 00:00 UTC and 4h to 00, 04, 08...
 * Uses `%` rather than Math.floor(time / duration): `%` on integers below 2^53 is exact, while the
 * division is rounded and can land on the next integer just before a boundary.
 */
export function bucketStart(time: EpochMicros, interval: CandleInterval): EpochMicros {
  const duration = INTERVAL_MICROS[interval];
  const remainder = time % duration;
  return time - (remainder < 0 ? remainder + duration : remainder);
}

/** Exclusive end of the interval containing `time`. */
export function bucketEnd(time: EpochMicros, interval: CandleInterval): EpochMicros {
  return bucketStart(time, interval) + INTERVAL_MICROS[interval];
}

/**
 * The time a trade counts at: the venue's time of the trade when it sends one (the same clock for
 * every client, so candles match the venue's own), else the time Tickwire received it.
 */
export function candleTimeOf(trade: Pick<TradeEvent, 'venueTime' | 'receiveTime'>): EpochMicros {
  return trade.venueTime ?? trade.receiveTime;
}
