import { BehaviorSubject, type Observable } from 'rxjs';
import { Backoff } from '../upstream/backoff';
import {
  CLIENT_CLOSE_CODES,
  type CloseInfo,
  type ConnectionState,
  type ConnectionStatus,
  type ConnectionTransport,
} from './connection-state';
import { SendPacer } from './send-pacer';
import { SseSocket } from './sse-socket';
import type { ResolvedClientOptions } from './tickwire-client-options';
import { WEBSOCKET_OPEN, type WebSocketLike } from './websocket-like';

/** What the socket tells its owner (the client speaks the protocol, this class only connects). */
export interface SocketEvents {
  /** A connection opened: subscribe again to everything wanted. */
  open(): void;
  /** A text frame arrived. */
  message(text: string): void;
  /** A frame that is not text arrived (the gateway sends none). */
  binary(): void;
  /** The connection in use closed or was declared dead; a new one follows unless close() was called. */
  lost(): void;
}

const ignore = (): void => undefined;

/** 1006: closed without a close frame (refused, reset, or the constructor threw). */
const ABNORMAL_CLOSURE = 1006;

/** What the client sends right after a WebSocket opens in 'auto' mode: a healthy gateway answers at once. */
const FALLBACK_PROBE = JSON.stringify({ op: 'ping' });

/**
 * One connection at a time to one of the gateway URLs, over a WebSocket or Server-Sent Events
 * (`SseSocket`, same interface): connects, fails over to the next URL after a failed connect or a
 * close (round-robin, with jittered exponential backoff), and declares the connection dead when
 * nothing at all arrives for `heartbeatTimeoutMs`.
 *
 * Transport 'auto': a WebSocket that ends without having delivered a single frame (refused or
 * failed upgrade, a handshake that never completes, a close right after opening, or no frame
 * within `fallbackTimeoutMs` of opening) is followed at once by an SSE attempt on the same URL. If
 * that one opens, the client stays on SSE (until the first reconnect `websocketRetryMs` after the
 * fallback, which tries WebSocket again); if it fails too, the gateway is simply unreachable and
 * the next attempt is a WebSocket again, after the usual backoff, on the next URL.
 */
export class ReconnectingSocket {
  private readonly state: BehaviorSubject<ConnectionState>;
  private readonly backoff: Backoff;
  private readonly pacer: SendPacer;
  private socket: WebSocketLike | undefined;
  private socketUrl = '';
  /** Of the current (or last) connection, and of the next one. */
  private transport: ConnectionTransport;
  private nextTransport: ConnectionTransport;
  /** Transport 'auto': when an SSE connection opened after a WebSocket failed (undefined: not fallen back). */
  private fellBackAt: number | undefined;
  private fallbackTimer: unknown;
  private urlIndex = 0;
  private failedAttempts = 0;
  private lastClose: CloseInfo | null = null;
  private receivedOnSocket = false;
  private lastMessageAt = 0;
  private watchdog: unknown;
  private retry: unknown;
  private closing: Promise<void> | undefined;
  private opens = 0;
  private attempts = 0;
  readonly state$: Observable<ConnectionState>;

  constructor(
    private readonly options: ResolvedClientOptions,
    private readonly events: SocketEvents,
  ) {
    this.backoff = new Backoff(options.reconnect.baseMs, options.reconnect.maxMs, options.reconnect.random);
    this.pacer = new SendPacer(options.sendRate, options.now, options.timers, (text) => {
      this.socket?.send(text);
    });
    // 'auto' without a WebSocket implementation can only use SSE, from the start.
    this.transport = options.transport === 'sse' || options.WebSocket === undefined ? 'sse' : 'websocket';
    this.nextTransport = this.transport;
    this.state = new BehaviorSubject<ConnectionState>({
      status: 'connecting',
      url: options.urls[0] as string,
      transport: this.transport,
      failedAttempts: 0,
      lastClose: null,
    });
    this.state$ = this.state.asObservable();
  }

  get current(): ConnectionState {
    return this.state.value;
  }

  get isOpen(): boolean {
    return this.socket !== undefined && this.socket.readyState === WEBSOCKET_OPEN;
  }

  /** Connections opened so far. */
  get openCount(): number {
    return this.opens;
  }

