import type { Instrument, NormalizedSymbol } from '../model/instrument';
import { normalizeSymbol } from '../model/instrument';

/**
 * Venue symbol ↔ normalized symbol for one venue. Instruments learned from the venue (exchange
 * info) or configured are exact; for others, `splitConcatenated` splits symbols like "NKNUSDT" at
 * the longest known quote asset, which is enough to name the events of recorded frames.
 */
export class SymbolDirectory {
  private readonly byVenueSymbol = new Map<string, Instrument>();
  private readonly bySymbol = new Map<NormalizedSymbol, Instrument>();
  private readonly guessed = new Map<string, NormalizedSymbol>();

  constructor(
    instruments: readonly Instrument[] = [],
    private readonly guess: (venueSymbol: string) => NormalizedSymbol | undefined = () => undefined,
  ) {
    for (const instrument of instruments) this.add(instrument);
  }

  add(instrument: Instrument): void {
    this.byVenueSymbol.set(instrument.venueSymbol, instrument);
    this.bySymbol.set(instrument.symbol, instrument);
  }

  instrument(symbol: NormalizedSymbol): Instrument | undefined {
    return this.bySymbol.get(symbol);
  }

  /** Normalized symbol of a venue symbol, or undefined when it is neither known nor guessable. */
  symbolOf(venueSymbol: string): NormalizedSymbol | undefined {
    const known = this.byVenueSymbol.get(venueSymbol)?.symbol;
    if (known !== undefined) return known;
    let guessed = this.guessed.get(venueSymbol);
    if (guessed === undefined) {
      guessed = this.guess(venueSymbol);
      if (guessed !== undefined) this.guessed.set(venueSymbol, guessed);
    }
    return guessed;
  }

  /** The venue's symbol for a normalized one, from the known instruments or the given formatter. */
  venueSymbolOf(symbol: NormalizedSymbol, format: (base: string, quote: string) => string): string {
    const known = this.bySymbol.get(symbol)?.venueSymbol;
    if (known !== undefined) return known;
    const [base, quote] = symbol.split('-') as [string, string];
    return format(base, quote);
  }
}

/** Splits a concatenated symbol (BTCUSDT) at the longest matching quote asset. */
export function splitConcatenated(venueSymbol: string, quoteAssets: readonly string[]): NormalizedSymbol | undefined {
  const upper = venueSymbol.toUpperCase();
  let best: string | undefined;
  for (const quote of quoteAssets) {
    if (upper.length > quote.length && upper.endsWith(quote) && (best === undefined || quote.length > best.length)) {
      best = quote;
    }
  }
  if (best === undefined) return undefined;
  try {
    return normalizeSymbol(upper.slice(0, upper.length - best.length), best);
  } catch {
    return undefined;
  }
}
