import type { DecimalString, WireCandle } from '@tickwire/feeds';
import { mergeCandles, upsertCandle } from './candle-merge';

function candle(openTime: number, close: string, tradeCount = 1, closed = false, receiveTime = openTime): WireCandle {
  const price = close as DecimalString;
  return {
    interval: '1s',
    openTime,
    closeTime: openTime + 1,
    open: price,
    high: price,
    low: price,
    close: price,
    volume: '1' as DecimalString,
    quoteVolume: price,
    tradeCount,
    vwap: price,
    closed,
    receiveTime,
  };
}

describe('candle merging', () => {
  it('upserts by open time, in order, keeping the newest', () => {
    const candles = [candle(1, '1'), candle(2, '2')];
    upsertCandle(candles, candle(2, '2.5', 2));
    upsertCandle(candles, candle(3, '3'));
    upsertCandle(candles, candle(0, '0'), 3);
    expect(candles.map((c) => [c.openTime, c.close])).toEqual([
      [1, '1'],
      [2, '2.5'],
      [3, '3'],
    ]);
  });

  it('does not let an older value of a candle replace a newer one', () => {
    const candles = [candle(1, '1.5', 3, true)];
    upsertCandle(candles, candle(1, '1', 1, false, 99));
    expect(candles[0]?.close).toBe('1.5');
  });

  it('merges REST history with the channel snapshot, the newer value of each candle winning', () => {
    const rest = [candle(1, '1', 1, true), candle(2, '2', 1)];
    const snapshot = [candle(2, '2.2', 4), candle(3, '3', 1)];
    expect(mergeCandles(rest, snapshot).map((c) => [c.openTime, c.close])).toEqual([
      [1, '1'],
      [2, '2.2'],
      [3, '3'],
    ]);
    expect(mergeCandles(snapshot, rest).map((c) => c.close)).toEqual(['1', '2.2', '3']);
  });
});
