import { DestroyRef, Injectable, inject, signal } from '@angular/core';
import type { EpochMicros } from '@tickwire/feeds';
import { RateMeter } from '../core/rate-meter';
import { TICKWIRE_CLIENT } from './tickwire-client';

export interface Telemetry {
  /** Every gateway message (heartbeats included), per second. */
  readonly messagesPerSecond: number;
  /** Book and trade messages of the focused instrument, per second. */
  readonly bookPerSecond: number;
  readonly tradesPerSecond: number;
  /** Venue timestamp → gateway receive, ms (smoothed); undefined before a sample. */
  readonly venueToGatewayMs: number | undefined;
  /** Gateway receive → this browser, ms (smoothed; the two clocks' offset included). */
  readonly gatewayToBrowserMs: number | undefined;
  readonly reconnects: number;
  readonly gaps: number;
}

const PUBLISH_MS = 1000;
/** Weight of a new latency sample in the running average. */
const SMOOTHING = 0.2;

/**
 * Message rates and latencies, counted per message into plain fields and published as one signal
 * once a second (no change detection per message).
 */
@Injectable({ providedIn: 'root' })
export class TelemetryService {
  private readonly client = inject(TICKWIRE_CLIENT);
  private readonly book = new RateMeter();
  private readonly trades = new RateMeter();
  private lastMessages = 0;
  private lastAt = performance.now();
  private venueLag: number | undefined;
  private browserLag: number | undefined;
  private readonly current = signal<Telemetry>({
    messagesPerSecond: 0,
    bookPerSecond: 0,
    tradesPerSecond: 0,
    venueToGatewayMs: undefined,
    gatewayToBrowserMs: undefined,
    reconnects: 0,
    gaps: 0,
  });
  readonly telemetry = this.current.asReadonly();

  constructor() {
    const timer = setInterval(() => {
      this.publish();
    }, PUBLISH_MS);
    inject(DestroyRef).onDestroy(() => {
      clearInterval(timer);
    });
  }

  countBook(): void {
    this.book.add();
  }

  countTrades(count: number): void {
    this.trades.add(count);
  }

  /** One sample of a message's venue and gateway times (µs), taken when it arrived. */
  sampleLatency(venueTime: EpochMicros | null, receiveTime: EpochMicros): void {
    const nowMicros = Date.now() * 1000;
    this.browserLag = smooth(this.browserLag, (nowMicros - receiveTime) / 1000);
    if (venueTime !== null) this.venueLag = smooth(this.venueLag, (receiveTime - venueTime) / 1000);
  }

  /** A new focus: its latencies start afresh. */
  resetLatency(): void {
    this.venueLag = undefined;
    this.browserLag = undefined;
  }

  private publish(): void {
    const stats = this.client.stats();
    const now = performance.now();
    const seconds = Math.max(0.001, (now - this.lastAt) / 1000);
    const messagesPerSecond = Math.max(0, stats.messages - this.lastMessages) / seconds;
    this.lastMessages = stats.messages;
    this.lastAt = now;
    this.current.set({
      messagesPerSecond,
      bookPerSecond: this.book.perSecond(),
      tradesPerSecond: this.trades.perSecond(),
      venueToGatewayMs: this.venueLag,
      gatewayToBrowserMs: this.browserLag,
      reconnects: stats.reconnects,
      gaps: stats.gaps,
    });
  }
}

function smooth(previous: number | undefined, sample: number): number {
  return previous === undefined ? sample : previous + SMOOTHING * (sample - previous);
}
