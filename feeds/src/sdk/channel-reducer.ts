import type { ChannelName, SnapshotMessage, UpdateMessage } from '../api/protocol';

/**
 * Turns the accepted (gap-checked) messages of one channel stream into what its observers receive,
 * and remembers enough to show an observer that joins late the current state.
 */
export interface ChannelReducer<C extends ChannelName, V> {
  snapshot(message: SnapshotMessage<C>): V;
  update(message: UpdateMessage<C>): V;
  /** What a late observer receives first; undefined before the first snapshot. */
  current(): V | undefined;
}
