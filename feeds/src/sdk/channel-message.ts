import type { ChannelName, SnapshotMessage, UpdateMessage } from '../api/protocol';

/**
 * What the observable of an event channel (trades, bbo, candles, status, instruments) emits: the
 * gateway's snapshot and update messages, in order, gap-checked. A `snapshot` replaces whatever
 * the observer built so far (it comes first, again after a gap or a reconnect, and when the
 * gateway conflated updates); an observer that joins a stream already running first receives a
 * snapshot of the current state that the client keeps.
 */
export type ChannelMessage<C extends ChannelName> = SnapshotMessage<C> | UpdateMessage<C>;
