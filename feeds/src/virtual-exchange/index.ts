// Node-only: the virtual exchange listens on sockets. Export from a node entry point, not from the
// browser-safe feeds index.
export type { FrameSource, VenueFrame, VenueHttpResponse } from './frame-source';
export type { ClassifiedFrame, Dialect, DialectSession, RecordedFrameContext, SendKind, SessionIo } from './dialect';
export {
  createVirtualExchange,
  VirtualExchange,
  type BackpressureOptions,
  type VirtualExchangeOptions,
} from './exchange';
export type { ExchangeStats } from './exchange-stats';
export type {
  CloseAtFault,
  CloseEveryFault,
  ConnectionInfo,
  ConnectionSelector,
  CorruptChecksumFault,
  DelayFault,
  DropFault,
  DuplicateFault,
  FaultFrame,
  FaultKind,
  FaultSpec,
  ReorderFault,
  StallFault,
} from './faults';
export { recordingFrameSource, recordedAt, type RecordingFrameSource } from './recording-source';
export type { Speed } from './timeline';
export { binanceDialect, binanceRestError, type BinanceDialectOptions, type BinanceMarket } from './binance';
export { bitfinexDialect, SEQ_ALL, type BitfinexDialectOptions } from './bitfinex';
export { coinbaseDialect, type CoinbaseDialectOptions } from './coinbase';
export { krakenDialect, type KrakenDialectOptions } from './kraken';
export { okxDialect, type OkxDialectOptions } from './okx';
export { ALPACA_DEFAULT_KEY, ALPACA_DEFAULT_SECRET, alpacaDialect } from './alpaca';
export { coinbaseAdvancedDialect, type CoinbaseAdvancedDialectOptions } from './coinbase-advanced';
export { krakenV2Dialect, type KrakenV2Dialect, type KrakenV2DialectOptions } from './kraken-v2';
