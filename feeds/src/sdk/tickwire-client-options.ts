import { API_STREAM_PATH, API_SUBPROTOCOL, API_TOKEN_PROTOCOL_PREFIX } from '../api/protocol';
import { DEFAULT_SEND_RATE, type SendRate } from './send-pacer';
import { type FetchLike, globalFetch } from './sse-socket';
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

/**
 * `'websocket'`: WebSocket only. `'sse'`: Server-Sent Events only (GET /api/v1/sse, requests by
 * POST). `'auto'`: WebSocket, falling back to SSE when a WebSocket delivers no frame at all (see
 * README.md, "Transports").
 */
export type TransportOption = 'auto' | 'websocket' | 'sse';

const TRANSPORT_OPTIONS: readonly string[] = ['auto', 'websocket', 'sse'];

/** Transport 'auto': how long an open WebSocket may stay without any frame before SSE is tried. */
export const DEFAULT_FALLBACK_TIMEOUT_MS = 4000;
/** Transport 'auto', once on SSE: the first reconnect this long after falling back tries WebSocket again. */
export const DEFAULT_WEBSOCKET_RETRY_MS = 10 * 60_000;

export interface TickwireClientOptions {
  /**
   * Gateway stream URLs, e.g. `ws://127.0.0.1:8080/api/v1/stream`. After a failed connect or a
   * close the client moves on to the next one, round-robin.
   */
  readonly urls: readonly string[];
  /** WebSocket implementation: globalThis.WebSocket by default (browsers, Node 22+); pass `ws` on Node 20. */
  readonly WebSocket?: WebSocketConstructor;
  /** 'auto' by default: WebSocket first, Server-Sent Events when WebSockets do not get through. */
  readonly transport?: TransportOption;
  /**
   * Transport 'auto': an open WebSocket that delivers no frame within this many milliseconds (the
   * client pings right after opening, so a healthy gateway answers at once) is dropped for SSE.
   */
  readonly fallbackTimeoutMs?: number;
  /**
   * Transport 'auto', once fallen back to SSE: the first reconnect at least this long after the
   * fallback tries WebSocket again (DEFAULT_WEBSOCKET_RETRY_MS; Infinity = stay on SSE).
   */
  readonly websocketRetryMs?: number;
  /** fetch of the SSE transport: globalThis.fetch by default (browsers, Node 18+). */
  readonly fetch?: FetchLike;
  /** API key or ticket, offered as the `token.<key>` subprotocol (over SSE: the `token` query parameter). */
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
  /** Undefined only where no WebSocket is used: transport 'sse', or 'auto' without one (SSE from the start). */
  readonly WebSocket: WebSocketConstructor | undefined;
  readonly transport: TransportOption;
  /** Undefined only where SSE is not used: transport 'websocket', or 'auto' without one (no fallback). */
  readonly fetch: FetchLike | undefined;
  readonly fallbackTimeoutMs: number;
  readonly websocketRetryMs: number;
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
  const transport = options.transport ?? 'auto';
  if (!TRANSPORT_OPTIONS.includes(transport))
    throw new TypeError(`transport must be 'auto', 'websocket' or 'sse', got ${transport}`);
  const WebSocket =
    transport === 'sse'
      ? undefined
      : (options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket);
  const fetch = transport === 'websocket' ? undefined : (options.fetch ?? globalFetch());
  if (WebSocket === undefined && fetch === undefined)
    throw new TypeError(
      transport === 'sse'
        ? 'no global fetch here: pass one as the fetch option'
        : 'no global WebSocket here: pass the `ws` package as the WebSocket option',
    );
  const fallbackTimeoutMs = options.fallbackTimeoutMs ?? DEFAULT_FALLBACK_TIMEOUT_MS;
  if (!(fallbackTimeoutMs > 0)) throw new RangeError(`fallbackTimeoutMs must be positive, got ${fallbackTimeoutMs}`);
  const websocketRetryMs = options.websocketRetryMs ?? DEFAULT_WEBSOCKET_RETRY_MS;
  if (!(websocketRetryMs > 0)) throw new RangeError(`websocketRetryMs must be positive, got ${websocketRetryMs}`);
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
    transport,
    fetch,
    fallbackTimeoutMs,
    websocketRetryMs,
    protocols:
      options.token === undefined ? [API_SUBPROTOCOL] : [API_SUBPROTOCOL, API_TOKEN_PROTOCOL_PREFIX + options.token],
    reconnect: { baseMs: reconnect.baseMs, maxMs: reconnect.maxMs, random: reconnect.random ?? Math.random },
    heartbeatTimeoutMs,
    sendRate: options.sendRate ?? DEFAULT_SEND_RATE,
    now: options.now ?? defaultNow,
    timers: options.timers ?? defaultTimers,
  };
}
