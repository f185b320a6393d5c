import { describe, expect, it } from 'vitest';
import { DEFAULT_START_TIME, SimulatorOptionsError } from './options';
import { resolveSimulatorOptions } from './resolve-options';
import { createSimulatedVenue } from './simulated-venue';

const BTC = { symbol: 'BTCUSDT', tickSize: '0.01', lotSize: '0.00001', startPrice: '60000' };

describe('resolveSimulatorOptions', () => {
  it('fills defaults: seed 1, 2024-01-01, 1000 msgs/s, BTCUSDT and ETHUSDT, 200 levels, switching', () => {
    const config = resolveSimulatorOptions();
    expect(config).toMatchObject({
      seed: 1,
      startTime: DEFAULT_START_TIME,
      messagesPerSecond: 1000,
      bookLevels: 200,
      volatility: 'switching',
    });
    expect(new Date(config.startTime / 1000).toISOString()).toBe('2024-01-01T00:00:00.000Z');
    expect(config.symbols.map((spec) => spec.symbol)).toEqual(['BTCUSDT', 'ETHUSDT']);
    expect(config.symbols[0]).toMatchObject({
      streamSymbol: 'btcusdt',
      baseAsset: 'BTC',
      quoteAsset: 'USDT',
      tickSize: '0.01',
      tickUnits: 1_000_000,
      lotUnits: 1000,
      startTicks: 6_000_000,
    });
  });

  it('canonicalizes decimal settings and derives assets from known quote suffixes', () => {
    const config = resolveSimulatorOptions({
      symbols: [
        { symbol: 'ETHBTC', tickSize: '0.000010', lotSize: '0.0001000', startPrice: '0.05200' },
        { symbol: 'XYZ1ABC', baseAsset: 'XYZ1', quoteAsset: 'ABC', tickSize: '1', lotSize: '1', startPrice: '500' },
      ],
    });
    expect(config.symbols[0]).toMatchObject({
      baseAsset: 'ETH',
      quoteAsset: 'BTC',
      tickSize: '0.00001',
      startTicks: 5200,
    });
    expect(config.symbols[1]).toMatchObject({ baseAsset: 'XYZ1', quoteAsset: 'ABC', tickUnits: 100_000_000 });
  });

  it('generates SIMnnnUSDT symbols from the seed alone', () => {
    const config = resolveSimulatorOptions({ symbols: [], generatedSymbols: 12, seed: 77 });
    expect(config.symbols.map((spec) => spec.symbol).slice(0, 3)).toEqual(['SIM001USDT', 'SIM002USDT', 'SIM003USDT']);
    expect(config.symbols[11]?.symbol).toBe('SIM012USDT');
    expect(resolveSimulatorOptions({ symbols: [], generatedSymbols: 12, seed: 77 })).toEqual(config);
    expect(resolveSimulatorOptions({ symbols: [], generatedSymbols: 12, seed: 78 }).symbols).not.toEqual(
      config.symbols,
    );
    for (const spec of config.symbols) {
      expect(spec.startTicks).toBeGreaterThanOrEqual(10_000);
      expect(spec.startTicks).toBeLessThan(100_000);
    }
  });

  it.each([
    [{ colour: 'red' }, /unknown option "colour"/],
    [{ seed: -1 }, /seed must be an integer from 0 to 4294967295/],
    [{ seed: 1.5 }, /seed must be an integer/],
    [{ seed: '7' }, /seed must be an integer/],
    [{ startTime: -5 }, /startTime must be an integer/],
    [{ messagesPerSecond: 0 }, /messagesPerSecond must be a number > 0/],
    [{ messagesPerSecond: -10 }, /messagesPerSecond must be a number > 0/],
    [{ messagesPerSecond: Number.NaN }, /messagesPerSecond must be a number > 0/],
    [{ messagesPerSecond: Infinity }, /messagesPerSecond must be a number > 0/],
    [{ bookLevels: 2 }, /bookLevels must be an integer from 5 to 5000/],
    [{ bookLevels: 6000 }, /bookLevels must be an integer from 5 to 5000/],
    [{ generatedSymbols: -1 }, /generatedSymbols must be an integer/],
    [{ volatility: 'wild' }, /volatility must be one of switching, calm, normal, volatile/],
    [{ symbols: 'BTCUSDT' }, /symbols must be an array/],
    [{ symbols: [] }, /no symbols/],
    [{ symbols: [BTC, BTC] }, /duplicate symbol BTCUSDT/],
    [{ symbols: [{ ...BTC, precision: 2 }] }, /symbols\[0\]: unknown option "precision"/],
    [{ symbols: [{ ...BTC, symbol: 'btcusdt' }] }, /symbols\[0\]\.symbol must be 2-20 upper-case/],
    [{ symbols: [{ ...BTC, tickSize: '0' }] }, /symbols\[0\]\.tickSize must be positive, got "0"/],
    [{ symbols: [{ ...BTC, tickSize: '-0.01' }] }, /tickSize must be positive/],
    [{ symbols: [{ ...BTC, tickSize: 0.01 }] }, /tickSize must be a decimal string such as "0.01"/],
    [{ symbols: [{ ...BTC, tickSize: 'abc' }] }, /tickSize is not a decimal number/],
    [{ symbols: [{ ...BTC, tickSize: '0.000000001' }] }, /more than 8 decimal places/],
    [{ symbols: [{ ...BTC, lotSize: '0' }] }, /lotSize must be positive/],
    [{ symbols: [{ ...BTC, lotSize: '1000000' }] }, /lotSize 1000000 is too large/],
    [{ symbols: [{ ...BTC, startPrice: '60000.005' }] }, /startPrice 60000.005 is not a multiple of tickSize 0.01/],
    [{ symbols: [{ ...BTC, startPrice: '0.05' }] }, /at least 10 ticks/],
    [{ symbols: [{ ...BTC, startPrice: '50000000' }] }, /startPrice 50000000 is too large/],
    [{ symbols: [{ ...BTC, activity: 0 }] }, /activity must be a number > 0/],
    [{ symbols: [{ ...BTC, symbol: 'FOOBAR' }] }, /cannot tell the quote asset of FOOBAR/],
    [{ symbols: [{ ...BTC, baseAsset: 'ETH', quoteAsset: 'USDT' }] }, /must spell the symbol BTCUSDT/],
    [{ symbols: [BTC], generatedSymbols: 1.5 }, /generatedSymbols must be an integer/],
  ])('rejects %j', (options, message) => {
    expect(() => resolveSimulatorOptions(options)).toThrow(SimulatorOptionsError);
    expect(() => resolveSimulatorOptions(options)).toThrow(message);
  });

  it('rejects a non-object, and createSimulatedVenue validates too', () => {
    expect(() => resolveSimulatorOptions(null)).toThrow(/options must be an object/);
    expect(() => resolveSimulatorOptions([])).toThrow(/options must be an object/);
    expect(() => createSimulatedVenue({ messagesPerSecond: 0 })).toThrow(SimulatorOptionsError);
  });
});
