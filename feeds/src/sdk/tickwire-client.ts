import { defer, type Observable, Subject, throwError } from 'rxjs';
import {
  BOOK_DEPTH_DEFAULT,
  BOOK_DEPTH_MAX,
  BOOK_INTERVAL_DEFAULT_MS,
  BOOK_INTERVAL_MAX_MS,
  BOOK_INTERVAL_MIN_MS,
  channelKey,
  type ChannelName,
  type ErrorMessage,
  type ServerMessage,
  type SnapshotMessage,
  type SubscribeParams,
  type SubscribeRequest,
  type UnsubscribeRequest,
  type UpdateMessage,
} from '../api/protocol';
import type { CandleInterval } from '../model/events';
import type { BookView } from './book-view';
import { type ClientStats, emptyStats } from './client-stats';
import type { ChannelMessage } from './channel-message';
import type { ChannelReducer } from './channel-reducer';
import { type ChannelRequest, ChannelStream } from './channel-stream';
import type { ConnectionState } from './connection-state';
import {
  InstrumentsReducer,
  LatestStateReducer,
  RecentCandlesReducer,
  RecentTradesReducer,
} from './event-channel-reducers';
import { LocalBook } from './local-book';
import { ReconnectingSocket } from './reconnecting-socket';
import { TickwireApiError, TickwireClientClosedError } from './tickwire-api-error';
import {
  resolveClientOptions,
  type ResolvedClientOptions,
  type TickwireClientOptions,
} from './tickwire-client-options';

export interface BookOptions {
  /** Levels per side, 1..BOOK_DEPTH_MAX (default BOOK_DEPTH_DEFAULT). */
  readonly depth?: number;
  /** 0 = every verified update, else BOOK_INTERVAL_MIN_MS..BOOK_INTERVAL_MAX_MS (default 100). */
  readonly intervalMs?: number;
}

export interface BboOptions {
  /** 0 = every change (the default), else BOOK_INTERVAL_MIN_MS..BOOK_INTERVAL_MAX_MS. */
  readonly intervalMs?: number;
}

/** A request waiting for its answer (ack, pong or error), by request id, on the current connection. */
type Pending =
  | { readonly kind: 'subscribe'; readonly stream: ChannelStream }
  | { readonly kind: 'unsubscribe' }
  | {
      readonly kind: 'ping';
      sentAt: number;
      readonly resolve: (rttMs: number) => void;
      readonly reject: (error: unknown) => void;
    };

/**
 * Typed client of the Tickwire subscription API (docs/api.md). Connects at construction and stays
 * connected (failover over `urls`, backoff, heartbeat watchdog) until `close()`, over a WebSocket
 * or, where WebSockets do not get through, Server-Sent Events (`transport`, README.md). Each channel
 * observable subscribes upstream on its first observer and unsubscribes when the last one goes,
 * shared per channel key; every (re)connect subscribes again to everything still observed.
 */
export class TickwireClient {
  private readonly options: ResolvedClientOptions;
  private readonly socket: ReconnectingSocket;
  private readonly streams = new Map<string, ChannelStream>();
  private readonly pending = new Map<number, Pending>();
  private readonly counters = emptyStats();
  private readonly unrouted = new Subject<TickwireApiError>();
  private nextId = 1;
  private closed = false;

  /** Connection status, URL in use and last close; replays the current state to a new observer. */
  readonly connectionState$: Observable<ConnectionState>;
  /** Gateway errors that answer no subscription or ping of this client (e.g. malformed_json). */
  readonly errors$: Observable<TickwireApiError> = this.unrouted.asObservable();

  constructor(options: TickwireClientOptions) {
    this.options = resolveClientOptions(options);
    this.socket = new ReconnectingSocket(this.options, {
      open: () => {
        this.onOpen();
      },
      message: (text) => {
        this.onMessage(text);
      },
      binary: () => {
        this.counters.messages++;
        this.counters.malformedMessages++;
      },
      lost: () => {
        this.onLost(new Error('connection lost'));
      },
    });
    this.connectionState$ = this.socket.state$;
    this.socket.start();
  }

  get connectionState(): ConnectionState {
    return this.socket.current;
  }

  /** Trades: a snapshot of recent trades, then batches. */
  trades(instrument: string): Observable<ChannelMessage<'trades'>> {
    return this.observe({ channel: 'trades', instrument, params: {} }, () => new RecentTradesReducer());
  }

  /** The top `depth` levels of the book, kept locally from the snapshot and updates, after each message. */
  book(instrument: string, options: BookOptions = {}): Observable<BookView> {
    const depth = options.depth ?? BOOK_DEPTH_DEFAULT;
    const intervalMs = options.intervalMs ?? BOOK_INTERVAL_DEFAULT_MS;
    if (!Number.isInteger(depth) || depth < 1 || depth > BOOK_DEPTH_MAX)
      throw new RangeError(`book depth must be an integer in 1..${BOOK_DEPTH_MAX}, got ${depth}`);
    checkInterval(intervalMs);
    return this.observe(
      { channel: 'book', instrument, params: { depth, intervalMs } },
      () => new LocalBook(instrument, depth, intervalMs),
    );
  }

