/** Counters of one client since it was created. */
export interface ClientStats {
  /** Messages received (every frame, heartbeats included). */
  readonly messages: number;
  /** Frames that were not a JSON object with a `type`. */
  readonly malformedMessages: number;
  /** Updates whose seq was not the previous one + 1, or that came before any snapshot. */
  readonly gaps: number;
  /** Fresh snapshots received after a gap (each ends one resubscription). */
  readonly resnapshots: number;
  /** Updates not applied: the gapped ones and those that arrived while waiting for a fresh snapshot. */
  readonly droppedUpdates: number;
  /** Snapshots marked `conflated` (the gateway replaced updates this client was too slow to take). */
  readonly conflatedSnapshots: number;
  /** Connections opened after the first one. */
  readonly reconnects: number;
}

export type MutableClientStats = { -readonly [K in keyof ClientStats]: ClientStats[K] };

export function emptyStats(): MutableClientStats {
  return {
    messages: 0,
    malformedMessages: 0,
    gaps: 0,
    resnapshots: 0,
    droppedUpdates: 0,
    conflatedSnapshots: 0,
    reconnects: 0,
  };
}
