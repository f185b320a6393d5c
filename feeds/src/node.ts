/**
 * Node-only part of feeds (`@tickwire/feeds/node`): recording files, replay, the virtual exchange
 * and the simulated venue. The browser-safe core is `@tickwire/feeds`.
 */
export * from './recording/cryptofeed-recording';
export * from './recording/recording-entry';
export * from './recording/recording-errors';
export * from './recording/recording-reader';
export * from './recording/recording-writer';
export * from './replay/open-recording';
export * from './replay/recording-time-scheduler';
export * from './replay/replay';
export * from './cli/record-session';
export { DIALECTS, venueOfUrl } from './cli/venue-dialects';
export * from './upstream/backoff';
export * from './upstream/upstream-connection';
export * from './upstream/upstream-pool';
export * from './virtual-exchange';
export * from './simulator';
