import {
  type DecimalString,
  type EpochMicros,
  ExactSum,
  type WireCandle,
  compareDecimals,
  divideDecimals,
  isZeroDecimal,
  multiplyDecimals,
  subtractDecimals,
} from '@tickwire/feeds';

export const DAY_MICROS = 86_400_000_000;

/** A watchlist row's numbers: the last price against the window's first open, exactly. */
export interface SessionChange {
  readonly last: DecimalString;
  readonly open: DecimalString;
  /** last − open. */
  readonly change: DecimalString;
  /** (last − open) / open × 100, rounded half-even to 2 places; undefined when open is 0. */
  readonly changePercent: DecimalString | undefined;
  readonly direction: 'up' | 'down' | 'flat';
  /** Base volume traded in the window. */
  readonly volume: DecimalString;
  readonly high: DecimalString;
  readonly low: DecimalString;
  /** Open time of the window's first candle and close time of its last. */
  readonly from: EpochMicros;
  readonly to: EpochMicros;
}

/**
 * The change over the last 24 h of candle time (or the whole session, when the candles cover less:
 * a replay or a gateway that started recently), computed from candles oldest first. The window is
 * measured back from the last candle's close, not from the wall clock, so a replayed day reads as
 * that day did.
 */
export function sessionChange(
  candles: readonly WireCandle[],
  windowMicros: number = DAY_MICROS,
): SessionChange | undefined {
  const last = candles[candles.length - 1];
  if (last === undefined) return undefined;
  const since = last.closeTime - windowMicros;
  let first = candles.length - 1;
  while (first > 0 && (candles[first - 1] as WireCandle).openTime >= since) first--;
  const volume = new ExactSum();
  let high = last.high;
  let low = last.low;
  for (let index = first; index < candles.length; index++) {
    const candle = candles[index] as WireCandle;
    volume.add(candle.volume);
    if (compareDecimals(candle.high, high) > 0) high = candle.high;
    if (compareDecimals(candle.low, low) < 0) low = candle.low;
  }
  const open = (candles[first] as WireCandle).open;
  const change = subtractDecimals(last.close, open);
  const order = compareDecimals(last.close, open);
  return {
    last: last.close,
    open,
    change,
    changePercent: isZeroDecimal(open)
      ? undefined
      : divideDecimals(multiplyDecimals(change, '100' as DecimalString), open, 2),
    direction: order > 0 ? 'up' : order < 0 ? 'down' : 'flat',
    volume: volume.value(),
    high,
    low,
    from: (candles[first] as WireCandle).openTime,
    to: last.closeTime,
  };
}
