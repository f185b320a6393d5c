/**
 * Typed client SDK of the Tickwire subscription API (`@tickwire/sdk`), platform-neutral: browsers
 * use their WebSocket, Node passes `ws`. See README.md.
 */
export * from './book-view';
export * from './channel-message';
export * from './channel-reducer';
export * from './client-stats';
export * from './connection-state';
export * from './event-channel-reducers';
export * from './local-book';
export * from './send-pacer';
export * from './sequence-tracker';
export * from './tickwire-api-error';
export * from './tickwire-client';
export * from './tickwire-client-options';
export * from './timers';
export * from './websocket-like';
