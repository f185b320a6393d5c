import type { DecimalString, WireCandle } from '@tickwire/feeds';
import { candleBar, chartTime, pricePrecision, volumeBar } from './candle-bars';

const d = (value: string): DecimalString => value as DecimalString;

function candle(open: string, close: string, high = close, low = open): WireCandle {
  return {
    interval: '1s',
    openTime: 1618677817000000,
    closeTime: 1618677818000000,
    open: d(open),
    high: d(high),
    low: d(low),
    close: d(close),
    volume: d('27880'),
    quoteVolume: d('0'),
    tradeCount: 4,
    vwap: d(close),
    closed: true,
    receiveTime: 0,
  };
}

describe('candle bars (the chart boundary)', () => {
  it('times a candle by its open in whole UTC seconds', () => {
    expect(chartTime(candle('1', '2'))).toBe(1618677817);
  });

  it('turns the decimal strings into the chart’s numbers', () => {
    expect(candleBar(candle('0.791', '0.7916', '0.7916', '0.791'))).toEqual({
      time: 1618677817,
      open: 0.791,
      high: 0.7916,
      low: 0.791,
      close: 0.7916,
    });
  });

  it('colours volume by the exact comparison of close and open', () => {
    // Equal beyond float precision: 0.1 + 0.2 style values must not flip the colour.
    const flat = volumeBar(candle('0.30000000000000000001', '0.30000000000000000001'));
    const down = volumeBar(candle('0.30000000000000000002', '0.30000000000000000001'));
    expect(flat.color).not.toBe(down.color);
    expect(flat.value).toBe(27880);
  });

  it('takes the axis precision from the prices', () => {
    expect(pricePrecision([candle('0.791', '0.7916'), candle('1', '2')])).toBe(4);
    expect(pricePrecision([])).toBe(0);
  });
});
