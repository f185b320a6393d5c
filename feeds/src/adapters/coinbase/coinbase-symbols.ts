import type { Instrument, NormalizedSymbol } from '../../model/instrument';
import { normalizeSymbol } from '../../model/instrument';
import { SymbolDirectory } from '../symbol-directory';

/**
 * Coinbase product ids are already BASE-QUOTE ("BTC-USD", "SKL-GBP"), so the normalized symbol is
 * the product id itself. Ids of another shape (Advanced Trade futures such as "BIT-30AUG24-CDE")
 * are known only through configured instruments.
 */
export function guessCoinbaseSymbol(productId: string): NormalizedSymbol | undefined {
  const parts = productId.split('-');
  if (parts.length !== 2) return undefined;
  const [base = '', quote = ''] = parts;
  try {
    return normalizeSymbol(base, quote);
  } catch {
    return undefined;
  }
}

export function coinbaseSymbolDirectory(instruments: readonly Instrument[]): SymbolDirectory {
  return new SymbolDirectory(instruments, guessCoinbaseSymbol);
}

/** The product id of a normalized symbol: the configured instrument's, else BASE-QUOTE. */
export function productIdOf(symbols: SymbolDirectory, symbol: NormalizedSymbol): string {
  return symbols.venueSymbolOf(symbol, (base, quote) => `${base}-${quote}`);
}
