/**
 * Browser-safe core of feeds (`@tickwire/feeds`): exact decimals, the normalized model, the order
 * book, candles and conflation operators. Node-only parts are in `@tickwire/feeds/node`.
 */
export * from './adapters';
export * from './api/protocol';
export * from './book';
export * from './candles';
export * from './conflation/batch-trades';
export * from './conflation/coalesce-book-deltas';
export * from './conflation/latest-by-key';
export * from './conflation/sample-top-n';
export * from './decimal';
export * from './model';
