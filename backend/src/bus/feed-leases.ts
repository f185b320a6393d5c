import { Logger } from '@nestjs/common';
import type { KV } from 'nats';
import type { BusMetrics } from './bus-metrics';
import type { FeedOwnership } from './feed-ownership';

export const LEASE_BUCKET = 'tickwire_leases';
/** A standby tries to take a free lease this often. */
export const LEASE_POLL_MS = 250;

interface Held {
  revision: number;
  timer: NodeJS.Timeout;
  /** When the lease was last written (created or renewed) by this owner. */
  renewedAt: number;
}

/**
 * Feed ownership by leases in a JetStream KV bucket whose entries lapse `ttlMs` after their last
 * write (bucket max age): the owner creates `feed.<id>` and rewrites it every ttl/3 (compare and
 * set on its revision); a standby retries the create every LEASE_POLL_MS and succeeds once the
 * entry lapsed or was released. So a crashed owner is replaced within ttlMs + LEASE_POLL_MS of its
 * last renewal; a closed one at once. An owner whose renewal finds another owner stops (onLost).
 */
export class FeedLeases implements FeedOwnership {
  private readonly logger = new Logger('FeedLeases');
  private readonly held = new Map<string, Held>();
  private closed = false;

  constructor(
    private readonly kv: KV,
    private readonly owner: string,
    private readonly ttlMs: number,
    private readonly metrics: BusMetrics,
    onLost: (feedId: string) => void,
  ) {
    this.lostListeners.add(onLost);
  }

  private readonly lostListeners = new Set<(feedId: string) => void>();

  /** Called when this process no longer owns a feed it held (taken by another, or not renewed in time). */
  onLost(listener: (feedId: string) => void): void {
    this.lostListeners.add(listener);
  }

  async acquire(feedId: string): Promise<void> {
    const key = `feed.${feedId}`;
    let waiting = false;
    for (;;) {
      if (this.closed) throw new Error('shutting down');
      try {
        const revision = await this.kv.create(key, this.value());
        this.hold(feedId, key, revision);
        this.metrics.leaseAcquisitions.inc({ feed: feedId });
        this.logger.log(`${this.owner} owns feed ${feedId}`);
        return;
      } catch {
        if (!waiting) this.logger.log(`feed ${feedId} is owned by another ingest; standing by`);
        waiting = true;
        await new Promise((resolve) => setTimeout(resolve, LEASE_POLL_MS));
      }
    }
  }

  async release(feedId: string): Promise<void> {
    const held = this.held.get(feedId);
    if (held === undefined) return;
    clearInterval(held.timer);
    this.held.delete(feedId);
    try {
      await this.kv.delete(`feed.${feedId}`, { previousSeq: held.revision });
    } catch (error) {
      this.logger.warn(`release of ${feedId} failed (it lapses by itself): ${String(error)}`);
    }
  }

  close(): void {
    this.closed = true;
    for (const held of this.held.values()) clearInterval(held.timer);
  }

  private hold(feedId: string, key: string, revision: number): void {
    const timer = setInterval(
      () => {
        void this.renew(feedId, key);
      },
      Math.floor(this.ttlMs / 3),
    );
    timer.unref();
    this.held.set(feedId, { revision, timer, renewedAt: Date.now() });
  }

  private async renew(feedId: string, key: string): Promise<void> {
    const held = this.held.get(feedId);
    if (held === undefined) return;
    try {
      held.revision = await this.kv.update(key, this.value(), held.revision);
      held.renewedAt = Date.now();
      return;
    } catch (error) {
      if (!this.held.has(feedId)) return;
      // Lapsed while the bus was away but nobody took it: take it again.
      try {
        held.revision = await this.kv.create(key, this.value());
        held.renewedAt = Date.now();
        this.logger.warn(`lease of ${feedId} had lapsed; taken again`);
        return;
      } catch {
        const entry = await this.kv.get(key).catch(() => null);
        if (entry === null) {
          // Self-fencing: past its TTL unrenewed (the bus is unreachable) the lease may be another's
          // already, so this process stops the feed rather than run a second upstream connection.
          if (Date.now() - held.renewedAt >= this.ttlMs) {
            this.lose(feedId, held, `lease of ${feedId} not renewed within ${this.ttlMs} ms (${String(error)})`);
            return;
          }
          this.logger.warn(`lease of ${feedId} not renewed (${String(error)}); retrying`);
          return;
        }
        const current = entry.string();
        if (current.includes(JSON.stringify(this.owner))) {
          held.revision = entry.revision;
          return;
        }
        this.lose(feedId, held, `lost the lease of feed ${feedId} to ${current}`);
      }
    }
  }

  private lose(feedId: string, held: Held, why: string): void {
    clearInterval(held.timer);
    this.held.delete(feedId);
    this.logger.error(`${why}: stopping that feed`);
    for (const listener of this.lostListeners) listener(feedId);
  }

  private value(): string {
    return JSON.stringify({ owner: this.owner, time: Date.now() });
  }
}
