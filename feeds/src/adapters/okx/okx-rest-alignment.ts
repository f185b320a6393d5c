/*
 * OKX's procedure for a book whose stream pushes no initial snapshot (docs-v5 changelog, "Delist
 * initial snapshot and checksum field in order book channels", 2026-02-12, "How to manage a local
 * order book correctly"):
 *  2. "Buffer the events received from the stream. … record the prevSeqId of the second event."
 *  3. "Get a depth snapshot from GET / Order book"
 *  4. "If the seqId from the snapshot is strictly less than the prevSeqId from step 2, go back to step 3."
 *  5. "In the buffered events, discard any event where stream seqId is <= snapshot seqId of the snapshot."
 *  6. "The first buffered event should satisfy the condition: stream prevSeqId <= snapshot seqId < stream seqId."
 *  7. "Set your local order book to the snapshot. Its sequence ID is snapshot seqId."
 *  8. Apply the buffered events, then the live ones, with the usual prevSeqId == last seqId rule.
 */

import type { SequenceVerdict } from './okx-sequence';

export interface SequencedUpdate {
  readonly prevSeqId: number;
  readonly seqId: number;
}

export type Alignment<T> =
  /** Step 4: the snapshot predates the buffered stream; fetch another. */
  | { readonly verdict: 'too old' }
  /** Step 5: the buffered updates newer than the snapshot, to apply in order (may be empty). */
  | { readonly verdict: 'aligned'; readonly kept: readonly T[] };

export function alignWithSnapshot<T extends SequencedUpdate>(
  buffered: readonly T[],
  snapshotSeqId: number,
): Alignment<T> {
  const oldest = buffered[0];
  if (oldest !== undefined && snapshotSeqId < oldest.prevSeqId) return { verdict: 'too old' };
  return { verdict: 'aligned', kept: buffered.filter((update) => update.seqId > snapshotSeqId) };
}

/**
 * Step 6 for the first update after a REST snapshot at `snapshotSeqId`: it must straddle it
 * (prevSeqId <= snapshot seqId < seqId). One already contained in the snapshot is stale.
 */
export function classifyFirstAfter(
  snapshotSeqId: number,
  prevSeqId: number | undefined,
  seqId: number | undefined,
): SequenceVerdict {
  if (prevSeqId === undefined || seqId === undefined) return 'gap';
  if (seqId <= snapshotSeqId) return 'stale';
  return prevSeqId <= snapshotSeqId ? 'next' : 'gap';
}
