import { DecimalFormatError } from '../../decimal';
import { defineInstrument, type Instrument, InstrumentError } from '../../model/instrument';
import { isDict } from './okx-protocol';
import { parseInstId } from './okx-symbols';

/**
 * Instruments from OKX's GET /api/v5/public/instruments?instType=SPOT|SWAP|FUTURES answer
 * (`{"code":"0","data":[{"instType","instId","baseCcy","quoteCcy","instFamily","tickSz","lotSz",...}]}`).
 * Spot names its currencies in baseCcy/quoteCcy; swaps and futures leave those empty and name the
 * pair in instFamily ("BTC-USD"), so base and quote come from the instId there. Sizes of swaps and
 * futures are in contracts (`lotSz` "1"), as in every OKX market-data channel. Options and entries
 * that fail validation are skipped; the result can be passed to OkxAdapterOptions.instruments
 * after choosing one instrument per normalized symbol.
 */
export function instrumentsFromOkx(body: unknown): Instrument[] {
  if (!isDict(body) || body['code'] !== '0' || !Array.isArray(body['data'])) return [];
  const out: Instrument[] = [];
  for (const entry of body['data'] as unknown[]) {
    if (!isDict(entry)) continue;
    const { instId, tickSz, lotSz, baseCcy, quoteCcy } = entry;
    if (typeof instId !== 'string' || typeof tickSz !== 'string' || typeof lotSz !== 'string') continue;
    const parsed = parseInstId(instId);
    if (parsed === undefined) continue;
    const spot = parsed.kind === 'spot' && typeof baseCcy === 'string' && typeof quoteCcy === 'string';
    try {
      out.push(
        defineInstrument({
          venue: 'okx',
          venueSymbol: instId,
          base: spot && baseCcy.length > 0 ? baseCcy : parsed.base,
          quote: spot && quoteCcy.length > 0 ? quoteCcy : parsed.quote,
          kind: parsed.kind,
          tickSize: tickSz,
          lotSize: lotSz,
        }),
      );
    } catch (error) {
      if (!(error instanceof InstrumentError || error instanceof DecimalFormatError)) throw error;
    }
  }
  return out;
}
