export * from './candle-builder';
export * from './interval';
export * from './multi-interval-builder';
export { VWAP_EXTRA_PLACES } from './vwap';
