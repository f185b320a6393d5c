/*
 * Sequence continuity for `tickwire inspect`, for the venues whose frames carry one:
 * - Binance diff depth: per stream, U == previous u + 1 (spot) or pu == previous u (futures);
 * - Bitfinex with SEQ_ALL: one sequence per connection, the last number of every frame, +1 each;
 * - OKX books with seqId/prevSeqId: per channel and instrument, prevSeqId == previous seqId.
 * The venue adapters own the real book-sync rules; this only reports what a recording contains.
 */

export interface SequenceGap {
  readonly track: string;
  readonly expected: number;
  readonly got: number;
  readonly time: number;
}

interface Step {
  readonly track: string;
  /** First sequence this frame covers (Binance U, Bitfinex seq, OKX seqId). */
  readonly first: number;
  readonly last: number;
  /** The sequence the previous frame must have ended with, where the venue states it. */
  readonly previous?: number;
}

type Dict = Record<string, unknown>;

function isDict(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function steps(parsed: unknown, conn: number): Step | undefined {
  if (Array.isArray(parsed)) {
    // Bitfinex SEQ_ALL appends the sequence as the last element (after the data, or after "hb").
    const last: unknown = parsed[parsed.length - 1];
    const channel: unknown = parsed[0];
    if (typeof channel === 'number' && parsed.length >= 3 && typeof last === 'number' && Number.isSafeInteger(last)) {
      return { track: `conn ${conn} (bitfinex seq)`, first: last, last };
    }
    return undefined;
  }
  if (!isDict(parsed)) return undefined;
  const data = isDict(parsed['data']) ? parsed['data'] : undefined;
  if (data !== undefined && data['e'] === 'depthUpdate' && typeof parsed['stream'] === 'string') {
    const first = data['U'];
    const last = data['u'];
    const previous = data['pu'];
    if (typeof first === 'number' && typeof last === 'number') {
      return typeof previous === 'number'
        ? { track: parsed['stream'], first, last, previous }
        : { track: parsed['stream'], first, last };
    }
  }
  const arg = parsed['arg'];
  const rows = parsed['data'];
  if (isDict(arg) && Array.isArray(rows) && isDict(rows[0])) {
    const row = rows[0];
    const seq = row['seqId'];
    const previous = row['prevSeqId'];
    if (typeof seq === 'number' && typeof previous === 'number' && previous !== -1) {
      return { track: `${String(arg['channel'])}:${String(arg['instId'])}`, first: seq, last: seq, previous };
    }
  }
  return undefined;
}

export class SequenceTracker {
  private readonly lastByTrack = new Map<string, number>();
  readonly gaps: SequenceGap[] = [];
  checked = 0;

  observe(parsed: unknown, conn: number, time: number): void {
    const step = steps(parsed, conn);
    if (step === undefined) return;
    const last = this.lastByTrack.get(step.track);
    if (last !== undefined) {
      this.checked++;
      if (step.previous !== undefined) {
        if (step.previous !== last) this.gaps.push({ track: step.track, expected: last, got: step.previous, time });
      } else if (step.first !== last + 1) {
        this.gaps.push({ track: step.track, expected: last + 1, got: step.first, time });
      }
    }
    this.lastByTrack.set(step.track, step.last);
  }
}
