import type { Timers } from './timers';

export interface SendRate {
  /** Sustained messages per second. */
  readonly perSecond: number;
  /** Messages that may go at once (after a connect, or after a quiet spell). */
  readonly burst: number;
}

/**
 * Under the gateway's default client limit (20 messages/s, burst 100; over it the socket is closed
 * with 4008), with room for clock differences: a client with 200 subscriptions reconnecting, or
 * many streams resubscribing after gaps at once, is paced instead of dropped.
 */
export const DEFAULT_SEND_RATE: SendRate = { perSecond: 18, burst: 90 };

interface Queued {
  readonly text: string;
  readonly onSent: (() => void) | undefined;
}

/**
 * A token bucket in front of one connection's `send`: messages go out at once while tokens last,
 * the rest wait in order. `reset()` drops what waits (the next connection starts with a full bucket
 * and resubscribes by itself).
 */
export class SendPacer {
  private tokens: number;
  private refilledAt: number;
  private readonly queue: Queued[] = [];
  private timer: unknown;

  constructor(
    private readonly rate: SendRate,
    private readonly now: () => number,
    private readonly timers: Timers,
    private readonly write: (text: string) => void,
  ) {
    if (!(rate.perSecond > 0 && rate.burst >= 1))
      throw new RangeError(`send rate needs perSecond > 0 and burst >= 1, got ${rate.perSecond}, ${rate.burst}`);
    this.tokens = rate.burst;
    this.refilledAt = now();
  }

  /** Sends now or after the messages already waiting; `onSent` runs when it is written. */
  send(text: string, onSent?: () => void): void {
    this.queue.push({ text, onSent });
    this.drain();
  }

  /** Messages waiting for a token. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Drops every waiting message and refills the bucket. */
  reset(): void {
    this.queue.length = 0;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.tokens = this.rate.burst;
    this.refilledAt = this.now();
  }

  private drain(): void {
    if (this.timer !== undefined) return;
    this.refill();
    while (this.queue.length > 0 && this.tokens >= 1) {
      const next = this.queue.shift() as Queued;
      this.tokens--;
      this.write(next.text);
      next.onSent?.();
    }
    if (this.queue.length === 0) return;
    const waitMs = Math.ceil(((1 - this.tokens) * 1000) / this.rate.perSecond);
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      this.drain();
    }, waitMs);
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.rate.burst, this.tokens + ((now - this.refilledAt) * this.rate.perSecond) / 1000);
    this.refilledAt = now;
  }
}
