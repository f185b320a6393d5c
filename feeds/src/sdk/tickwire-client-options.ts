import { API_STREAM_PATH, API_SUBPROTOCOL, API_TOKEN_PROTOCOL_PREFIX } from '../api/protocol';
import { DEFAULT_SEND_RATE, type SendRate } from './send-pacer';
import { defaultNow, defaultTimers, type Timers } from './timers';
import type { WebSocketConstructor } from './websocket-like';

/** The gateway sends a heartbeat every 5 s (docs/api.md); three missed ones mean it is gone. */
export const DEFAULT_HEARTBEAT_TIMEOUT_MS = 3 * 5000;

export interface ReconnectOptions {
  /** First retry within [0, baseMs]; the ceiling doubles per failed attempt up to maxMs (full jitter). */
  readonly baseMs: number;
  readonly maxMs: number;
  /** Uniform in [0, 1); Math.random by default. */
  readonly random?: () => number;
}

export const DEFAULT_RECONNECT: ReconnectOptions = { baseMs: 250, maxMs: 10_000 };

export interface TickwireClientOptions {
  /**
   * Gateway stream URLs, e.g. `ws://127.0.0.1:8080/api/v1/stream`. After a failed connect or a
   * close the client moves on to the next one, round-robin.
   */
  readonly urls: readonly string[];
  /** WebSocket implementation: globalThis.WebSocket by default (browsers, Node 22+); pass `ws` on Node 20. */
  readonly WebSocket?: WebSocketConstructor;
  /** API key or ticket, offered as the `token.<key>` subprotocol. */
  readonly token?: string;
  readonly reconnect?: ReconnectOptions;
  /** No message at all for this long (or no connection within it): the connection is declared dead. */
  readonly heartbeatTimeoutMs?: number;
  /** Pace of client messages (subscribes, unsubscribes, pings); DEFAULT_SEND_RATE by default. */
  readonly sendRate?: SendRate;
  /** Monotonic milliseconds (performance.now by default): heartbeat watchdog and ping times. */
  readonly now?: () => number;
  readonly timers?: Timers;
}

export interface ResolvedClientOptions {
  readonly urls: readonly string[];
  readonly WebSocket: WebSocketConstructor;
  readonly protocols: readonly string[];
  readonly reconnect: Required<ReconnectOptions>;
  readonly heartbeatTimeoutMs: number;
  readonly sendRate: SendRate;
  readonly now: () => number;
  readonly timers: Timers;
}

/** Fills defaults and checks the options; throws TypeError or RangeError for unusable ones. */
export function resolveClientOptions(options: TickwireClientOptions): ResolvedClientOptions {
  if (options.urls.length === 0) throw new RangeError('TickwireClient needs at least one gateway URL');
  for (const url of options.urls)
    if (!/^wss?:\/\//.test(url))
      throw new TypeError(`not a ws:// or wss:// URL: ${url} (the stream is at ${API_STREAM_PATH})`);
  const WebSocket = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (WebSocket === undefined)
    throw new TypeError('no global WebSocket here: pass the `ws` package as the WebSocket option');
  // A subprotocol is an HTTP token (RFC 9110): no spaces, commas, quotes or other separators.
  if (options.token !== undefined && !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(options.token))
    throw new TypeError('the token must be usable as a WebSocket subprotocol (HTTP token characters only)');
  const heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS;
  if (!(heartbeatTimeoutMs > 0)) throw new RangeError(`heartbeatTimeoutMs must be positive, got ${heartbeatTimeoutMs}`);
  const reconnect = options.reconnect ?? DEFAULT_RECONNECT;
  if (!(reconnect.baseMs > 0 && reconnect.maxMs >= reconnect.baseMs))
    throw new RangeError(`reconnect needs 0 < baseMs <= maxMs, got ${reconnect.baseMs}, ${reconnect.maxMs}`);
  return {
    urls: [...options.urls],
    WebSocket,
    protocols:
      options.token === undefined ? [API_SUBPROTOCOL] : [API_SUBPROTOCOL, API_TOKEN_PROTOCOL_PREFIX + options.token],
    reconnect: { baseMs: reconnect.baseMs, maxMs: reconnect.maxMs, random: reconnect.random ?? Math.random },
    heartbeatTimeoutMs,
    sendRate: options.sendRate ?? DEFAULT_SEND_RATE,
    now: options.now ?? defaultNow,
    timers: options.timers ?? defaultTimers,
  };
}
