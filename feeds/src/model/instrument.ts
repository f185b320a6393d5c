import { compareDecimals, type DecimalString, toDecimal } from '../decimal';
import type { VenueId } from './venue';

export type InstrumentKind = 'spot' | 'perpetual' | 'future' | 'stock';

/** Normalized symbol: BASE-QUOTE in upper case, e.g. BTC-USDT, AAPL-USD, ETH-USD-PERP is not used: kind says it. */
export type NormalizedSymbol = string;

export interface Instrument {
  readonly venue: VenueId;
  /** The venue's own name for it: BTCUSDT, XBT/USD, BTC-USDT-SWAP, AAPL. */
  readonly venueSymbol: string;
  /** BASE-QUOTE, the same across venues for the same pair. */
  readonly symbol: NormalizedSymbol;
  readonly base: string;
  readonly quote: string;
  readonly kind: InstrumentKind;
  /** Smallest price increment. */
  readonly tickSize: DecimalString;
  /** Smallest size increment. */
  readonly lotSize: DecimalString;
}

const ASSET_PATTERN = /^[A-Z0-9]{1,20}$/;
const SYMBOL_PATTERN = /^([A-Z0-9]{1,20})-([A-Z0-9]{1,20})$/;

export class InstrumentError extends Error {
  override readonly name = 'InstrumentError';
}

/** BASE-QUOTE from asset codes in any case; throws for codes that are not 1-20 letters or digits. */
export function normalizeSymbol(base: string, quote: string): NormalizedSymbol {
  const b = base.toUpperCase();
  const q = quote.toUpperCase();
  if (!ASSET_PATTERN.test(b) || !ASSET_PATTERN.test(q)) {
    throw new InstrumentError(`invalid asset codes ${JSON.stringify(base)}/${JSON.stringify(quote)}`);
  }
  return `${b}-${q}`;
}

export function parseNormalizedSymbol(symbol: string): { base: string; quote: string } {
  const match = SYMBOL_PATTERN.exec(symbol);
  if (match === null) throw new InstrumentError(`not a normalized symbol (BASE-QUOTE): ${JSON.stringify(symbol)}`);
  return { base: match[1] as string, quote: match[2] as string };
}

export interface InstrumentSpec {
  venue: VenueId;
  venueSymbol: string;
  base: string;
  quote: string;
  kind: InstrumentKind;
  tickSize: string;
  lotSize: string;
}

/** Builds a validated instrument: positive tick and lot sizes, canonical decimals, normalized symbol. */
export function defineInstrument(spec: InstrumentSpec): Instrument {
  const tickSize = toDecimal(spec.tickSize);
  const lotSize = toDecimal(spec.lotSize);
  for (const [name, value] of [
    ['tickSize', tickSize],
    ['lotSize', lotSize],
  ] as const) {
    if (compareDecimals(value, '0' as DecimalString) <= 0) {
      throw new InstrumentError(`${spec.venue}:${spec.venueSymbol} ${name} must be positive, got ${value}`);
    }
  }
  if (spec.venueSymbol.length === 0) throw new InstrumentError(`${spec.venue}: empty venue symbol`);
  const symbol = normalizeSymbol(spec.base, spec.quote);
  const { base, quote } = parseNormalizedSymbol(symbol);
  return { venue: spec.venue, venueSymbol: spec.venueSymbol, symbol, base, quote, kind: spec.kind, tickSize, lotSize };
}

/** Stable key of an instrument across the system: `venue:SYMBOL`, e.g. `binance:BTC-USDT`. */
export function instrumentKey(instrument: Pick<Instrument, 'venue' | 'symbol'>): string {
  return `${instrument.venue}:${instrument.symbol}`;
}
