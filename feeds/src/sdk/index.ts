/**
 * Typed client SDK of the Tickwire subscription API (`@tickwire/sdk`), platform-neutral: browsers
 * use their WebSocket, Node passes `ws`; Server-Sent Events over fetch where WebSockets do not get
 * through. See README.md.
 */
export * from './book-view';
export * from './channel-message';
export * from './channel-reducer';
export * from './client-stats';
export * from './connection-state';
export * from './event-channel-reducers';
export * from './event-stream-parser';
export * from './local-book';
export * from './send-pacer';
export * from './sequence-tracker';
export {
  type ByteReaderLike,
  type ByteStreamLike,
  type FetchInitLike,
  type FetchLike,
  type FetchResponseLike,
  SSE_CLOSE_CODES,
  type SseCloseEvent,
  type SseErrorEvent,
  SseSocket,
  type SseSocketOptions,
  type SseUrls,
  sseUrls,
} from './sse-socket';
export * from './tickwire-api-error';
export * from './tickwire-client';
export * from './tickwire-client-options';
export * from './timers';
export * from './websocket-like';
