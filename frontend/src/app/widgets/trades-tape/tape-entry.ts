import type { WireTrade } from '@tickwire/feeds';
import { formatTimeOfDay } from '../../core/decimal-format';

/** A trade as the tape draws it: the wire object plus what the draw loop would otherwise compute. */
export interface TapeEntry {
  readonly trade: WireTrade;
  /** HH:MM:SS.mmm of the venue's time (the gateway's when the venue gives none). */
  readonly time: string;
  /** HH:MM:SS, for a narrow tape. */
  readonly shortTime: string;
  /** The size as a float: bar width and the big-trade test only (pixels, not arithmetic). */
  /**
   * The size as a number for display only (the big-trade highlight and the size bar's pixel width);
   * the tape shows `trade.size`, the exact text.
   */
  readonly sizeValue: number;
}

export function tapeEntry(trade: WireTrade): TapeEntry {
  const time = formatTimeOfDay(trade.time ?? trade.receiveTime);
  return { trade, time, shortTime: time.slice(0, 8), sizeValue: Number(trade.size) };
}

/**
 * Tracks the typical trade size (an exponential average of sizes) so the tape can mark the big
 * ones: a trade at least BIG_FACTOR times the typical size is drawn bold with a bright bar.
 */
export class SizeScale {
  static readonly BIG_FACTOR = 4;
  private average = 0;
  private seen = 0;

  add(size: number): void {
    if (!Number.isFinite(size)) return;
    this.seen++;
    const weight = Math.max(0.02, 1 / this.seen);
    this.average += weight * (size - this.average);
  }

  reset(): void {
    this.average = 0;
    this.seen = 0;
  }

  isBig(size: number): boolean {
    return this.seen >= 5 && size >= SizeScale.BIG_FACTOR * this.average;
  }

  /** 0..1: how wide the size bar is (2× BIG_FACTOR × typical fills it). */
  fraction(size: number): number {
    if (this.average <= 0) return 0;
    return Math.min(1, size / (2 * SizeScale.BIG_FACTOR * this.average));
  }
}
