import { describe, expect, it } from 'vitest';
import { defineInstrument, InstrumentError, instrumentKey, normalizeSymbol, parseNormalizedSymbol } from './instrument';
import { isVenueId } from './venue';

describe('instruments', () => {
  it('normalizes symbols to BASE-QUOTE in upper case', () => {
    expect(normalizeSymbol('btc', 'usdt')).toBe('BTC-USDT');
    expect(normalizeSymbol('AAPL', 'USD')).toBe('AAPL-USD');
    expect(parseNormalizedSymbol('ETH-BTC')).toEqual({ base: 'ETH', quote: 'BTC' });
  });

  it.each([
    ['', 'USD'],
    ['BTC/', 'USD'],
    ['BTC', 'U SD'],
    ['B'.repeat(21), 'USD'],
  ])('rejects asset codes %j / %j', (base, quote) => {
    expect(() => normalizeSymbol(base, quote)).toThrow(InstrumentError);
  });

  it.each(['BTCUSDT', 'BTC-', '-USD', 'btc-usd', 'BTC-USD-PERP'])('rejects %j as a normalized symbol', (symbol) => {
    expect(() => parseNormalizedSymbol(symbol)).toThrow(InstrumentError);
  });

  it('defines an instrument with exact tick and lot sizes', () => {
    const instrument = defineInstrument({
      venue: 'binance',
      venueSymbol: 'SHIBUSDT',
      base: 'shib',
      quote: 'usdt',
      kind: 'spot',
      tickSize: '0.00000001000',
      lotSize: '1.00',
    });
    expect(instrument).toEqual({
      venue: 'binance',
      venueSymbol: 'SHIBUSDT',
      symbol: 'SHIB-USDT',
      base: 'SHIB',
      quote: 'USDT',
      kind: 'spot',
      tickSize: '0.00000001',
      lotSize: '1',
    });
    expect(instrumentKey(instrument)).toBe('binance:SHIB-USDT');
  });

  it.each([
    ['0', '1', /tickSize must be positive/],
    ['0.01', '-1', /lotSize must be positive/],
    ['abc', '1', /invalid decimal/],
  ])('rejects tick %j lot %j', (tickSize, lotSize, message) => {
    expect(() =>
      defineInstrument({
        venue: 'kraken',
        venueSymbol: 'XBT/USD',
        base: 'BTC',
        quote: 'USD',
        kind: 'spot',
        tickSize,
        lotSize,
      }),
    ).toThrow(message);
  });

  it('knows its venues', () => {
    expect(isVenueId('okx')).toBe(true);
    expect(isVenueId('ftx')).toBe(false);
    expect(isVenueId(42)).toBe(false);
  });
});
