import { fromScaledUnits } from '../decimal';
import type { SimulatedSymbolOptions } from './options';
import type { SimRandom } from './random';

/** Name of the n-th generated symbol (1-based): SIM001USDT, SIM002USDT, ..., SIM1000USDT. */
export function generatedSymbolName(n: number): string {
  return `SIM${String(n).padStart(3, '0')}USDT`;
}

/**
 * Settings of `count` generated symbols, drawn from `random` (its own stream, so they depend only
 * on the seed). Prices span 0.1 to 10,000 with about 10^4 to 10^5 ticks per price and a lot worth
 * about 0.01 USDT, like typical Binance listings. Decimal strings come from exact scaled integers.
 */
export function generatedSymbols(count: number, random: SimRandom): SimulatedSymbolOptions[] {
  const symbols: SimulatedSymbolOptions[] = [];
  for (let n = 1; n <= count; n++) {
    // Price = mantissa × 10^(exponent − 4) with mantissa in [10000, 99999]: tick 10^(exponent − 4).
    const exponent = random.int(-1, 3);
    const mantissa = random.int(10_000, 99_999);
    const tickPlaces = 4 - exponent;
    const lotPlaces = Math.min(8, 2 + exponent);
    symbols.push({
      symbol: generatedSymbolName(n),
      baseAsset: `SIM${String(n).padStart(3, '0')}`,
      quoteAsset: 'USDT',
      tickSize: fromScaledUnits(1n, tickPlaces),
      lotSize: fromScaledUnits(1n, lotPlaces),
      startPrice: fromScaledUnits(BigInt(mantissa), tickPlaces),
      activity: random.int(20, 100) / 100,
    });
  }
  return symbols;
}
