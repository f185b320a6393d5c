import {
  type AlpacaChannel,
  type AlpacaRequest,
  buildRequests,
  type ChannelSymbol,
  pairKey,
} from './alpaca-subscriptions';

/*
 * What one connection holds at the venue. Alpaca answers every subscribe and unsubscribe with the
 * whole current list, or with one error, in the order the requests were sent; so the ledger keeps
 * the requests in flight and matches each answer to the oldest. A refused subscribe leaves the
 * venue's list as it was ("your symbol subscriptions are the same as they were before"), so its
 * pairs stop counting as held and a later change asks for them again.
 */

export interface SyncPlan {
  /** Unsubscribes first, then subscribes, each within the per-message cap. */
  readonly requests: readonly AlpacaRequest[];
  /** Venue symbols left out because trades or quotes reached the configured symbol limit. */
  readonly overLimit: readonly string[];
}

export class SubscriptionLedger {
  /** Pairs asked for and not refused: what the connection should hold. */
  private readonly held = new Map<string, ChannelSymbol>();
  /** Pairs in the venue's latest answer. */
  private confirmed = new Set<string>();
  /** Requests sent and not yet answered, oldest first. */
  private pending: AlpacaRequest[] = [];

  constructor(
    private readonly symbolsPerMessage: number,
    private readonly symbolLimit: number | undefined,
  ) {}

  /** The requests that take the connection from what it holds to `wanted`; they count as sent. */
  sync(wanted: readonly ChannelSymbol[]): SyncPlan {
    const wantedKeys = new Set(wanted.map(pairKey));
    const toRemove = [...this.held.values()].filter((pair) => !wantedKeys.has(pairKey(pair)));
    for (const pair of toRemove) this.held.delete(pairKey(pair));
    const { kept, overLimit } = this.withinLimit(wanted.filter((pair) => !this.held.has(pairKey(pair))));
    for (const pair of kept) this.held.set(pairKey(pair), pair);
    const requests = [
      ...buildRequests('unsubscribe', toRemove, this.symbolsPerMessage),
      ...buildRequests('subscribe', kept, this.symbolsPerMessage),
    ];
    this.pending.push(...requests);
    return { requests, overLimit };
  }

  /** The venue's answer (its whole list) to the oldest request in flight. */
  answered(channels: Readonly<Record<AlpacaChannel, readonly string[]>>): void {
    this.pending.shift();
    const confirmed = new Set<string>();
    for (const [channel, symbols] of Object.entries(channels)) {
      for (const symbol of symbols) confirmed.add(`${channel}:${symbol}`);
    }
    this.confirmed = confirmed;
  }

  /** The venue's latest answer includes `symbol` on `channel` (or "*"). */
  confirms(channel: AlpacaChannel, symbol: string): boolean {
    return this.confirmed.has(`${channel}:${symbol}`) || this.confirmed.has(`${channel}:*`);
  }

  /** The oldest request in flight was refused: it is no longer pending, and a subscribe's pairs are not held. */
  refused(): AlpacaRequest | undefined {
    const request = this.pending.shift();
    if (request?.action === 'subscribe') for (const pair of request.pairs) this.held.delete(pairKey(pair));
    return request;
  }

  /** Forgets everything (connection refused or closed). */
  clear(): void {
    this.held.clear();
    this.confirmed.clear();
    this.pending = [];
  }

  state(): { readonly held: readonly string[]; readonly confirmed: readonly string[]; readonly pending: number } {
    return { held: [...this.held.keys()], confirmed: [...this.confirmed], pending: this.pending.length };
  }

  /** Drops trades/quotes pairs beyond the limit, and the statuses of symbols left with no data channel. */
  private withinLimit(pairs: readonly ChannelSymbol[]): { kept: ChannelSymbol[]; overLimit: string[] } {
    const limit = this.symbolLimit;
    if (limit === undefined) return { kept: [...pairs], overLimit: [] };
    const count: Record<AlpacaChannel, number> = { trades: 0, quotes: 0, statuses: 0 };
    for (const pair of this.held.values()) count[pair.channel]++;
    const kept: ChannelSymbol[] = [];
    const overLimit = new Set<string>();
    for (const pair of pairs) {
      if (pair.channel !== 'statuses' && count[pair.channel] >= limit) {
        overLimit.add(pair.symbol);
        continue;
      }
      count[pair.channel]++;
      kept.push(pair);
    }
    const served = new Set<string>();
    for (const pair of [...this.held.values(), ...kept]) if (pair.channel !== 'statuses') served.add(pair.symbol);
    return {
      kept: kept.filter((pair) => pair.channel !== 'statuses' || served.has(pair.symbol)),
      overLimit: [...overLimit],
    };
  }
}
