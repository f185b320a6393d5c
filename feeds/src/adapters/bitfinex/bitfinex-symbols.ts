import type { InstrumentKind, NormalizedSymbol } from '../../model/instrument';
import { normalizeSymbol, parseNormalizedSymbol } from '../../model/instrument';

/*
 * Bitfinex symbols (docs.bitfinex.com/docs/ws-general, "Supported Pairs"): trading pairs are "t"
 * + the pair, e.g. tBTCUSD. Pairs of two 3-letter currencies are written together (tBTCUSD);
 * when either currency is longer the two are joined by ":" (tTESTBTC:TESTUSD, tDOGE:USD).
 * Derivatives use currencies ending in "F0" (tBTCF0:USTF0). Funding symbols ("fUSD") are not
 * trading pairs and are not mapped.
 */

/**
 * Bitfinex's own labels of some currencies, renamed to the codes other venues use so one
 * normalized symbol names one market across venues (like XBT → BTC for Kraken). UST is Tether
 * (USDt), UDC is USD Coin. Configurable per adapter; the venue's full table is the public config
 * endpoint pub:map:currency:sym.
 */
export const BITFINEX_CURRENCY_ALIASES: Readonly<Record<string, string>> = {
  UST: 'USDT',
  UDC: 'USDC',
  DSH: 'DASH',
  QTM: 'QTUM',
  IOT: 'IOTA',
  MNA: 'MANA',
};

export interface BitfinexPair {
  readonly symbol: NormalizedSymbol;
  readonly base: string;
  readonly quote: string;
  readonly kind: InstrumentKind;
}

/** Both ways between Bitfinex currency codes and normalized ones. */
export class BitfinexSymbols {
  private readonly toNormalized: ReadonlyMap<string, string>;
  private readonly toVenue: ReadonlyMap<string, string>;

  constructor(aliases: Readonly<Record<string, string>> = BITFINEX_CURRENCY_ALIASES) {
    this.toNormalized = new Map(Object.entries(aliases));
    this.toVenue = new Map(Object.entries(aliases).map(([venue, normalized]) => [normalized, venue]));
  }

  /** tBTCUSD → BTC-USD, tBTCUST → BTC-USDT, tTESTBTC:TESTUSD → TESTBTC-TESTUSD; undefined otherwise. */
  parse(venueSymbol: string): BitfinexPair | undefined {
    if (!venueSymbol.startsWith('t')) return undefined;
    const pair = venueSymbol.slice(1);
    const colon = pair.indexOf(':');
    let base: string;
    let quote: string;
    if (colon === -1) {
      if (pair.length !== 6) return undefined;
      base = pair.slice(0, 3);
      quote = pair.slice(3);
    } else {
      base = pair.slice(0, colon);
      quote = pair.slice(colon + 1);
    }
    // Bitfinex codes are upper case; lower case is not a Bitfinex symbol ("btcusd is invalid").
    if (base !== base.toUpperCase() || quote !== quote.toUpperCase()) return undefined;
    const kind: InstrumentKind = base.endsWith('F0') && quote.endsWith('F0') ? 'perpetual' : 'spot';
    try {
      const symbol = normalizeSymbol(this.toNormalized.get(base) ?? base, this.toNormalized.get(quote) ?? quote);
      const parts = parseNormalizedSymbol(symbol);
      return { symbol, base: parts.base, quote: parts.quote, kind };
    } catch {
      return undefined;
    }
  }

  /** BTC-USD → tBTCUSD, BTC-USDT → tBTCUST, DOGE-USD → tDOGE:USD. Throws for a non-normalized symbol. */
  venueSymbol(symbol: NormalizedSymbol): string {
    const parts = parseNormalizedSymbol(symbol);
    return this.format(parts.base, parts.quote);
  }

  /** The venue symbol of base and quote given as normalized currency codes. */
  format(base: string, quote: string): string {
    const b = this.toVenue.get(base) ?? base;
    const q = this.toVenue.get(quote) ?? quote;
    return b.length === 3 && q.length === 3 ? `t${b}${q}` : `t${b}:${q}`;
  }
}