  /** Best bid and offer: each message is the whole state. */
  bbo(instrument: string, options: BboOptions = {}): Observable<ChannelMessage<'bbo'>> {
    const intervalMs = options.intervalMs ?? 0;
    checkInterval(intervalMs);
    return this.observe({ channel: 'bbo', instrument, params: { intervalMs } }, () => new LatestStateReducer<'bbo'>());
  }

  /** Candles: recent ones oldest first, then the open candle's updates and each close. */
  candles(instrument: string, interval: CandleInterval): Observable<ChannelMessage<'candles'>> {
    return this.observe({ channel: 'candles', instrument, params: { interval } }, () => new RecentCandlesReducer());
  }

  /** The feed state of an instrument (live, resyncing, stale, ...). */
  status(instrument: string): Observable<ChannelMessage<'status'>> {
    return this.observe({ channel: 'status', instrument, params: {} }, () => new LatestStateReducer<'status'>());
  }

  /** All instruments, then those added or changed. */
  instruments(): Observable<ChannelMessage<'instruments'>> {
    return this.observe({ channel: 'instruments', instrument: undefined, params: {} }, () => new InstrumentsReducer());
  }

  /**
   * Round-trip time of a ping in milliseconds. Rejects when no connection is open, when it is lost
   * first, or when no pong comes within `heartbeatTimeoutMs`.
   */
  ping(): Promise<number> {
    if (this.closed) return Promise.reject(new TickwireClientClosedError());
    if (!this.socket.isOpen) return Promise.reject(new Error('ping needs an open connection'));
    return new Promise<number>((resolve, reject) => {
      const id = this.nextId++;
      const { timers, heartbeatTimeoutMs, now } = this.options;
      const timer = timers.setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`no pong within ${heartbeatTimeoutMs} ms`));
      }, heartbeatTimeoutMs);
      const ping = {
        kind: 'ping' as const,
        sentAt: now(),
        resolve: (rttMs: number) => {
          timers.clearTimeout(timer);
          resolve(rttMs);
        },
        reject: (error: unknown) => {
          timers.clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      };
      this.pending.set(id, ping);
      // Timed from the moment it is written, not from when it waited for the send pacer.
      this.socket.send(JSON.stringify({ op: 'ping', id }), () => {
        ping.sentAt = now();
      });
    });
  }

  stats(): ClientStats {
    return { ...this.counters, reconnects: Math.max(0, this.socket.openCount - 1) };
  }

  /** Channel keys (protocol `channelKey`) of the streams observed now. */
  channels(): string[] {
    return [...this.streams.keys()];
  }

  /**
   * Completes every channel observable, rejects pending pings, closes the connection and stops
   * reconnecting; resolves when the socket is closed and no timer of the client is left.
   */
  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      const streams = [...this.streams.values()];
      this.streams.clear();
      this.onLost(new TickwireClientClosedError());
      for (const stream of streams) stream.complete();
      this.unrouted.complete();
    }
    return this.socket.close();
  }

  private observe<C extends ChannelName, V>(
    request: ChannelRequest & { readonly channel: C },
    createReducer: () => ChannelReducer<C, V>,
  ): Observable<V> {
    return defer(() => {
      if (this.closed) return throwError(() => new TickwireClientClosedError());
      const key = channelKey(request.channel, request.instrument, request.params);
      let stream = this.streams.get(key) as ChannelStream<C, V> | undefined;
      if (stream === undefined) {
        stream = new ChannelStream<C, V>(key, request, createReducer());
        this.streams.set(key, stream as unknown as ChannelStream);
      }
      return stream.views(
        (first) => {
          this.sendSubscribe(first as unknown as ChannelStream);
        },
        (last) => {
          this.release(last as unknown as ChannelStream);
        },
      );
    });
  }

  private release(stream: ChannelStream): void {
    // Gone already when it failed (the gateway refused it) or the client closed.
    if (this.streams.get(stream.key) !== stream) return;
    this.streams.delete(stream.key);
    this.sendRequest('unsubscribe', stream);
  }

  private sendSubscribe(stream: ChannelStream): void {
    stream.tracker.subscribing();
    const id = this.sendRequest('subscribe', stream);
    stream.subscribeId = id;
    if (id !== undefined) this.pending.set(id, { kind: 'subscribe', stream });
  }

  /** Sends a subscribe or unsubscribe for the stream; returns its id, or undefined when not connected. */
  private sendRequest(op: 'subscribe' | 'unsubscribe', stream: ChannelStream): number | undefined {
    if (!this.socket.isOpen) return undefined;
    const id = this.nextId++;
    const { channel, instrument, params } = stream.request;
    const request: SubscribeRequest | UnsubscribeRequest = {
      op,
      id,
      channel,
      ...(instrument === undefined ? {} : { instrument }),
      ...definedParams(params),
    };
    if (op === 'unsubscribe') this.pending.set(id, { kind: 'unsubscribe' });
    this.socket.send(JSON.stringify(request));
    return id;
  }

  private onOpen(): void {
    for (const stream of this.streams.values()) {
      stream.tracker.reset();
      this.sendSubscribe(stream);
    }
  }

  private onLost(reason: unknown): void {
    for (const pending of this.pending.values()) if (pending.kind === 'ping') pending.reject(reason);
    this.pending.clear();
    for (const stream of this.streams.values()) {
      stream.tracker.reset();
      stream.subscribeId = undefined;
    }
  }

  private onMessage(text: string): void {
    this.counters.messages++;
    let message: ServerMessage;
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || typeof (parsed as { type?: unknown }).type !== 'string') {
        this.counters.malformedMessages++;
        return;
      }
      // The SDK trusts the gateway's shapes (protocol.ts); only the envelope is checked.
      message = parsed as ServerMessage;
    } catch {
      this.counters.malformedMessages++;
      return;
    }
    switch (message.type) {
      case 'snapshot':
        this.onSnapshot(message);
        break;
      case 'update':
        this.onUpdate(message);
        break;
      case 'ack':
        this.onAck(message.id);
        break;
      case 'pong':
        this.onPong(message.id);
        break;
      case 'error':
        this.onError(message);
        break;
      case 'heartbeat':
        // Any message feeds the watchdog; nothing else to do.
        break;
    }
  }

  private onSnapshot(message: SnapshotMessage): void {
    const stream = this.route(message);
    if (stream === undefined) return;
    if (stream.tracker.snapshot(message.seq)) this.counters.resnapshots++;
    if (message.conflated === true) this.counters.conflatedSnapshots++;
    stream.snapshot(message);
  }

  private onUpdate(message: UpdateMessage): void {
    const stream = this.route(message);
    if (stream === undefined) return;
    switch (stream.tracker.update(message.seq)) {
      case 'apply':
        stream.update(message);
        break;
      case 'ignore':
        this.counters.droppedUpdates++;
        break;
      case 'gap':
        this.counters.gaps++;
        this.counters.droppedUpdates++;
        // A fresh snapshot: the gateway sends one on every subscribe.
        this.sendRequest('unsubscribe', stream);
        this.sendSubscribe(stream);
        break;
    }
  }

  /**
   * The stream a channel message belongs to, by its channel key. `params` are optional on the
   * wire; without them, the only stream of that channel and instrument is the one meant.
   */
  private route(message: SnapshotMessage | UpdateMessage): ChannelStream | undefined {
    const exact = this.streams.get(channelKey(message.channel, message.instrument, message.params ?? {}));
    if (exact !== undefined || message.params !== undefined) return exact;
    let only: ChannelStream | undefined;
    for (const stream of this.streams.values()) {
      if (stream.request.channel !== message.channel || stream.request.instrument !== message.instrument) continue;
      if (only !== undefined) return undefined;
      only = stream;
    }
    return only;
  }

  private onAck(id: number | undefined): void {
    if (id === undefined) return;
    const pending = this.pending.get(id);
    if (pending === undefined || pending.kind === 'ping') return;
    this.pending.delete(id);
    if (pending.kind === 'subscribe' && pending.stream.subscribeId === id) pending.stream.tracker.acknowledged();
  }

  private onPong(id: number | undefined): void {
    if (id === undefined) return;
    const pending = this.pending.get(id);
    if (pending?.kind !== 'ping') return;
    this.pending.delete(id);
    pending.resolve(this.options.now() - pending.sentAt);
  }

  private onError(message: ErrorMessage): void {
    const pending = message.id === undefined ? undefined : this.pending.get(message.id);
    if (message.id !== undefined) this.pending.delete(message.id);
    switch (pending?.kind) {
      case 'subscribe': {
        const { stream } = pending;
        if (this.streams.get(stream.key) === stream) this.streams.delete(stream.key);
        stream.fail(new TickwireApiError(message.code, message.message, message.id, stream.key));
        break;
      }
      case 'ping':
        pending.reject(new TickwireApiError(message.code, message.message, message.id, undefined));
        break;
      case 'unsubscribe':
        // e.g. not_subscribed after the gateway dropped it itself: nothing is lost.
        break;
      case undefined:
        this.unrouted.next(new TickwireApiError(message.code, message.message, message.id, undefined));
        break;
    }
  }
}

function checkInterval(intervalMs: number): void {
  if (
    !Number.isInteger(intervalMs) ||
    (intervalMs !== 0 && (intervalMs < BOOK_INTERVAL_MIN_MS || intervalMs > BOOK_INTERVAL_MAX_MS))
  )
    throw new RangeError(
      `intervalMs must be 0 or an integer in ${BOOK_INTERVAL_MIN_MS}..${BOOK_INTERVAL_MAX_MS}, got ${intervalMs}`,
    );
}

function definedParams(params: SubscribeParams): SubscribeParams {
  return {
    ...(params.depth === undefined ? {} : { depth: params.depth }),
    ...(params.intervalMs === undefined ? {} : { intervalMs: params.intervalMs }),
    ...(params.interval === undefined ? {} : { interval: params.interval }),
  };
}
