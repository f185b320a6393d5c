import {
  decimalPlaces,
  type DecimalString,
  isNegativeDecimal,
  isZeroDecimal,
  toScaledUnits,
  tryDecimal,
} from '../decimal';
import { BINANCE_DECIMALS } from './fixed8';
import { generatedSymbols } from './generated-symbols';
import {
  DEFAULT_START_TIME,
  DEFAULT_SYMBOLS,
  type SimulatorConfig,
  SimulatorOptionsError,
  type SymbolSpec,
} from './options';
import { SimRandom } from './random';
import { VOLATILITY_MODES, type VolatilityMode } from './regimes';
import { MAX_SIZE_GROWTH, maxModelTick } from './symbol-model';

const VENUE_OPTION_KEYS = [
  'seed',
  'startTime',
  'messagesPerSecond',
  'symbols',
  'generatedSymbols',
  'bookLevels',
  'volatility',
] as const;
const SYMBOL_OPTION_KEYS = [
  'symbol',
  'baseAsset',
  'quoteAsset',
  'tickSize',
  'lotSize',
  'startPrice',
  'activity',
] as const;

/** Quote assets recognised at the end of a symbol when baseAsset/quoteAsset are omitted. */
const KNOWN_QUOTES = ['FDUSD', 'USDT', 'USDC', 'TUSD', 'BUSD', 'DAI', 'BTC', 'ETH', 'BNB', 'EUR', 'TRY', 'BRL', 'USD'];

const SYMBOL_PATTERN = /^[A-Z0-9]{2,20}$/;
const ASSET_PATTERN = /^[A-Z0-9]{1,20}$/;
const MAX_MESSAGES_PER_SECOND = 10_000_000;
const MAX_GENERATED_SYMBOLS = 10_000;
/** Fewer ticks than this between zero and the start price leave no room for a book. */
const MIN_START_TICKS = 10;

function fail(message: string): never {
  throw new SimulatorOptionsError(message);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkKnownKeys(value: Record<string, unknown>, known: readonly string[], where: string): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) fail(`${where}: unknown option ${JSON.stringify(key)} (known: ${known.join(', ')})`);
  }
}

