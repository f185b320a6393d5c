import { Buffer } from 'node:buffer';
import WebSocket from 'ws';
import type { EpochMicros } from '../model/events';
import type { Dialect, DialectSession, SendKind, SessionIo } from './dialect';
import type { ExchangeCounters } from './exchange-stats';
import { ConnectionFaults, type ConnectionInfo, type FaultSpec, type FaultTarget, type FrameOut } from './faults';
import type { VenueFrame } from './frame-source';
import { Outbox, type OutboxItem, type OutboxKind } from './outbox';
import { TimerSet } from './timer-set';

export interface ConnectionHooks {
  readonly counters: ExchangeCounters;
  readonly now: () => EpochMicros;
  readonly clock: () => number;
  /** A stream was subscribed (the exchange may start its timeline). */
  readonly subscribed: () => void;
  readonly ended: (connection: Connection) => void;
  /**
   * Frames a connection may hold back (delays, stalls) before it counts as a slow consumer and is
   * closed with `slowConsumerClose`.
   */
  readonly maxHeldBytes: number;
  readonly slowConsumerClose: { readonly code: number; readonly reason: string };
}

/**
 * One client connection: the dialect session that speaks the venue protocol, the faults aimed at
 * it, and its ordered outbox. Everything it owns (timers, queue) dies with the socket.
 */
export class Connection implements FaultTarget {
  readonly info: ConnectionInfo;
  private readonly subscriptions = new Set<string>();
  private readonly timers = new TimerSet();
  private readonly outbox: Outbox;
  private readonly faults: ConnectionFaults;
  private readonly session: DialectSession;
  private readonly openedAt: number;
  private lastSent: number;
  private stalledUntil = 0;
  /** Half-open: nothing is written any more, pongs included (HalfOpenFault). */
  private silent = false;
  private frameIndex = 0;
  private ended = false;

  constructor(
    private readonly socket: WebSocket,
    url: URL,
    id: number,
    dialect: Dialect,
    faults: readonly FaultSpec[],
    private readonly hooks: ConnectionHooks,
  ) {
    this.info = { id, url: url.pathname + url.search };
    this.openedAt = hooks.clock();
    this.lastSent = this.openedAt;
    this.outbox = new Outbox(
      (item) => {
        this.write(item);
      },
      this.timers,
      hooks.clock,
    );
    this.faults = new ConnectionFaults(
      this,
      this.timers,
      (kind) => {
        hooks.counters.faultApplied(kind);
      },
      (text) => dialect.corruptChecksum?.(text),
      this.openedAt,
      hooks.clock,
    );
    this.faults.add(faults);
    this.session = dialect.openSession(url, this.io());
  }

