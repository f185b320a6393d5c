/** What to do with an update, given the channel's sequence so far. */
export type UpdateVerdict = 'apply' | 'ignore' | 'gap';

/**
 * Gap detection for one channel stream on one connection (docs/api.md: a snapshot carries the
 * channel's current seq, each update one more).
 *
 * - `subscribing`: a subscribe was sent and not yet acknowledged. Updates still in flight from an
 *   earlier subscription of the same channel (before a resubscription) are ignored.
 * - `awaiting-snapshot`: acknowledged, no snapshot yet: an update now is a gap.
 * - `live`: an update must carry the previous seq + 1, anything else is a gap.
 * - `resyncing`: a gap was found and a fresh snapshot requested; updates are ignored until it comes.
 *
 * A snapshot is accepted in every state: it is a whole state of the channel, conflated or not.
 */
export class SequenceTracker {
  private phase: 'subscribing' | 'awaiting-snapshot' | 'live' | 'resyncing' = 'subscribing';
  private last = -1;

  /** A subscribe was sent: the first on this connection, or the resubscription after a gap. */
  subscribing(): void {
    this.phase = this.phase === 'resyncing' ? 'resyncing' : 'subscribing';
  }

  /** The gateway acknowledged the subscribe. */
  acknowledged(): void {
    if (this.phase === 'subscribing') this.phase = 'awaiting-snapshot';
  }

  /** Returns true when this snapshot ends a resync after a gap. */
  snapshot(seq: number): boolean {
    const endsResync = this.phase === 'resyncing';
    this.phase = 'live';
    this.last = seq;
    return endsResync;
  }

  update(seq: number): UpdateVerdict {
    switch (this.phase) {
      case 'subscribing':
      case 'resyncing':
        return 'ignore';
      case 'awaiting-snapshot':
        this.phase = 'resyncing';
        return 'gap';
      case 'live':
        if (seq === this.last + 1) {
          this.last = seq;
          return 'apply';
        }
        this.phase = 'resyncing';
        return 'gap';
    }
  }

  /** The connection was lost; the next one subscribes again (a pending resync stays pending). */
  reset(): void {
    this.subscribing();
    this.last = -1;
  }

  get lastSeq(): number | undefined {
    return this.phase === 'live' ? this.last : undefined;
  }
}
