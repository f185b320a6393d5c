export { AlpacaAdapter, type AlpacaAdapterOptions } from './alpaca/alpaca-adapter';
export { AlpacaCredentials } from './alpaca/alpaca-credentials';
export { BinanceAdapter, type BinanceAdapterOptions } from './binance/binance-adapter';
export { instrumentsFromBinance } from './binance/binance-instruments';
export { BitfinexAdapter, type BitfinexAdapterOptions } from './bitfinex/bitfinex-adapter';
export {
  type BitfinexInstrumentOptions,
  instrumentsFromBitfinex,
  lastPricesFromBitfinexTickers,
} from './bitfinex/bitfinex-instruments';
export { bitfinexPriceTick } from './bitfinex/bitfinex-price-tick';
export { CoinbaseAdapter, type CoinbaseAdapterOptions } from './coinbase/coinbase-adapter';
export { instrumentsFromAdvancedTrade, instrumentsFromCoinbaseExchange } from './coinbase/coinbase-instruments';
export { KrakenAdapter, type KrakenAdapterOptions } from './kraken/kraken-adapter';
export { OkxAdapter, type OkxAdapterOptions } from './okx/okx-adapter';
export { CollectingSink } from './collecting-sink';
export { replayIntoSessions, type SessionReplayStats } from './replay-session';
export { SymbolDirectory, splitConcatenated } from './symbol-directory';
export * from './venue-adapter';
export {
  ADAPTER_VENUES,
  type AdapterEndpoints,
  type AdapterVenue,
  createAdapter,
  isAdapterVenue,
} from './create-adapter';
