export {
  DEFAULT_START_TIME,
  DEFAULT_SYMBOLS,
  SimulatorOptionsError,
  type SimulatedSymbolOptions,
  type SimulatedVenueOptions,
} from './options';
export { VOLATILITY_MODES, type VolatilityMode } from './regimes';
export { resolveSimulatorOptions } from './resolve-options';
export { createSimulatedVenue, SimulatedVenue } from './simulated-venue';
export {
  createSimulatedStocks,
  DEFAULT_STOCKS,
  DEFAULT_STOCKS_START_TIME,
  resolveStocksOptions,
  SimulatedStocks,
  type SimulatedStockOptions,
  type SimulatedStocksOptions,
} from './alpaca-stocks';
