export { BITFINEX_PUBLIC_WS, BitfinexAdapter, type BitfinexAdapterOptions } from './bitfinex-adapter';
export { BitfinexSession, type BitfinexSessionConfig } from './bitfinex-session';
export { BITFINEX_CURRENCY_ALIASES } from './bitfinex-symbols';
export type { BitfinexBookLength } from './bitfinex-subscriptions';
