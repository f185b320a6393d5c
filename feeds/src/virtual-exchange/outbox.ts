import type { TimerSet } from './timer-set';

export type OutboxKind = 'data' | 'reply' | 'keepalive';

export interface OutboxItem {
  readonly text: string;
  readonly kind: OutboxKind;
  /** The stream of a data frame; undefined for replies and keepalives. */
  readonly stream: string | undefined;
  /** Monotonic ms before which the item must not be written. */
  readonly readyAt: number;
}

/**
 * The ordered send queue of one connection. A WebSocket is one ordered byte stream, so a frame the
 * faults delay (or a stall holds) also holds everything queued behind it, as TCP would: frames
 * never overtake each other. With nothing delayed, `push` writes at once.
 */
export class Outbox {
  private queue: OutboxItem[] = [];
  private head = 0;
  private queuedBytes = 0;
  private holdUntil = 0;
  private discardHeldData = false;
  private wakeAt = Infinity;
  private wake: ReturnType<TimerSet['timeout']>;

  constructor(
    private readonly write: (item: OutboxItem) => void,
    private readonly timers: TimerSet,
    private readonly clock: () => number,
  ) {}

  /**
   * Queues `text` to be written `delayMs` from now, after everything queued before it. Returns
   * false when a discarding stall drops it.
   */
  push(text: string, kind: OutboxKind, stream: string | undefined, delayMs = 0): boolean {
    const now = this.clock();
    if (kind === 'data' && this.discardHeldData && now < this.holdUntil) return false;
    this.queue.push({ text, kind, stream, readyAt: now + delayMs });
    this.queuedBytes += text.length;
    this.flush();
    return true;
  }

  /** Holds every frame until `until`; with `discardData`, data frames pushed meanwhile are dropped. */
  hold(until: number, discardData: boolean): void {
    this.holdUntil = Math.max(this.holdUntil, until);
    this.discardHeldData = discardData;
    this.flush();
  }

  get held(): boolean {
    return this.clock() < this.holdUntil;
  }

  /** Characters waiting (an upper bound of the UTF-8 bytes for the ASCII the venues send). */
  get pendingBytes(): number {
    return this.queuedBytes;
  }

  get pendingFrames(): number {
    return this.queue.length - this.head;
  }

  /** Drops everything still queued (the connection ended). */
  clear(): void {
    this.queue = [];
    this.head = 0;
    this.queuedBytes = 0;
    this.timers.cancel(this.wake);
    this.wake = undefined;
    this.wakeAt = Infinity;
  }

  private flush(): void {
    const now = this.clock();
    while (this.head < this.queue.length) {
      const item = this.queue[this.head];
      if (item === undefined) break;
      const readyAt = Math.max(item.readyAt, this.holdUntil);
      if (readyAt > now) {
        this.schedule(readyAt);
        return;
      }
      this.head++;
      this.queuedBytes -= item.text.length;
      this.write(item);
    }
    this.queue = [];
    this.head = 0;
  }

  private schedule(at: number): void {
    if (this.wake !== undefined && this.wakeAt <= at) return;
    this.timers.cancel(this.wake);
    this.wakeAt = at;
    this.wake = this.timers.timeout(at - this.clock(), () => {
      this.wake = undefined;
      this.wakeAt = Infinity;
      this.flush();
    });
  }
}
