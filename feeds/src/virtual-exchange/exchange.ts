import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout } from 'node:timers';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EpochMicros } from '../model/events';
import { Connection, type ConnectionHooks } from './connection';
import type { Dialect } from './dialect';
import { ExchangeCounters, type ExchangeStats } from './exchange-stats';
import { ExchangeFaults, validateFault, type ConnectionInfo, type FaultSpec } from './faults';
import type { FrameSource, VenueFrame } from './frame-source';
import { Timeline, type Speed } from './timeline';
import { TimerSet } from './timer-set';

export interface BackpressureOptions {
  /** A socket holding more unsent bytes than this is slow. Default 1 MiB. */
  readonly highWaterBytes?: number;
  /**
   * 'pause' (default): stop reading the source until every slow socket has drained below
   * `lowWaterBytes`; a socket still slow after `maxPauseMs` is closed, so one stuck client cannot
   * stop the exchange for good. 'close': close a slow connection at once (a venue's slow-consumer
   * disconnect). Either way nothing is buffered without bound.
   */
  readonly policy?: 'pause' | 'close';
  /** Default half the high-water mark. */
  readonly lowWaterBytes?: number;
  /** Default 10 000. */
  readonly maxPauseMs?: number;
  /** Close code for a slow consumer. Default 1008. */
  readonly closeCode?: number;
  readonly closeReason?: string;
  /** Bytes a connection may hold back for delay and stall faults before it counts as slow. Default 8 MiB. */
  readonly maxHeldBytes?: number;
}

export interface VirtualExchangeOptions {
  readonly dialect: Dialect;
  readonly source: FrameSource;
  /** A loopback address; default 127.0.0.1. Anything else is refused. */
  readonly host?: string;
  /** Default 0: a free port. */
  readonly port?: number;
  /** Default 1 (real time). */
  readonly speed?: Speed;
  /**
   * When the timeline starts: 'manual' (default) waits for `start()`; 'connection' starts on the
   * first accepted WebSocket; 'subscription' on the first subscribed stream.
   */
  readonly startOn?: 'manual' | 'connection' | 'subscription';
  readonly faults?: readonly FaultSpec[];
  readonly backpressure?: BackpressureOptions;
  /** Largest client message accepted (ws closes with 1009 above it). Default 64 KiB: clients only subscribe. */
  readonly maxPayload?: number;
  /** On `close()`, how long connections get to finish the close handshake before being destroyed. Default 200 ms. */
  readonly closeGraceMs?: number;
}

const LOOPBACK = /^(127(?:\.\d{1,3}){3}|::1|localhost)$/;
const POLL_MS = 5;

/**
 * A loopback venue: a WebSocket server (plus HTTP on the same port for REST) that speaks one
 * venue's protocol through its `Dialect` and publishes a `FrameSource` on one shared timeline.
 */
export class VirtualExchange {
  private readonly counters = new ExchangeCounters();
  private readonly timers = new TimerSet();
  private readonly connectionSet = new Set<Connection>();
  private readonly faultSpecs: FaultSpec[] = [];
  private readonly exchangeFaults: ExchangeFaults;
  private readonly timeline: Timeline;
  private readonly wss: WebSocketServer;
  private readonly server: Server;
  private readonly hooks: ConnectionHooks;
  private readonly backpressure: Required<BackpressureOptions>;
  private nextConnectionId = 1;
  private listenPort = 0;
  private closing: Promise<void> | undefined;
  private pauseStarted: number | undefined;

