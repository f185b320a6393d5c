import { DecimalFormatError } from '../../decimal';
import { defineInstrument, type Instrument, InstrumentError } from '../../model/instrument';
import type { BinanceAdapterOptions } from './binance-adapter';
import { isDict } from './binance-protocol';

/**
 * Instruments from Binance's exchange information: spot GET /api/v3/exchangeInfo (Binance and
 * Binance.US), USD-M futures GET /fapi/v1/exchangeInfo. Each entry of `symbols` names its assets
 * (`baseAsset`, `quoteAsset`) and carries `filters`; the tick size is PRICE_FILTER `tickSize` and
 * the lot size LOT_SIZE `stepSize`, both decimal text such as "0.01000000", kept exact and made
 * canonical ("0.01"). Binance documents `tickSize` 0 as "disabled": such a symbol (like any entry
 * without both filters or with malformed fields) is skipped. USD-M lists delivery contracts
 * (`contractType` CURRENT_QUARTER, NEXT_QUARTER: "BTCUSDT_250328") beside the perpetuals, with the
 * same assets: only PERPETUAL contracts are kept, so each normalized symbol names one market, as
 * the adapter's symbol directory needs. The result can be passed to BinanceAdapterOptions.instruments.
 */
export function instrumentsFromBinance(body: unknown, venue: BinanceAdapterOptions['venue']): Instrument[] {
  if (!isDict(body) || !Array.isArray(body['symbols'])) return [];
  const futures = venue === 'binance-usdm';
  const out: Instrument[] = [];
  for (const entry of body['symbols'] as unknown[]) {
    if (!isDict(entry)) continue;
    const { symbol, baseAsset, quoteAsset, contractType } = entry;
    if (typeof symbol !== 'string' || typeof baseAsset !== 'string' || typeof quoteAsset !== 'string') continue;
    if (futures && contractType !== 'PERPETUAL') continue;
    const tickSize = filterField(entry['filters'], 'PRICE_FILTER', 'tickSize');
    const lotSize = filterField(entry['filters'], 'LOT_SIZE', 'stepSize');
    if (tickSize === undefined || lotSize === undefined) continue;
    try {
      out.push(
        defineInstrument({
          venue,
          venueSymbol: symbol,
          base: baseAsset,
          quote: quoteAsset,
          kind: futures ? 'perpetual' : 'spot',
          tickSize,
          lotSize,
        }),
      );
    } catch (error) {
      if (!(error instanceof InstrumentError || error instanceof DecimalFormatError)) throw error;
    }
  }
  return out;
}

/** The text of `field` in the filter of type `filterType`, or undefined. */
function filterField(filters: unknown, filterType: string, field: string): string | undefined {
  if (!Array.isArray(filters)) return undefined;
  for (const filter of filters as unknown[]) {
    if (isDict(filter) && filter['filterType'] === filterType) {
      const value = filter[field];
      return typeof value === 'string' ? value : undefined;
    }
  }
  return undefined;
}
