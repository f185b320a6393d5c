/**
 * Advanced Trade numbers every message of a connection with `sequence_num`, one counter across all
 * channels and products (README.md): the next message must carry the previous number + 1.
 * - lower or equal: a duplicate or a late message, ignored;
 * - higher by more than one: that many messages were lost, and since the counter is shared, the
 *   lost ones may have belonged to any channel and product.
 */
export type SequenceVerdict =
  | { readonly kind: 'first' | 'next' }
  | { readonly kind: 'stale'; readonly last: number }
  | { readonly kind: 'gap'; readonly last: number; readonly missed: number };

export class ConnectionSequence {
  private last: number | undefined;
  readonly stats = { gaps: 0, missed: 0, stale: 0 };

  get lastSequence(): number | undefined {
    return this.last;
  }

  next(sequence: number): SequenceVerdict {
    const last = this.last;
    if (last === undefined) {
      this.last = sequence;
      return { kind: 'first' };
    }
    if (sequence <= last) {
      this.stats.stale++;
      return { kind: 'stale', last };
    }
    this.last = sequence;
    if (sequence === last + 1) return { kind: 'next' };
    const missed = sequence - last - 1;
    this.stats.gaps++;
    this.stats.missed += missed;
    return { kind: 'gap', last, missed };
  }
}

/**
 * The heartbeats channel's own counter ("Heartbeats include a heartbeat_counter which verifies
 * that no messages were missed"): one per second, so a jump means lost heartbeats. It is also
 * covered by sequence_num; a jump here is reported for monitoring, books resync on sequence_num.
 */
export class HeartbeatCounter {
  private last: number | undefined;
  readonly stats = { heartbeats: 0, gaps: 0, missed: 0, stale: 0 };

  /** The number of heartbeats missed before this one (0 when contiguous), or -1 for an old one. */
  next(counter: number): number {
    this.stats.heartbeats++;
    const last = this.last;
    if (last !== undefined && counter <= last) {
      this.stats.stale++;
      return -1;
    }
    this.last = counter;
    const missed = last === undefined ? 0 : counter - last - 1;
    if (missed > 0) {
      this.stats.gaps++;
      this.stats.missed += missed;
    }
    return missed;
  }
}
