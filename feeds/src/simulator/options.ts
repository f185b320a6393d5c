import type { DecimalString } from '../decimal';
import type { EpochMicros } from '../model';
import type { VolatilityMode } from './regimes';

/** One simulated Binance spot symbol. Decimal settings are strings, never numbers. */
export interface SimulatedSymbolOptions {
  /** Binance symbol, upper case letters and digits: "BTCUSDT". */
  readonly symbol: string;
  /** Derived from a known quote suffix (USDT, USDC, BTC, ...) when omitted. */
  readonly baseAsset?: string;
  readonly quoteAsset?: string;
  /** Price increment, at most 8 decimals (Binance's precision): "0.01". */
  readonly tickSize: string;
  /** Quantity increment, at most 8 decimals: "0.00001". */
  readonly lotSize: string;
  /** Initial fair price, a multiple of tickSize: "60000". */
  readonly startPrice: string;
  /** Relative share of the message rate (default 1). */
  readonly activity?: number;
}

export interface SimulatedVenueOptions {
  /** 32-bit unsigned seed (default 1). Same seed and options give byte-identical frames. */
  readonly seed?: number;
  /** Simulated time of the first instant, epoch microseconds (default 2024-01-01T00:00:00Z). */
  readonly startTime?: EpochMicros;
  /** Target frames per simulated second across all symbols and streams (default 1000). */
  readonly messagesPerSecond?: number;
  /** Configured symbols (default BTCUSDT and ETHUSDT; an empty list is allowed with generated ones). */
  readonly symbols?: readonly SimulatedSymbolOptions[];
  /** Additional generated symbols SIM001USDT, SIM002USDT, ... (default 0). */
  readonly generatedSymbols?: number;
  /** Levels per book side the model maintains (default 200, 5 to 5000). */
  readonly bookLevels?: number;
  /** Volatility regimes: `switching` (default) or one regime for the whole run. */
  readonly volatility?: VolatilityMode;
}

export class SimulatorOptionsError extends Error {
  override readonly name = 'SimulatorOptionsError';
}

/** 2024-01-01T00:00:00Z in epoch microseconds. */
export const DEFAULT_START_TIME: EpochMicros = Date.UTC(2024, 0, 1) * 1000;

export const DEFAULT_SYMBOLS: readonly SimulatedSymbolOptions[] = [
  { symbol: 'BTCUSDT', tickSize: '0.01', lotSize: '0.00001', startPrice: '60000', activity: 2 },
  { symbol: 'ETHUSDT', tickSize: '0.01', lotSize: '0.0001', startPrice: '3000', activity: 1.5 },
];

/** A symbol after validation: canonical decimals plus their exact integer forms. */
export interface SymbolSpec {
  /** Position in the symbol list; also picks the symbol's random stream. */
  readonly index: number;
  readonly symbol: string;
  /** Lower-case symbol, the prefix of its stream names ("btcusdt@trade"). */
  readonly streamSymbol: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly tickSize: DecimalString;
  readonly lotSize: DecimalString;
  readonly startPrice: DecimalString;
  readonly activity: number;
  /** tickSize in units of 1e-8. */
  readonly tickUnits: number;
  /** lotSize in units of 1e-8. */
  readonly lotUnits: number;
  /** startPrice in ticks. */
  readonly startTicks: number;
}

export interface SimulatorConfig {
  readonly seed: number;
  readonly startTime: EpochMicros;
  readonly messagesPerSecond: number;
  readonly bookLevels: number;
  readonly volatility: VolatilityMode;
  readonly symbols: readonly SymbolSpec[];
}
