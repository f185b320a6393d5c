/**
 * The SEQ_ALL sequence of one connection: with conf flag 65536 every channel message, heartbeats
 * included, carries the next number of one counter shared by all channels of the connection.
 * A number above the next one means messages were lost; one at or below the last was seen already.
 *
 * The first number seen becomes the start: frames lost before it cannot be told apart from frames
 * sent before the flag took effect, and a book whose snapshot was among them notices by itself
 * (an update before the snapshot resyncs it).
 */
export type SequenceCheck = 'next' | 'duplicate' | 'gap';

export class SequenceTracker {
  private last: number | undefined;
  private gapFrom = 0;
  readonly stats = { gaps: 0, missing: 0, duplicates: 0 };

  /** The last number accepted, if any. */
  get lastSequence(): number | undefined {
    return this.last;
  }

  /** After a 'gap': the number that was expected next. */
  get expected(): number {
    return this.gapFrom;
  }

  check(seq: number): SequenceCheck {
    const last = this.last;
    if (last === undefined || seq === last + 1) {
      this.last = seq;
      return 'next';
    }
    if (seq <= last) {
      this.stats.duplicates++;
      return 'duplicate';
    }
    this.gapFrom = last + 1;
    this.stats.gaps++;
    this.stats.missing += seq - last - 1;
    this.last = seq;
    return 'gap';
  }
}
