/*
 * OKX `books` sequence rule (docs-v5 "Order book channel" → "Sequence ID"):
 * "The prevSeqId in the new message matches with seqId of the previous message. The smallest
 *  possible sequence ID value is 0, except in snapshot messages where the prevSeqId is always -1."
 * Exceptions: "1. If there are no updates to the depth for an extended period, … OKX will send a
 *  message with 'asks': [], 'bids': [] … seqId is the same as the last sent message and prevSeqId
 *  equals to seqId. 2. The sequence number may be reset due to maintenance, and in this case, users
 *  will receive an incremental message with seqId smaller than prevSeqId. However, subsequent
 *  messages will follow the regular sequencing rule."
 *
 * So continuity is identity, not arithmetic: an update follows the book when its prevSeqId is the
 * seqId last applied, whatever its own seqId (which covers the reset). Frames captured before OKX
 * added the fields (the 2022 recording) carry neither, and only the checksum guards them.
 */

export type SequenceVerdict =
  /** prevSeqId == last seqId: apply it (a reset, seqId < prevSeqId, included). */
  | 'next'
  /** prevSeqId == seqId == last seqId with no levels: OKX's keep-alive, nothing to apply. */
  | 'heartbeat'
  /** At or behind the book (a duplicate or a late frame): ignore it. */
  | 'stale'
  /** Something between the book and this update is missing: resync. */
  | 'gap'
  /** No sequence fields on the frame or the book: only the checksum can judge it. */
  | 'unchecked';

export function classifyUpdate(
  lastSeqId: number | undefined,
  prevSeqId: number | undefined,
  seqId: number | undefined,
  hasLevels: boolean,
): SequenceVerdict {
  if (lastSeqId === undefined || prevSeqId === undefined || seqId === undefined) return 'unchecked';
  if (prevSeqId === lastSeqId) return seqId === prevSeqId && !hasLevels ? 'heartbeat' : 'next';
  // A frame already applied (seqId == last, older prevSeqId) or an older one still.
  if (seqId <= lastSeqId && prevSeqId < lastSeqId) return 'stale';
  return 'gap';
}
