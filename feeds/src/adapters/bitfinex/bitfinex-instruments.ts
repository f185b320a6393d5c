import { DecimalFormatError, type DecimalString, toDecimal } from '../../decimal';
import { defineInstrument, type Instrument, InstrumentError } from '../../model/instrument';
import { jsonNumberText, type LosslessJson, LosslessJsonError, parseLosslessJson } from './bitfinex-json';
import { bitfinexPriceTick } from './bitfinex-price-tick';
import { BITFINEX_CURRENCY_ALIASES, BitfinexSymbols } from './bitfinex-symbols';

/*
 * Tick and lot sizes for Bitfinex. The venue publishes neither as a number per pair:
 * - GET https://api-pub.bitfinex.com/v2/conf/pub:info:pair (and pub:info:pair:futures) lists the
 *   trading pairs with [.., .., .., MIN_ORDER_SIZE, MAX_ORDER_SIZE, .., .., .., INITIAL_MARGIN,
 *   MIN_MARGIN]: which pairs exist, but no price or size step.
 * - Prices follow the documented precision rule, 5 significant digits, so the tick depends on the
 *   price (bitfinexPriceTick). An instrument holds one tick, so it is the tick at a reference price
 *   (the pair's last price, e.g. from lastPricesFromBitfinexTickers); a pair without one is left out
 *   rather than given a tick that is wrong by orders of magnitude (the adapter still names it).
 * - Sizes: Bitfinex documents no step; the lot is 0.00000001, the 8 decimals its order amounts
 *   take (our reading; market-data amounts may carry more digits and are kept as sent).
 */

/** The smallest amount step: 8 decimals. */
export const BITFINEX_LOT_SIZE = '0.00000001';

export interface BitfinexInstrumentOptions {
  /** A recent price per venue symbol ("tBTCUSD" → "57123"), decimal text; the tick is the step there. */
  readonly referencePrices: ReadonlyMap<string, string>;
  /** Bitfinex currency code → normalized code; default BITFINEX_CURRENCY_ALIASES (UST → USDT, ...). */
  readonly currencyAliases?: Readonly<Record<string, string>>;
}

/**
 * Instruments from a conf pub:info:pair (or pub:info:pair:futures) answer, parsed with JSON.parse:
 * `[[["BTCUSD",[null,null,null,"0.00006","2000.0",null,null,null,0.2,0.1]],["DOGE:USD",[..]],..]]`.
 * The venue symbol is "t" + the pair; F0 pairs (BTCF0:USTF0) are perpetuals.
 */
export function instrumentsFromBitfinex(body: unknown, options: BitfinexInstrumentOptions): Instrument[] {
  const pairs: unknown = Array.isArray(body) ? body[0] : undefined;
  if (!Array.isArray(pairs)) return [];
  const codes = new BitfinexSymbols(options.currencyAliases ?? BITFINEX_CURRENCY_ALIASES);
  const out: Instrument[] = [];
  for (const entry of pairs as unknown[]) {
    const pair: unknown = Array.isArray(entry) ? entry[0] : undefined;
    if (typeof pair !== 'string') continue;
    const venueSymbol = `t${pair}`;
    const parsed = codes.parse(venueSymbol);
    const price = options.referencePrices.get(venueSymbol);
    if (parsed === undefined || price === undefined) continue;
    try {
      out.push(
        defineInstrument({
          venue: 'bitfinex',
          venueSymbol,
          base: parsed.base,
          quote: parsed.quote,
          kind: parsed.kind,
          tickSize: bitfinexPriceTick(price),
          lotSize: BITFINEX_LOT_SIZE,
        }),
      );
    } catch (error) {
      if (!(error instanceof InstrumentError || error instanceof DecimalFormatError || error instanceof RangeError)) {
        throw error;
      }
    }
  }
  return out;
}

/**
 * Last prices of the trading pairs in a GET /v2/tickers?symbols=ALL answer, read from its text
 * without floats: `[["tBTCUSD",BID,BID_SIZE,ASK,ASK_SIZE,DAILY_CHANGE,DAILY_CHANGE_RELATIVE,
 * LAST_PRICE,VOLUME,HIGH,LOW],["fUSD",..],..]`. Funding tickers ("f…", another layout) are skipped.
 */
export function lastPricesFromBitfinexTickers(text: string): Map<string, DecimalString> {
  const prices = new Map<string, DecimalString>();
  let parsed: LosslessJson;
  try {
    parsed = parseLosslessJson(text);
  } catch (error) {
    if (error instanceof LosslessJsonError) return prices;
    throw error;
  }
  if (!Array.isArray(parsed)) return prices;
  for (const ticker of parsed) {
    if (!Array.isArray(ticker) || typeof ticker[0] !== 'string' || !ticker[0].startsWith('t')) continue;
    const last = jsonNumberText(ticker[7]);
    if (last === undefined) continue;
    try {
      prices.set(ticker[0], toDecimal(last));
    } catch (error) {
      if (!(error instanceof DecimalFormatError)) throw error;
    }
  }
  return prices;
}