function integerOption(value: unknown, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function positiveNumberOption(value: unknown, name: string, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > max) {
    fail(`${name} must be a number > 0 and <= ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** A positive decimal string with at most 8 places (Binance's precision), with its units of 1e-8. */
function decimalOption(value: unknown, name: string): [decimal: DecimalString, units: number] {
  if (typeof value !== 'string') fail(`${name} must be a decimal string such as "0.01", got ${JSON.stringify(value)}`);
  const decimal = tryDecimal(value);
  if (decimal === undefined) fail(`${name} is not a decimal number: ${JSON.stringify(value)}`);
  if (isZeroDecimal(decimal) || isNegativeDecimal(decimal)) fail(`${name} must be positive, got "${value}"`);
  if (decimalPlaces(decimal) > BINANCE_DECIMALS) {
    fail(`${name} "${value}" has more than ${BINANCE_DECIMALS} decimal places (Binance's precision)`);
  }
  const units = toScaledUnits(decimal, BINANCE_DECIMALS);
  if (units > BigInt(Number.MAX_SAFE_INTEGER)) fail(`${name} "${value}" is too large for the simulator`);
  return [decimal, Number(units)];
}

function assets(options: Record<string, unknown>, symbol: string, where: string): [base: string, quote: string] {
  const { baseAsset, quoteAsset } = options;
  for (const [name, value] of [
    ['baseAsset', baseAsset],
    ['quoteAsset', quoteAsset],
  ] as const) {
    if (value !== undefined && (typeof value !== 'string' || !ASSET_PATTERN.test(value))) {
      fail(`${where}.${name} must be 1-20 upper-case letters or digits, got ${JSON.stringify(value)}`);
    }
  }
  let base = baseAsset as string | undefined;
  let quote = quoteAsset as string | undefined;
  if (base === undefined && quote === undefined) {
    quote = KNOWN_QUOTES.find((candidate) => symbol.endsWith(candidate) && symbol.length > candidate.length);
    if (quote === undefined) fail(`${where}: cannot tell the quote asset of ${symbol}; set baseAsset and quoteAsset`);
  }
  if (base === undefined && quote !== undefined && symbol.endsWith(quote)) base = symbol.slice(0, -quote.length);
  if (quote === undefined && base !== undefined && symbol.startsWith(base)) quote = symbol.slice(base.length);
  if (base === undefined || quote === undefined || base === '' || quote === '' || base + quote !== symbol) {
    fail(`${where}: baseAsset + quoteAsset must spell the symbol ${symbol}`);
  }
  return [base, quote];
}

function symbolSpec(options: unknown, index: number, bookLevels: number, where: string): SymbolSpec {
  if (!isRecord(options)) fail(`${where} must be an object, got ${JSON.stringify(options)}`);
  checkKnownKeys(options, SYMBOL_OPTION_KEYS, where);
  const { symbol } = options;
  if (typeof symbol !== 'string' || !SYMBOL_PATTERN.test(symbol)) {
    fail(`${where}.symbol must be 2-20 upper-case letters or digits (Binance style), got ${JSON.stringify(symbol)}`);
  }
  const [baseAsset, quoteAsset] = assets(options, symbol, where);
  const [tickSize, tickUnits] = decimalOption(options['tickSize'], `${where}.tickSize`);
  const [lotSize, lotUnits] = decimalOption(options['lotSize'], `${where}.lotSize`);
  const [startPrice, priceUnits] = decimalOption(options['startPrice'], `${where}.startPrice`);
  const activity = positiveNumberOption(options['activity'], `${where}.activity`, 1_000_000, 1);
  if (priceUnits % tickUnits !== 0) fail(`${where}.startPrice ${startPrice} is not a multiple of tickSize ${tickSize}`);
  const startTicks = priceUnits / tickUnits;
  if (startTicks < MIN_START_TICKS) {
    fail(`${where}.startPrice ${startPrice} must be at least ${MIN_START_TICKS} ticks of ${tickSize}`);
  }
  // The fair price may rise to 10x the start, and prices are formatted from safe integers.
  if (maxModelTick(startTicks, bookLevels) * tickUnits > Number.MAX_SAFE_INTEGER) {
    fail(`${where}.startPrice ${startPrice} is too large for the simulator (10x it must stay below 9e7)`);
  }
  if (lotUnits * MAX_SIZE_GROWTH * 4 * 1000 > Number.MAX_SAFE_INTEGER) {
    fail(`${where}.lotSize ${lotSize} is too large for the simulator`);
  }
  const streamSymbol = symbol.toLowerCase();
  return {
    index,
    symbol,
    streamSymbol,
    baseAsset,
    quoteAsset,
    tickSize,
    lotSize,
    startPrice,
    activity,
    tickUnits,
    lotUnits,
    startTicks,
  };
}

/**
 * Validates options (plain data, e.g. from a JSON config) and resolves defaults. Throws
 * SimulatorOptionsError naming the offending option: unknown keys, non-integer seeds, rates <= 0,
 * non-positive tick sizes, prices off the tick grid, duplicate symbols, ...
 */
export function resolveSimulatorOptions(input: unknown = {}): SimulatorConfig {
  if (!isRecord(input)) fail(`options must be an object, got ${JSON.stringify(input)}`);
  checkKnownKeys(input, VENUE_OPTION_KEYS, 'options');
  const seed = integerOption(input['seed'], 'seed', 0, 0xffff_ffff, 1);
  const startTime = integerOption(input['startTime'], 'startTime', 0, Number.MAX_SAFE_INTEGER / 2, DEFAULT_START_TIME);
  const messagesPerSecond = positiveNumberOption(
    input['messagesPerSecond'],
    'messagesPerSecond',
    MAX_MESSAGES_PER_SECOND,
    1000,
  );
  const generatedCount = integerOption(input['generatedSymbols'], 'generatedSymbols', 0, MAX_GENERATED_SYMBOLS, 0);
  const bookLevels = integerOption(input['bookLevels'], 'bookLevels', 5, 5000, 200);
  const volatility = input['volatility'] ?? 'switching';
  if (!(VOLATILITY_MODES as readonly unknown[]).includes(volatility)) {
    fail(`volatility must be one of ${VOLATILITY_MODES.join(', ')}, got ${JSON.stringify(volatility)}`);
  }
  const configured = input['symbols'] ?? DEFAULT_SYMBOLS;
  if (!Array.isArray(configured)) fail(`symbols must be an array, got ${JSON.stringify(configured)}`);
  const configuredCount = (configured as unknown[]).length;
  const symbolOptions: unknown[] = [...(configured as unknown[])];
  if (generatedCount > 0) {
    // Stream 0 of the seed is reserved for generating symbol settings; symbols use streams 1...
    const [settingsRandom] = SimRandom.streams(seed, 1);
    if (settingsRandom === undefined) throw new Error('unreachable: one stream requested');
    symbolOptions.push(...generatedSymbols(generatedCount, settingsRandom));
  }
  if (symbolOptions.length === 0) fail('no symbols: give symbols or generatedSymbols > 0');
  const symbols = symbolOptions.map((options, index) =>
    symbolSpec(
      options,
      index,
      bookLevels,
      index < configuredCount ? `symbols[${index}]` : `generated symbol ${index - configuredCount + 1}`,
    ),
  );
  const seen = new Set<string>();
  for (const { symbol } of symbols) {
    if (seen.has(symbol)) fail(`duplicate symbol ${symbol}`);
    seen.add(symbol);
  }
  return {
    seed,
    startTime,
    messagesPerSecond,
    bookLevels,
    volatility: volatility as VolatilityMode,
    symbols,
  };
}