  private constructor(private readonly options: VirtualExchangeOptions) {
    const high = options.backpressure?.highWaterBytes ?? 1024 * 1024;
    this.backpressure = {
      highWaterBytes: high,
      lowWaterBytes: options.backpressure?.lowWaterBytes ?? Math.floor(high / 2),
      policy: options.backpressure?.policy ?? 'pause',
      maxPauseMs: options.backpressure?.maxPauseMs ?? 10_000,
      closeCode: options.backpressure?.closeCode ?? 1008,
      closeReason: options.backpressure?.closeReason ?? 'slow consumer',
      maxHeldBytes: options.backpressure?.maxHeldBytes ?? 8 * 1024 * 1024,
    };
    this.timeline = new Timeline(
      options.source,
      (frame) => {
        this.publish(frame);
      },
      {
        speed: options.speed ?? 1,
        backpressure: () => this.checkBackpressure(),
      },
    );
    this.hooks = {
      counters: this.counters,
      now: () => this.timeline.now(),
      clock: () => performance.now(),
      subscribed: () => {
        if (options.startOn === 'subscription') this.timeline.start();
      },
      ended: (connection) => {
        if (this.connectionSet.delete(connection)) this.counters.connectionsOpen--;
      },
      maxHeldBytes: this.backpressure.maxHeldBytes,
      slowConsumerClose: { code: this.backpressure.closeCode, reason: this.backpressure.closeReason },
    };
    this.exchangeFaults = new ExchangeFaults(
      this.timers,
      () => this.connectionSet,
      (kind) => {
        this.counters.faultApplied(kind);
      },
    );
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.maxPayload ?? 64 * 1024,
      clientTracking: false,
      // Connections answer pings themselves, so that a half-open one (a fault) can stay silent.
      autoPong: false,
    });
    this.server = createServer((request, response) => {
      this.answerHttp(request, response);
    });
    this.server.on('upgrade', (request: IncomingMessage, socket, head) => {
      socket.on('error', () => socket.destroy());
      const url = requestUrl(request);
      if (this.closing !== undefined || !options.dialect.acceptsPath(url)) {
        this.counters.connectionsRejected++;
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(request, socket, head, (ws) => {
        this.accept(ws, url);
      });
    });
    this.addFaults(options.faults ?? []);
  }

  /** Creates the exchange and listens; the timeline starts as `startOn` says. */
  static async listen(options: VirtualExchangeOptions): Promise<VirtualExchange> {
    const host = options.host ?? '127.0.0.1';
    if (!LOOPBACK.test(host)) throw new RangeError(`the virtual exchange binds loopback only, not ${host}`);
    const exchange = new VirtualExchange(options);
    // A failing source surfaces through `finished` once started; listening goes on regardless.
    await exchange.timeline.prime().catch(() => undefined);
    await new Promise<void>((resolve, reject) => {
      exchange.server.once('error', reject);
      exchange.server.listen(options.port ?? 0, host, () => {
        exchange.server.off('error', reject);
        exchange.listenPort = (exchange.server.address() as AddressInfo).port;
        resolve();
      });
    });
    return exchange;
  }

  get venue(): string {
    return this.options.dialect.venue;
  }

  /** The port listened on (kept after close, so URLs stay printable). */
  get port(): number {
    return this.listenPort;
  }

  /** ws:// URL of `path` on this exchange, e.g. url('/stream?streams=btcusdt@depth'). */
  url(path = '/'): string {
    return `ws://${this.hostForUrl()}:${this.port}${path}`;
  }

  /** http:// URL of `path` on this exchange (REST). */
  httpUrl(path: string): string {
    return `http://${this.hostForUrl()}:${this.port}${path}`;
  }

  /** Starts publishing the source (idempotent). */
  start(): void {
    if (this.closing === undefined) this.timeline.start();
  }

  /** Resolves once the source is exhausted (or the exchange closed); rejects if the source fails. */
  get finished(): Promise<void> {
    return this.timeline.finished;
  }

  now(): EpochMicros {
    return this.timeline.now();
  }

  stats(): ExchangeStats {
    return this.counters.snapshot(this.timeline.framesPublished, this.timeline.status, this.timeline.now());
  }

  connections(): readonly ConnectionInfo[] {
    return [...this.connectionSet].map((connection) => connection.info);
  }

  /** The streams each open connection is subscribed to, by connection id. */
  subscriptions(): ReadonlyMap<number, readonly string[]> {
    return new Map([...this.connectionSet].map((connection) => [connection.info.id, connection.streams]));
  }

  /** Adds faults for the open connections they select and for every later one. */
  addFaults(specs: readonly FaultSpec[]): void {
    for (const spec of specs) validateFault(spec);
    this.faultSpecs.push(...specs);
    for (const connection of this.connectionSet) connection.addFaults(specs);
    this.exchangeFaults.add(specs);
  }

  /** Closes every socket and the server, stops the timeline and clears all timers. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    await this.timeline.stop();
    this.timers.clear();
    for (const connection of this.connectionSet) connection.close(1001, 'server shutting down');
    const deadline = performance.now() + (this.options.closeGraceMs ?? 200);
    while (this.connectionSet.size > 0 && performance.now() < deadline) await sleep(POLL_MS);
    for (const connection of [...this.connectionSet]) connection.terminate();
    // A destroyed socket reports 'close' on a later tick; bounded, so close() always returns.
    const hardDeadline = performance.now() + 1000;
    while (this.connectionSet.size > 0 && performance.now() < hardDeadline) await sleep(POLL_MS);
    for (const connection of [...this.connectionSet]) this.hooks.ended(connection);
    await new Promise<void>((resolve) => {
      this.wss.close(() => {
        resolve();
      });
    });
    this.server.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.server.close(() => {
        resolve();
      }),
    );
  }

  private accept(ws: WebSocket, url: URL): void {
    if (this.closing !== undefined) {
      ws.terminate();
      return;
    }
    let connection: Connection;
    try {
      connection = new Connection(ws, url, this.nextConnectionId++, this.options.dialect, this.faultSpecs, this.hooks);
    } catch {
      this.counters.sessionErrors++;
      ws.close(1011, 'internal error');
      return;
    }
    this.connectionSet.add(connection);
    this.counters.connectionsOpened++;
    this.counters.connectionsOpen++;
    connection.start();
    if (this.options.startOn === 'connection') this.timeline.start();
  }

  private publish(frame: VenueFrame): void {
    this.options.dialect.observe?.(frame);
    for (const connection of this.connectionSet) connection.deliver(frame);
  }

  private checkBackpressure(): Promise<void> | undefined {
    const { highWaterBytes, policy } = this.backpressure;
    let slow = false;
    for (const connection of this.connectionSet) {
      if (!connection.isOpen || connection.bufferedAmount <= highWaterBytes) continue;
      if (policy === 'close') this.closeSlow(connection);
      else slow = true;
    }
    return slow ? this.drain() : undefined;
  }

  /** Waits until every open socket is below the low-water mark, closing any stuck past maxPauseMs. */
  private async drain(): Promise<void> {
    const { lowWaterBytes, maxPauseMs } = this.backpressure;
    this.pauseStarted ??= performance.now();
    for (;;) {
      const stuck = performance.now() - this.pauseStarted > maxPauseMs;
      let waiting = false;
      for (const connection of this.connectionSet) {
        if (!connection.isOpen || connection.bufferedAmount <= lowWaterBytes) continue;
        if (stuck) this.closeSlow(connection);
        else waiting = true;
      }
      if (!waiting || this.closing !== undefined) break;
      await sleep(POLL_MS);
    }
    this.pauseStarted = undefined;
  }

  private closeSlow(connection: Connection): void {
    this.counters.slowClientsClosed++;
    // The close frame queues behind the unread data; destroy the socket if the client never reads it.
    connection.close(this.backpressure.closeCode, this.backpressure.closeReason);
    this.timers.timeout(5_000, () => {
      connection.terminate();
    });
  }

  private answerHttp(request: IncomingMessage, response: ServerResponse): void {
    this.counters.httpRequests++;
    const url = requestUrl(request);
    const answer = request.method === 'GET' ? this.options.source.http?.(url, this.timeline.now()) : undefined;
    if (answer === undefined) {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not Found');
      return;
    }
    response
      .writeHead(answer.status, { 'Content-Type': answer.contentType ?? 'application/json;charset=UTF-8' })
      .end(answer.body);
  }

  private hostForUrl(): string {
    const host = this.options.host ?? '127.0.0.1';
    return host.includes(':') ? `[${host}]` : host;
  }
}

/** Creates a virtual exchange listening on loopback. */
export function createVirtualExchange(options: VirtualExchangeOptions): Promise<VirtualExchange> {
  return VirtualExchange.listen(options);
}

function requestUrl(request: IncomingMessage): URL {
  return new URL(request.url ?? '/', 'http://127.0.0.1');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
