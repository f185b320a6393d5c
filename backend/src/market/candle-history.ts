import type { CandleEvent } from '@tickwire/feeds';
import { RingBuffer } from './ring-buffer';

/** One instrument's candles of one interval: the closed ones (bounded) and the open one. */
export class CandleHistory {
  private readonly closed: RingBuffer<CandleEvent>;
  private open: CandleEvent | undefined;

  constructor(capacity: number) {
    this.closed = new RingBuffer(capacity);
  }

  add(candle: CandleEvent): void {
    if (candle.closed) {
      this.closed.push(candle);
      if (this.open !== undefined && this.open.openTime <= candle.openTime) this.open = undefined;
    } else {
      this.open = candle;
    }
  }

  /**
   * Candles oldest first, the open one last; `from`/`to` (µs, inclusive start, exclusive end) bound
   * their open times, `limit` keeps the newest.
   */
  candles(options: { from?: number; to?: number; limit?: number } = {}): CandleEvent[] {
    const all = this.closed.toArray();
    if (this.open !== undefined) all.push(this.open);
    const from = options.from ?? Number.NEGATIVE_INFINITY;
    const to = options.to ?? Number.POSITIVE_INFINITY;
    const selected = all.filter((candle) => candle.openTime >= from && candle.openTime < to);
    const limit = options.limit ?? selected.length;
    return selected.slice(Math.max(0, selected.length - limit));
  }
}
