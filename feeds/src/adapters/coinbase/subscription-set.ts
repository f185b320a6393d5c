import type { NormalizedSymbol } from '../../model/instrument';
import type { ChannelKind, UpstreamSubscription } from '../venue-adapter';

/** The subscriptions a session wants, without duplicates, in the order they were asked for. */
export class SubscriptionSet {
  private readonly items: UpstreamSubscription[] = [];

  constructor(initial: readonly UpstreamSubscription[] = []) {
    this.add(initial);
  }

  get size(): number {
    return this.items.length;
  }

  list(): readonly UpstreamSubscription[] {
    return this.items;
  }

  has(symbol: NormalizedSymbol, channel: ChannelKind): boolean {
    return this.items.some((item) => item.symbol === symbol && item.channel === channel);
  }

  /** Symbols wanted on `channel`, in order. */
  symbols(channel: ChannelKind): NormalizedSymbol[] {
    return this.items.filter((item) => item.channel === channel).map((item) => item.symbol);
  }

  /** Symbols wanted on any channel, in order of first appearance. */
  allSymbols(): NormalizedSymbol[] {
    return [...new Set(this.items.map((item) => item.symbol))];
  }

  /** Adds what is not there yet; returns exactly the new ones. */
  add(subscriptions: readonly UpstreamSubscription[]): UpstreamSubscription[] {
    const added: UpstreamSubscription[] = [];
    for (const { symbol, channel } of subscriptions) {
      if (this.has(symbol, channel)) continue;
      const item = { symbol, channel };
      this.items.push(item);
      added.push(item);
    }
    return added;
  }

  /** Removes the ones present; returns exactly those. */
  remove(subscriptions: readonly UpstreamSubscription[]): UpstreamSubscription[] {
    const removed: UpstreamSubscription[] = [];
    for (const { symbol, channel } of subscriptions) {
      const index = this.items.findIndex((item) => item.symbol === symbol && item.channel === channel);
      if (index === -1) continue;
      removed.push(...this.items.splice(index, 1));
    }
    return removed;
  }
}
