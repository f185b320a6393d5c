import { BehaviorSubject, type Observable } from 'rxjs';
import { Backoff } from '../upstream/backoff';
import { CLIENT_CLOSE_CODES, type CloseInfo, type ConnectionState } from './connection-state';
import { SendPacer } from './send-pacer';
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

/**
 * One WebSocket at a time to one of the gateway URLs: connects, fails over to the next URL after a
 * failed connect or a close (round-robin, with jittered exponential backoff), and declares the
 * connection dead when nothing at all arrives for `heartbeatTimeoutMs`.
 */
export class ReconnectingSocket {
  private readonly state: BehaviorSubject<ConnectionState>;
  private readonly backoff: Backoff;
  private readonly pacer: SendPacer;
  private socket: WebSocketLike | undefined;
  private socketUrl = '';
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
    this.state = new BehaviorSubject<ConnectionState>({
      status: 'connecting',
      url: options.urls[0] as string,
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
      this.pacer.reset();
      const socket = this.socket;
      const finish = (close: CloseInfo | null): void => {
        this.socket = undefined;
        this.state.next({
          status: 'closed',
          url: this.socketUrl,
          failedAttempts: this.failedAttempts,
          lastClose: close ?? this.lastClose,
        });
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
    const { urls, WebSocket, protocols } = this.options;
    const url = urls[this.urlIndex] as string;
    this.socketUrl = url;
    this.receivedOnSocket = false;
    // The first attempt's state is the initial one.
    if (this.attempts++ > 0)
      this.state.next({ status: 'connecting', url, failedAttempts: this.failedAttempts, lastClose: this.lastClose });
    let socket: WebSocketLike;
    try {
      socket = new WebSocket(url, [...protocols]);
    } catch (error) {
      this.lose({ code: ABNORMAL_CLOSURE, reason: error instanceof Error ? error.message : String(error), url });
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.opens++;
      this.pacer.reset();
      this.state.next({ status: 'open', url, failedAttempts: this.failedAttempts, lastClose: this.lastClose });
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
    detach(socket);
    socket.onerror = ignore;
    this.socket = undefined;
    try {
      // The peer is gone: no closing handshake to wait for where the implementation can skip it.
      if (socket.terminate !== undefined) socket.terminate();
      else socket.close(CLIENT_CLOSE_CODES.heartbeatTimeout, 'heartbeat timeout');
    } catch {
      // Already closing; nothing more to do with it.
    }
    this.lose({
      code: CLIENT_CLOSE_CODES.heartbeatTimeout,
      reason: `heartbeat timeout: no message for ${timeout} ms`,
      url: this.socketUrl,
    });
  };

  private lose(close: CloseInfo): void {
    this.cancelTimer('watchdog');
    this.pacer.reset();
    if (this.closing !== undefined) return;
    if (!this.receivedOnSocket) this.failedAttempts++;
    this.lastClose = close;
    this.urlIndex = (this.urlIndex + 1) % this.options.urls.length;
    const delay = this.backoff.next();
    this.events.lost();
    this.state.next({
      status: 'reconnecting',
      url: close.url,
      nextUrl: this.options.urls[this.urlIndex],
      retryInMs: delay,
      failedAttempts: this.failedAttempts,
      lastClose: close,
    });
    this.retry = this.options.timers.setTimeout(() => {
      this.retry = undefined;
      this.connect();
    }, delay);
  }

  private cancelTimer(which: 'retry' | 'watchdog'): void {
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
