import { type DecimalString, ZERO } from '../decimal';
import type { CandleEvent, EpochMicros } from '../model';
import type { CandleSeries } from './open-candle';

/**
 * Closed candle of an interval without trades, as Binance klines show it: every price is the
 * previous close, volumes and count are zero, and the VWAP is the close.
 */
export function flatCandle(
  series: CandleSeries,
  openTime: EpochMicros,
  closeTime: EpochMicros,
  previousClose: DecimalString,
  receiveTime: EpochMicros,
): CandleEvent {
  return {
    type: 'candle',
    venue: series.venue,
    symbol: series.symbol,
    receiveTime,
    interval: series.interval,
    openTime,
    closeTime,
    open: previousClose,
    high: previousClose,
    low: previousClose,
    close: previousClose,
    volume: ZERO,
    quoteVolume: ZERO,
    tradeCount: 0,
    vwap: previousClose,
    closed: true,
  };
}
