import type { WireInstrument } from '@tickwire/feeds';

/**
 * Instruments matching a search box: every word of the query (case-insensitive) must occur in the
 * instrument id (`venue:SYMBOL`), its base or quote, or the venue's own symbol; "btc usd" finds
 * every BTC-USD, "kraken eth" Kraken's ETH pairs.
 */
export function searchInstruments<T extends { readonly instrument: WireInstrument }>(
  rows: readonly T[],
  query: string,
): T[] {
  const words = query
    .trim()
    .toLowerCase()
    .split(/[\s/]+/)
    .filter((word) => word !== '');
  if (words.length === 0) return [...rows];
  return rows.filter((row) => {
    const { instrument, venueSymbol, base, quote } = row.instrument;
    const haystack = `${instrument} ${venueSymbol} ${base}-${quote}`.toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
}