  /** Wires the socket and starts the protocol (greeting, pings, fault timers). */
  start(): void {
    const { socket, hooks } = this;
    // Venues speak text; a binary message is read as UTF-8 text and answered like any other.
    socket.on('message', (data) => {
      hooks.counters.clientMessages++;
      this.guard(() => {
        this.session.message(rawToText(data));
      });
    });
    socket.on('pong', (payload) => {
      this.guard(() => this.session.pong?.(payload));
    });
    // The server answers pings itself (autoPong is off) so that a half-open connection can stop.
    socket.on('ping', (payload) => {
      if (this.silent) return;
      if (this.isOpen) this.socket.pong(payload);
      this.guard(() => this.session.clientPing?.());
    });
    // ws reports protocol violations (bad frames, oversize payloads) here and then closes the socket.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.end();
    });
    this.faults.open();
    this.guard(() => {
      this.session.open();
    });
  }

  addFaults(specs: readonly FaultSpec[]): void {
    this.faults.add(specs);
  }

  /** Sends `frame` if this connection subscribed its stream, after the faults had their say. */
  deliver(frame: VenueFrame): void {
    if (this.ended || !this.subscriptions.has(frame.stream)) return;
    const text = this.session.render(frame);
    if (text === undefined) return;
    this.sendData(frame.stream, frame.data, text);
  }

  /** Queues a frame a fault held back. */
  emit(out: FrameOut): void {
    this.enqueue(out.text, 'data', out.stream, out.delayMs);
  }

  /** One data frame of this connection, through its faults. */
  private sendData(stream: string, data: string, text: string): void {
    const outs = this.faults.onFrame({ connectionId: this.info.id, index: this.frameIndex++, stream, data, text });
    for (const out of outs) this.emit(out);
    this.faults.frameDone();
  }

  /** Bytes the socket has not yet handed to the kernel. */
  get bufferedAmount(): number {
    return this.socket.bufferedAmount;
  }

  get isOpen(): boolean {
    return !this.ended && this.socket.readyState === WebSocket.OPEN;
  }

  close(code: number, reason: string): void {
    // A half-open connection sends nothing, a close frame neither: only terminate() ends it.
    if (!this.isOpen || this.silent) return;
    this.outbox.clear();
    this.socket.close(code, reason);
  }

  terminate(): void {
    if (this.ended) return;
    this.outbox.clear();
    this.socket.terminate();
  }

  stall(durationMs: number, discard: boolean): void {
    this.stalledUntil = Math.max(this.stalledUntil, this.hooks.clock() + durationMs);
    this.outbox.hold(this.stalledUntil, discard);
  }

  halfOpen(): void {
    if (this.ended) return;
    this.silent = true;
    this.stalledUntil = Infinity;
    this.outbox.clear();
  }

  /** Streams this connection is subscribed to now (for tests that check no orphan subscription). */
  get streams(): readonly string[] {
    return [...this.subscriptions].sort();
  }

  private io(): SessionIo {
    const { hooks } = this;
    const stalledUntil = (): number => this.stalledUntil;
    return {
      connectionId: this.info.id,
      subscriptions: this.subscriptions,
      get stalled() {
        return hooks.clock() < stalledUntil();
      },
      timers: this.timers,
      subscribe: (stream) => {
        this.subscriptions.add(stream);
        hooks.subscribed();
      },
      unsubscribe: (stream) => {
        this.subscriptions.delete(stream);
      },
      send: (text, kind: SendKind) => {
        this.enqueue(text, kind, undefined, 0);
      },
      sendData: (stream, data, text = data) => {
        if (!this.ended) this.sendData(stream, data, text);
      },
      ping: (payload) => {
        if (!this.isOpen || this.silent) return;
        this.socket.ping(payload);
        hooks.counters.pingsSent++;
      },
      close: (code, reason) => {
        this.close(code, reason);
      },
      rejected: () => {
        hooks.counters.clientErrors++;
      },
      now: hooks.now,
      lastSentAt: () => this.lastSent,
      clock: hooks.clock,
    };
  }

  private enqueue(text: string, kind: OutboxKind, stream: string | undefined, delayMs: number): void {
    if (!this.isOpen || this.silent) return;
    this.outbox.push(text, kind, stream, delayMs);
    if (this.outbox.pendingBytes > this.hooks.maxHeldBytes) {
      this.hooks.counters.slowClientsClosed++;
      this.close(this.hooks.slowConsumerClose.code, this.hooks.slowConsumerClose.reason);
    }
  }

  private write(item: OutboxItem): void {
    if (!this.isOpen) return;
    this.socket.send(item.text);
    this.lastSent = this.hooks.clock();
    const { counters } = this.hooks;
    if (item.kind === 'data' && item.stream !== undefined) counters.frameSent(item.stream);
    else if (item.kind === 'keepalive') counters.keepalivesSent++;
    else counters.repliesSent++;
  }

  /** A dialect that throws on client input must not take the exchange down: close this socket only. */
  private guard(action: () => void): void {
    try {
      action();
    } catch {
      this.hooks.counters.sessionErrors++;
      this.close(1011, 'internal error');
    }
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.timers.clear();
    this.outbox.clear();
    this.hooks.ended(this);
  }
}

function rawToText(data: WebSocket.RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
