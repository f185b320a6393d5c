export { BITFINEX_PUBLIC_WS, BitfinexAdapter, type BitfinexAdapterOptions } from './bitfinex-adapter';
export { BitfinexSession, type BitfinexSessionConfig } from './bitfinex-session';
export { BITFINEX_CURRENCY_ALIASES } from './bitfinex-symbols';
export type { BitfinexBookLength } from './bitfinex-subscriptions';
export {
  BITFINEX_LOT_SIZE,
  type BitfinexInstrumentOptions,
  instrumentsFromBitfinex,
  lastPricesFromBitfinexTickers,
} from './bitfinex-instruments';
export { bitfinexPriceTick } from './bitfinex-price-tick';
