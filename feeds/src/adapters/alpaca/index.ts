export { AlpacaAdapter, type AlpacaAdapterOptions } from './alpaca-adapter';
export { AlpacaCredentials } from './alpaca-credentials';
export { type AlpacaFeed, AlpacaSession, type AlpacaSessionStats } from './alpaca-session';
export { alpacaStockInstrument } from './alpaca-symbols';
export {
  type InstrumentState,
  parseInstrumentReason,
  type TradingState,
  tradingStateOf,
} from './alpaca-trading-status';
export { type MarketCalendar, type MarketSession, marketSessionAt, newYorkOffsetMinutes } from './market-session';
