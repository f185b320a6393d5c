import type { RemoteChannelStream } from './remote-channel-stream';

/** A snapshot as the owning ingest serialized it, at its seq, from its stream incarnation. */
export interface RemoteSnapshot {
  readonly seq: number;
  readonly epoch: string;
  readonly bytes: Buffer;
}

export type GapReason = 'seq' | 'reconnect' | 'epoch';

/** What a relayed stream needs from the gateway's bus side. */
export interface RemoteLink {
  /** Starts receiving the stream's updates and announcing interest in it. */
  watch(stream: RemoteChannelStream): void;
  unwatch(stream: RemoteChannelStream): void;
  fetchSnapshot(stream: RemoteChannelStream): Promise<RemoteSnapshot>;
  /** Counts and logs updates lost on the bus (never silent). */
  reportGap(stream: RemoteChannelStream, reason: GapReason, detail: string): void;
  /** Logs a snapshot request that failed (it is retried). */
  snapshotFailed(stream: RemoteChannelStream, error: unknown): void;
}