  start(): void {
    this.connect();
  }

  /**
   * Sends a text frame, paced to the send rate (`onSent` runs when it is written); false when no
   * connection is open. What waits for its turn is dropped if the connection is lost.
   */
  send(text: string, onSent?: () => void): boolean {
    if (!this.isOpen) return false;
    this.pacer.send(text, onSent);
    return true;
  }

  /** Closes the connection (code 1000) and stops reconnecting; resolves once the socket is closed. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.cancelTimer('retry');
      this.cancelTimer('watchdog');
      this.cancelTimer('fallbackTimer');
      this.pacer.reset();
      const socket = this.socket;
      const finish = (close: CloseInfo | null): void => {
        this.socket = undefined;
        this.publish('closed', this.socketUrl, close ?? this.lastClose);
        this.state.complete();
        resolve();
      };
      if (socket === undefined) {
        finish(null);
        return;
      }
      const url = this.socketUrl;
      const closedHere = { code: CLIENT_CLOSE_CODES.normal, reason: 'client closed', url };
      // A peer that never answers the close frame is not waited for longer than a dead connection.
      const guard = this.options.timers.setTimeout(() => {
        detach(socket);
        socket.onerror = ignore;
        socket.terminate?.();
        finish(closedHere);
      }, this.options.heartbeatTimeoutMs);
      socket.onopen = null;
      socket.onmessage = null;
      socket.onerror = ignore;
      socket.onclose = (event) => {
        this.options.timers.clearTimeout(guard);
        detach(socket);
        finish({ code: event.code, reason: event.reason, url });
      };
      try {
        socket.close(CLIENT_CLOSE_CODES.normal, 'client closed');
      } catch {
        this.options.timers.clearTimeout(guard);
        detach(socket);
        finish(closedHere);
      }
    });
    return this.closing;
  }

  private connect(): void {
    const { urls, WebSocket, protocols, fetch } = this.options;
    const url = urls[this.urlIndex] as string;
    const transport = this.nextTransport;
    this.socketUrl = url;
    this.transport = transport;
    this.receivedOnSocket = false;
    // The first attempt's state is the initial one.
    if (this.attempts++ > 0) this.publish('connecting', url, this.lastClose);
    let socket: WebSocketLike;
    try {
      socket =
        transport === 'sse' || WebSocket === undefined
          ? new SseSocket(url, [...protocols], fetch === undefined ? {} : { fetch })
          : new WebSocket(url, [...protocols]);
    } catch (error) {
      this.lose({ code: ABNORMAL_CLOSURE, reason: error instanceof Error ? error.message : String(error), url });
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.opens++;
      this.pacer.reset();
      if (transport === 'sse' && this.options.transport === 'auto') this.fellBackAt ??= this.options.now();
      this.publish('open', url, this.lastClose);
      if (this.mayFallBack) {
        this.pacer.send(FALLBACK_PROBE);
        this.fallbackTimer = this.options.timers.setTimeout(this.fallBackForSilence, this.options.fallbackTimeoutMs);
      }
      this.events.open();
    };
    socket.onmessage = (event) => {
      this.lastMessageAt = this.options.now();
      if (!this.receivedOnSocket) {
        // Only a connection that delivers something counts as healthy: a gateway that accepts and
        // drops at once must not be retried at the base delay forever.
        this.receivedOnSocket = true;
        this.failedAttempts = 0;
        this.backoff.reset();
        this.cancelTimer('fallbackTimer');
      }
      if (typeof event.data === 'string') this.events.message(event.data);
      else this.events.binary();
    };
    socket.onclose = (event) => {
      detach(socket);
      this.socket = undefined;
      this.lose({ code: event.code, reason: event.reason, url });
    };
    // Errors are always followed by a close event; `ws` throws on an error nobody listens to.
    socket.onerror = ignore;
    this.lastMessageAt = this.options.now();
    this.armWatchdog(this.options.heartbeatTimeoutMs);
  }

  private armWatchdog(ms: number): void {
    this.watchdog = this.options.timers.setTimeout(this.checkHeartbeat, ms);
  }

  private readonly checkHeartbeat = (): void => {
    this.watchdog = undefined;
    const socket = this.socket;
    if (socket === undefined) return;
    const timeout = this.options.heartbeatTimeoutMs;
    const silentFor = this.options.now() - this.lastMessageAt;
    if (silentFor < timeout) {
      this.armWatchdog(timeout - silentFor);
      return;
    }
    this.abandon(socket, {
      code: CLIENT_CLOSE_CODES.heartbeatTimeout,
      reason: `heartbeat timeout: no message for ${timeout} ms`,
      url: this.socketUrl,
    });
  };

  /** Transport 'auto', while on WebSocket: an SSE attempt may follow a WebSocket that delivers nothing. */
  private get mayFallBack(): boolean {
    return this.options.transport === 'auto' && this.transport === 'websocket' && this.options.fetch !== undefined;
  }

