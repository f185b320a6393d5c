/** Exactly one ingest owns a feed (its upstream connections) at a time. */
export interface FeedOwnership {
  /** Resolves once this process owns `feedId` (waits while another does). */
  acquire(feedId: string): Promise<void>;
  /** Gives it up (clean shutdown), so a standby takes over at once. */
  release(feedId: string): Promise<void>;
  /** Shutting down: pending acquisitions give up (reject), renewals stop; releases still work. */
  close(): void;
  /** Told when this process lost a feed it held (taken by another ingest, or not renewed within the TTL). */
  onLost(listener: (feedId: string) => void): void;
}
