import { defineInstrument, type Instrument, type NormalizedSymbol, normalizeSymbol } from '../../model/instrument';
import { SymbolDirectory } from '../symbol-directory';

/*
 * US stocks trade in US dollars: Alpaca's AAPL is Tickwire's AAPL-USD (kind 'stock'). Tickwire asset
 * codes are 1-20 letters and digits, so share classes written with a dot ("BRK.B") have no automatic
 * name: configure them with `alpacaStockInstrument("BRK.B", "BRKB")`.
 */

export const ALPACA_QUOTE_ASSET = 'USD';

/**
 * An Alpaca stock. Tick size 0.01: Reg NMS Rule 612 forbids sub-penny quotes at or above $1 (below
 * $1 the increment is 0.0001, which one Instrument field cannot express). Lot size 1 share: the
 * stream reports whole shares.
 */
export function alpacaStockInstrument(venueSymbol: string, base: string = venueSymbol, tickSize = '0.01'): Instrument {
  return defineInstrument({
    venue: 'alpaca',
    venueSymbol,
    base,
    quote: ALPACA_QUOTE_ASSET,
    kind: 'stock',
    tickSize,
    lotSize: '1',
  });
}

/** AAPL → AAPL-USD; undefined for names that are not plain asset codes (BRK.B) unless configured. */
export function guessAlpacaSymbol(venueSymbol: string): NormalizedSymbol | undefined {
  try {
    return normalizeSymbol(venueSymbol, ALPACA_QUOTE_ASSET);
  } catch {
    return undefined;
  }
}

export function alpacaSymbols(instruments: readonly Instrument[] = []): SymbolDirectory {
  return new SymbolDirectory(instruments, guessAlpacaSymbol);
}

/** Alpaca's name for a normalized symbol (AAPL-USD → AAPL), or undefined if it is no USD stock. */
export function alpacaVenueSymbol(symbols: SymbolDirectory, symbol: NormalizedSymbol): string | undefined {
  const known = symbols.instrument(symbol)?.venueSymbol;
  if (known !== undefined) return known;
  const match = /^([A-Z0-9]{1,20})-USD$/.exec(symbol);
  return match?.[1];
}
