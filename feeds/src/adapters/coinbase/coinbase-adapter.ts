import type { Instrument, NormalizedSymbol } from '../../model/instrument';
import type { SymbolDirectory } from '../symbol-directory';
import type { HeartbeatPolicy, SessionSink, UpstreamSubscription, VenueAdapter } from '../venue-adapter';
import { CoinbaseAdvancedTradeSession } from './advanced-trade-session';
import { coinbaseSymbolDirectory } from './coinbase-symbols';
import { CoinbaseExchangeSession } from './exchange-session';

/** `exchange`: the Exchange (formerly Pro) feed; `advanced-trade`: Advanced Trade market data. */
export type CoinbaseFeed = 'exchange' | 'advanced-trade';

export interface CoinbaseAdapterOptions {
  readonly feed: CoinbaseFeed;
  /** WebSocket URL (the virtual exchange's in tests); default: the venue's production endpoint. */
  readonly wsUrl?: string;
  /** Known instruments (tick and lot sizes, unusual product ids); others map BASE-QUOTE as is. */
  readonly instruments?: readonly Instrument[];
  /**
   * Exchange feed: the level2 channel. `level2` is the recorded, update-by-update channel, which the
   * live venue serves to authenticated connections only since 2023; `level2_batch` is the public one
   * (same messages, batched every 50 ms). Default `level2`.
   */
  readonly level2Channel?: 'level2' | 'level2_batch';
  /** Exchange feed: subscribe the per-product heartbeat channel too (default true). */
  readonly heartbeats?: boolean;
  /** Most product ids per subscribe/unsubscribe message (default 100). */
  readonly productsPerMessage?: number;
  /** Subscriptions per connection the manager may put on one socket (default: see the class). */
  readonly maxSubscriptionsPerConnection?: number;
  /** Advanced Trade: whether market_trades `side` names the maker (default) or the taker. */
  readonly marketTradesSide?: 'maker' | 'taker';
}

const ENDPOINTS: Record<CoinbaseFeed, string> = {
  exchange: 'wss://ws-feed.exchange.coinbase.com',
  'advanced-trade': 'wss://advanced-trade-ws.coinbase.com',
};

/**
 * Coinbase market data over either WebSocket feed; see README.md for the venue rules it follows.
 * Neither feed documents a per-connection subscription cap. On Advanced Trade a sequence_num gap
 * resyncs every book of the connection, so connections there carry fewer subscriptions.
 */
export class CoinbaseAdapter implements VenueAdapter {
  readonly venue = 'coinbase' as const;
  readonly feed: CoinbaseFeed;
  readonly maxSubscriptionsPerConnection: number;
  readonly heartbeat: HeartbeatPolicy;
  private readonly wsUrl: string;
  private readonly symbols: SymbolDirectory;
  private readonly options: CoinbaseAdapterOptions;

  constructor(options: CoinbaseAdapterOptions) {
    this.options = options;
    this.feed = options.feed;
    this.wsUrl = options.wsUrl ?? ENDPOINTS[options.feed];
    this.symbols = coinbaseSymbolDirectory(options.instruments ?? []);
    this.maxSubscriptionsPerConnection =
      options.maxSubscriptionsPerConnection ?? (options.feed === 'exchange' ? 100 : 50);
    // Heartbeats arrive every second on both feeds when subscribed; without them an illiquid
    // product may stay silent, and the Advanced Trade channels close after 60-90 s of silence.
    const heartbeats = options.feed === 'advanced-trade' || (options.heartbeats ?? true);
    this.heartbeat = { expectedIntervalMs: heartbeats ? 1000 : 60_000 };
  }

  url(): string {
    return this.wsUrl;
  }

  instrument(symbol: NormalizedSymbol): Instrument | undefined {
    return this.symbols.instrument(symbol);
  }

  /** Normalized symbol of a product id (SKL-USD → SKL-USD), or undefined if it has another shape. */
  symbolOf(productId: string): NormalizedSymbol | undefined {
    return this.symbols.symbolOf(productId);
  }

  createSession(
    subscriptions: readonly UpstreamSubscription[],
    sink: SessionSink,
  ): CoinbaseExchangeSession | CoinbaseAdvancedTradeSession {
    const productsPerMessage = this.options.productsPerMessage ?? 100;
    if (this.feed === 'exchange') {
      return new CoinbaseExchangeSession(
        {
          symbols: this.symbols,
          level2Channel: this.options.level2Channel ?? 'level2',
          heartbeats: this.options.heartbeats ?? true,
          productsPerMessage,
        },
        subscriptions,
        sink,
      );
    }
    return new CoinbaseAdvancedTradeSession(
      { symbols: this.symbols, productsPerMessage, marketTradesSide: this.options.marketTradesSide ?? 'maker' },
      subscriptions,
      sink,
    );
  }
}
