import type { UpstreamSubscription } from '../adapters/venue-adapter';
import { UpstreamConnection, type UpstreamConnectionOptions } from './upstream-connection';

export type UpstreamPoolOptions = Omit<UpstreamConnectionOptions, 'subscriptions'>;

function keyOf(subscription: UpstreamSubscription): string {
  return `${subscription.channel} ${subscription.symbol}`;
}

/**
 * The upstream connections of one venue: subscriptions are spread over as many connections as the
 * venue's per-connection limit requires, opened on demand and closed when their last subscription
 * goes, so the venue holds exactly what is wanted (no orphan subscriptions, no idle sockets).
 */
export class UpstreamPool {
  private readonly owners = new Map<string, UpstreamConnection>();
  private readonly open = new Set<UpstreamConnection>();

  constructor(private readonly options: UpstreamPoolOptions) {}

  /** Every subscription currently wanted, across connections. */
  get subscriptions(): readonly UpstreamSubscription[] {
    return [...this.open].flatMap((connection) => connection.subscriptions);
  }

  get connections(): readonly UpstreamConnection[] {
    return [...this.open];
  }

  subscribe(subscriptions: readonly UpstreamSubscription[]): void {
    const max = this.options.adapter.maxSubscriptionsPerConnection;
    const added = new Map<UpstreamConnection, UpstreamSubscription[]>();
    for (const subscription of subscriptions) {
      const key = keyOf(subscription);
      if (this.owners.has(key)) continue;
      let target = [...this.open].find(
        (connection) => connection.subscriptions.length + (added.get(connection)?.length ?? 0) < max,
      );
      if (target === undefined) {
        target = new UpstreamConnection({ ...this.options, subscriptions: [] });
        this.open.add(target);
      }
      this.owners.set(key, target);
      added.set(target, [...(added.get(target) ?? []), subscription]);
    }
    for (const [connection, batch] of added) {
      connection.subscribe(batch);
      connection.start();
    }
  }

  unsubscribe(subscriptions: readonly UpstreamSubscription[]): void {
    const removed = new Map<UpstreamConnection, UpstreamSubscription[]>();
    for (const subscription of subscriptions) {
      const key = keyOf(subscription);
      const owner = this.owners.get(key);
      if (owner === undefined) continue;
      this.owners.delete(key);
      removed.set(owner, [...(removed.get(owner) ?? []), subscription]);
    }
    for (const [connection, batch] of removed) {
      connection.unsubscribe(batch);
      if (connection.subscriptions.length === 0) {
        this.open.delete(connection);
        void connection.stop();
      }
    }
  }

  async stop(): Promise<void> {
    const connections = [...this.open];
    this.open.clear();
    this.owners.clear();
    await Promise.all(connections.map((connection) => connection.stop()));
  }
}
