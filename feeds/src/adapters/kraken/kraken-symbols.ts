import { defineInstrument, type Instrument, normalizeSymbol, type NormalizedSymbol } from '../../model/instrument';

/*
 * Kraken pair names are BASE/QUOTE ("wsname" in REST AssetPairs). WebSocket v1 keeps Kraken's legacy
 * asset codes XBT (bitcoin) and XDG (dogecoin): "XBT/USD", "XDG/EUR". v2 uses the common codes:
 * "BTC/USD", "DOGE/EUR" (docs.kraken.com spot-websocket, "v2 vs v1": symbol format XBT/USD vs BTC/USD).
 */

export type KrakenVersion = 'v1' | 'v2';

/** v1 asset code → normalized asset code. */
const V1_TO_COMMON: Readonly<Record<string, string>> = { XBT: 'BTC', XDG: 'DOGE' };
/** normalized asset code → v1 asset code. */
const COMMON_TO_V1: Readonly<Record<string, string>> = { BTC: 'XBT', DOGE: 'XDG' };

/** Normalized BASE-QUOTE of a Kraken pair of either version ("XBT/CHF" → BTC-CHF); undefined if malformed. */
export function symbolOfPair(pair: string): NormalizedSymbol | undefined {
  const slash = pair.indexOf('/');
  if (slash <= 0 || slash !== pair.lastIndexOf('/')) return undefined;
  const base = pair.slice(0, slash);
  const quote = pair.slice(slash + 1);
  try {
    return normalizeSymbol(V1_TO_COMMON[base] ?? base, V1_TO_COMMON[quote] ?? quote);
  } catch {
    return undefined;
  }
}

/** The pair name `version` uses for a normalized base and quote: v1 BTC, USD → "XBT/USD"; v2 "BTC/USD". */
export function pairOf(version: KrakenVersion, base: string, quote: string): string {
  return version === 'v1' ? `${COMMON_TO_V1[base] ?? base}/${COMMON_TO_V1[quote] ?? quote}` : `${base}/${quote}`;
}

/** The fields of a REST AssetPairs entry (api.kraken.com/0/public/AssetPairs) an instrument needs. */
export interface KrakenAssetPair {
  /** The WebSocket v1 pair name, e.g. "XBT/USD". */
  readonly wsname: string;
  /** Decimal places of the price. */
  readonly pair_decimals: number;
  /** Decimal places of the volume. */
  readonly lot_decimals: number;
  /** Smallest price step where Kraken publishes it (newer responses), as text. */
  readonly tick_size?: string;
}

/** An instrument of `version` (its pair name) from an AssetPairs entry: tick = tick_size or 10^-pair_decimals. */
export function krakenInstrument(version: KrakenVersion, assetPair: KrakenAssetPair): Instrument {
  const symbol = symbolOfPair(assetPair.wsname);
  if (symbol === undefined) throw new RangeError(`not a Kraken pair name: ${JSON.stringify(assetPair.wsname)}`);
  const [base, quote] = symbol.split('-') as [string, string];
  return defineInstrument({
    venue: 'kraken',
    venueSymbol: pairOf(version, base, quote),
    base,
    quote,
    kind: 'spot',
    tickSize: assetPair.tick_size ?? unitOfPlaces(assetPair.pair_decimals),
    lotSize: unitOfPlaces(assetPair.lot_decimals),
  });
}

/** "1e-places" as plain decimal text: 2 → "0.01", 0 → "1". */
function unitOfPlaces(places: number): string {
  if (!Number.isSafeInteger(places) || places < 0 || places > 30) throw new RangeError(`bad decimal places ${places}`);
  return places === 0 ? '1' : `0.${'0'.repeat(places - 1)}1`;
}
