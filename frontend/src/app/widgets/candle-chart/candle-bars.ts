import { type CandleInterval, type WireCandle, compareDecimals, decimalPlaces } from '@tickwire/feeds';
import type { CandlestickData, HistogramData, UTCTimestamp } from 'lightweight-charts';

export const CHART_INTERVALS: readonly CandleInterval[] = ['1s', '1m', '5m', '15m', '1h', '4h', '1d'];

const UP = '#26a69a';
const DOWN = '#ef5350';
const UP_VOLUME = 'rgba(38, 166, 154, 0.45)';
const DOWN_VOLUME = 'rgba(239, 83, 80, 0.45)';

/** The chart's time of a candle: its open, in whole UTC seconds (candles are second-aligned). */
export function chartTime(candle: WireCandle): UTCTimestamp {
  return Math.floor(candle.openTime / 1_000_000) as UTCTimestamp;
}

/*
 * The chart/pixel boundary: lightweight-charts draws numbers, so the candle's decimal strings
 * become floats here and only here. Every value the trader reads (legend, crosshair) is shown from
 * the wire's exact strings, not from these floats.
 */
export function candleBar(candle: WireCandle): CandlestickData<UTCTimestamp> {
  return {
    time: chartTime(candle),
    open: Number(candle.open),
    high: Number(candle.high),
    low: Number(candle.low),
    close: Number(candle.close),
  };
}

export function volumeBar(candle: WireCandle): HistogramData<UTCTimestamp> {
  // Up or down is decided exactly on the strings; only the bar height is a float.
  const up = compareDecimals(candle.close, candle.open) >= 0;
  return { time: chartTime(candle), value: Number(candle.volume), color: up ? UP_VOLUME : DOWN_VOLUME };
}

/** Price precision of the chart's axis: the most decimal places among the candles' prices. */
export function pricePrecision(candles: readonly WireCandle[]): number {
  let places = 0;
  for (let index = Math.max(0, candles.length - 200); index < candles.length; index++) {
    const candle = candles[index] as WireCandle;
    places = Math.max(
      places,
      decimalPlaces(candle.open),
      decimalPlaces(candle.high),
      decimalPlaces(candle.low),
      decimalPlaces(candle.close),
    );
  }
  return Math.min(places, 12);
}

export const CANDLE_COLORS = { up: UP, down: DOWN } as const;
