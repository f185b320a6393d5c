/**
 * The part of the WebSocket API the client uses: the browser's `WebSocket` and Node's `ws` both fit.
 * Declared here so the SDK needs neither DOM types nor `ws` types.
 */

/** Handler slots are bivariant (method syntax), so `ws`'s and the DOM's richer event types fit. */
type Handler<E> = { handle(event: E): void }['handle'];

export interface WebSocketMessageEventLike {
  /** A string for text frames; binary frames (never sent by the gateway) arrive as something else. */
  readonly data: unknown;
}

export interface WebSocketCloseEventLike {
  readonly code: number;
  readonly reason: string;
}

export interface WebSocketLike {
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  onopen: Handler<unknown> | null;
  onmessage: Handler<WebSocketMessageEventLike> | null;
  onclose: Handler<WebSocketCloseEventLike> | null;
  onerror: Handler<unknown> | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  /** `ws` only: drop the TCP connection at once, without a closing handshake. */
  terminate?(): void;
}

export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

export const WEBSOCKET_OPEN = 1;
