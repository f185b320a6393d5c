import type { DecimalString, WireCandle } from '@tickwire/feeds';
import { DAY_MICROS, sessionChange } from './candle-change';

const HOUR = 3_600_000_000;

function candle(openTime: number, open: string, close: string, volume: string, high = close, low = open): WireCandle {
  return {
    interval: '1h',
    openTime,
    closeTime: openTime + HOUR,
    open: open as DecimalString,
    high: high as DecimalString,
    low: low as DecimalString,
    close: close as DecimalString,
    volume: volume as DecimalString,
    quoteVolume: '0' as DecimalString,
    tradeCount: 1,
    vwap: close as DecimalString,
    closed: false,
    receiveTime: openTime,
  };
}

describe('sessionChange', () => {
  it('is undefined without candles', () => {
    expect(sessionChange([])).toBeUndefined();
  });

  it('compares the last close with the open 24 h before, exactly', () => {
    const candles = [
      candle(0, '50', '60', '1'), // more than 24 h before the last close: outside the window
      candle(HOUR, '100', '101', '0.1'),
      ...Array.from({ length: 22 }, (_, index) => candle((index + 2) * HOUR, '101', '101', '0.1')),
      candle(24 * HOUR, '101', '100.3', '0.1', '102', '99.5'),
    ];
    const change = sessionChange(candles)!;
    expect(change.open).toBe('100');
    expect(change.last).toBe('100.3');
    expect(change.change).toBe('0.3');
    expect(change.changePercent).toBe('0.3');
    expect(change.direction).toBe('up');
    // 24 candles of 0.1: exactly 2.4, not 2.4000000000000004.
    expect(change.volume).toBe('2.4');
    expect(change.high).toBe('102');
    expect(change.low).toBe('99.5');
    expect(change.from).toBe(HOUR);
    expect(change.to).toBe(25 * HOUR);
    expect(change.to - change.from).toBe(DAY_MICROS);
  });

  it('uses the whole session when the candles cover less than a day', () => {
    const change = sessionChange([candle(0, '0.791', '0.7916', '27880'), candle(HOUR, '0.7916', '0.7902', '6635.3')])!;
    expect(change.open).toBe('0.791');
    expect(change.change).toBe('-0.0008');
    // -0.0008 / 0.791 × 100 = -0.10113... → -0.1 (half-even at 2 places)
    expect(change.changePercent).toBe('-0.1');
    expect(change.direction).toBe('down');
    expect(change.volume).toBe('34515.3');
  });

  it('says flat, and has no percentage over a zero open', () => {
    expect(sessionChange([candle(0, '5', '5', '1')])!.direction).toBe('flat');
    expect(sessionChange([candle(0, '0', '1', '1')])!.changePercent).toBeUndefined();
  });
});
