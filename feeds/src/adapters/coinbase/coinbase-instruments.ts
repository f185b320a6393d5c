import { DecimalFormatError } from '../../decimal';
import { defineInstrument, type Instrument, InstrumentError } from '../../model/instrument';
import { isDict } from './exchange-protocol';

/*
 * Instruments from Coinbase's product lists, one parser per API. Both send increments as decimal
 * text ("0.01000000"), kept exact and made canonical ("0.01"). Entries that fail validation are
 * skipped. Either result can be passed to CoinbaseAdapterOptions.instruments.
 */

/**
 * Coinbase Exchange GET https://api.exchange.coinbase.com/products: an array of
 * `{"id":"BTC-USD","base_currency":"BTC","quote_currency":"USD","quote_increment":"0.01000000",
 * "base_increment":"0.00000001",...}`. `quote_increment` is the Exchange's price step ("the min
 * order price as well as the price increment"), `base_increment` its size step.
 */
export function instrumentsFromCoinbaseExchange(body: unknown): Instrument[] {
  if (!Array.isArray(body)) return [];
  const out: Instrument[] = [];
  for (const entry of body as unknown[]) {
    if (!isDict(entry)) continue;
    const { id, base_currency, quote_currency, quote_increment, base_increment } = entry;
    pushInstrument(out, id, base_currency, quote_currency, quote_increment, base_increment);
  }
  return out;
}

/**
 * Coinbase Advanced Trade GET /api/v3/brokerage/market/products (public) or /products:
 * `{"products":[{"product_id":"BTC-USD","base_currency_id":"BTC","quote_currency_id":"USD",
 * "base_increment":"0.00000001","quote_increment":"0.01","price_increment":"0.01",
 * "product_type":"SPOT",...}],"num_products":N}`. Advanced Trade documents two quote steps:
 * `quote_increment` ("minimum amount quote value can be increased or decreased at once", the
 * order-funds step) and `price_increment` ("minimum amount price can be increased or decreased at
 * once"); the tick is `price_increment` where present, else `quote_increment` (older answers).
 * Only SPOT products are kept: futures ids ("BIT-30AUG24-CDE") are contracts with an expiry that
 * Tickwire's market-data channels here do not cover.
 */
export function instrumentsFromAdvancedTrade(body: unknown): Instrument[] {
  if (!isDict(body) || !Array.isArray(body['products'])) return [];
  const out: Instrument[] = [];
  for (const entry of body['products'] as unknown[]) {
    if (!isDict(entry) || entry['product_type'] !== 'SPOT') continue;
    const { product_id, base_currency_id, quote_currency_id, price_increment, quote_increment, base_increment } = entry;
    const tick = typeof price_increment === 'string' && price_increment.length > 0 ? price_increment : quote_increment;
    pushInstrument(out, product_id, base_currency_id, quote_currency_id, tick, base_increment);
  }
  return out;
}

function pushInstrument(
  out: Instrument[],
  productId: unknown,
  base: unknown,
  quote: unknown,
  tickSize: unknown,
  lotSize: unknown,
): void {
  if (
    typeof productId !== 'string' ||
    typeof base !== 'string' ||
    typeof quote !== 'string' ||
    typeof tickSize !== 'string' ||
    typeof lotSize !== 'string'
  ) {
    return;
  }
  try {
    out.push(
      defineInstrument({ venue: 'coinbase', venueSymbol: productId, base, quote, kind: 'spot', tickSize, lotSize }),
    );
  } catch (error) {
    if (!(error instanceof InstrumentError || error instanceof DecimalFormatError)) throw error;
  }
}