  private readonly fallBackForSilence = (): void => {
    this.fallbackTimer = undefined;
    const socket = this.socket;
    if (socket === undefined) return;
    this.abandon(socket, {
      code: CLIENT_CLOSE_CODES.fallbackTimeout,
      reason: `no frame within ${this.options.fallbackTimeoutMs} ms of the WebSocket opening`,
      url: this.socketUrl,
    });
  };

  /** Drops a connection declared dead (without waiting for a closing handshake where it can) and moves on. */
  private abandon(socket: WebSocketLike, close: CloseInfo): void {
    detach(socket);
    socket.onerror = ignore;
    this.socket = undefined;
    try {
      // The peer is gone: no closing handshake to wait for where the implementation can skip it.
      if (socket.terminate !== undefined) socket.terminate();
      else socket.close(close.code, close.reason.slice(0, 120));
    } catch {
      // Already closing; nothing more to do with it.
    }
    this.lose(close);
  }

  private lose(close: CloseInfo): void {
    this.cancelTimer('watchdog');
    this.cancelTimer('fallbackTimer');
    this.pacer.reset();
    if (this.closing !== undefined) return;
    if (!this.receivedOnSocket) this.failedAttempts++;
    this.lastClose = close;
    this.events.lost();
    if (this.mayFallBack && !this.receivedOnSocket) {
      // WebSockets may not get through: Server-Sent Events to the same URL, at once.
      this.nextTransport = 'sse';
      this.publish('reconnecting', close.url, close, { nextUrl: close.url, nextTransport: 'sse', retryInMs: 0 });
      this.connect();
      return;
    }
    this.nextTransport = this.transportAfter();
    this.urlIndex = (this.urlIndex + 1) % this.options.urls.length;
    const delay = this.backoff.next();
    this.publish('reconnecting', close.url, close, {
      nextUrl: this.options.urls[this.urlIndex] as string,
      nextTransport: this.nextTransport,
      retryInMs: delay,
    });
    this.retry = this.options.timers.setTimeout(() => {
      this.retry = undefined;
      this.connect();
    }, delay);
  }

  /** The transport of the next attempt after a connection over `this.transport` ended. */
  private transportAfter(): ConnectionTransport {
    if (this.options.transport !== 'auto' || this.transport !== 'sse' || this.options.WebSocket === undefined)
      return this.transport;
    // An SSE attempt that never opened after a WebSocket failure: the gateway was unreachable.
    if (this.fellBackAt === undefined) return 'websocket';
    if (this.options.now() - this.fellBackAt < this.options.websocketRetryMs) return 'sse';
    this.fellBackAt = undefined;
    return 'websocket';
  }

  private publish(
    status: ConnectionStatus,
    url: string,
    lastClose: CloseInfo | null,
    next?: { nextUrl: string; nextTransport: ConnectionTransport; retryInMs: number },
  ): void {
    this.state.next({
      status,
      url,
      transport: this.transport,
      ...next,
      failedAttempts: this.failedAttempts,
      lastClose,
    });
  }

  private cancelTimer(which: 'retry' | 'watchdog' | 'fallbackTimer'): void {
    const handle = this[which];
    if (handle === undefined) return;
    this.options.timers.clearTimeout(handle);
    this[which] = undefined;
  }
}

function detach(socket: WebSocketLike): void {
  socket.onopen = null;
  socket.onmessage = null;
  socket.onclose = null;
  socket.onerror = null;
}
