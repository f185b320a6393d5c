import type { Instrument, NormalizedSymbol } from '../../model/instrument';
import type { VenueId } from '../../model/venue';
import { splitConcatenated, SymbolDirectory } from '../symbol-directory';
import type { SessionSink, UpstreamSubscription, VenueAdapter } from '../venue-adapter';
import { BinanceSession } from './binance-session';
import { BINANCE_QUOTE_ASSETS } from './binance-symbols';

export type BinanceMarket = 'spot' | 'usdm';

export interface BinanceAdapterOptions {
  /** `binance` (spot), `binance-usdm` (USD-M futures) or `binance-us` (Binance.US: spot protocol). */
  readonly venue: Extract<VenueId, 'binance' | 'binance-usdm' | 'binance-us'>;
  /** WebSocket base, e.g. wss://stream.binance.com:9443 (the virtual exchange's URL in tests). */
  readonly wsBase?: string;
  /** REST base including the API version path, e.g. https://api.binance.com/api/v3. */
  readonly restBase?: string;
  /**
   * Known instruments (tick and lot size, symbols the quote-asset split cannot name), e.g. from
   * instrumentsFromBinance() on the venue's exchangeInfo; others are named by that split.
   */
  readonly instruments?: readonly Instrument[];
  /** Fewer streams per connection than the venue allows (spot 1024, futures 200), e.g. to spread load. */
  readonly maxSubscriptionsPerConnection?: number;
  /** The venue's ping interval (spot 20 s, futures 3 min); tests shorten it with the virtual exchange's. */
  readonly pingIntervalMs?: number;
  /** trade (default: one message per fill, the exact tape) or aggTrade (one per taker order). */
  readonly tradeStream?: 'trade' | 'aggTrade';
}

/** Endpoints by venue; Binance.US speaks the spot protocol at its own hosts, so it is configuration only. */
const ENDPOINTS: Record<BinanceAdapterOptions['venue'], { ws: string; rest: string; market: BinanceMarket }> = {
  binance: { ws: 'wss://stream.binance.com:9443', rest: 'https://api.binance.com/api/v3', market: 'spot' },
  'binance-us': { ws: 'wss://stream.binance.us:9443', rest: 'https://api.binance.us/api/v3', market: 'spot' },
  'binance-usdm': { ws: 'wss://fstream.binance.com', rest: 'https://fapi.binance.com/fapi/v1', market: 'usdm' },
};

export class BinanceAdapter implements VenueAdapter {
  readonly venue: BinanceAdapterOptions['venue'];
  /** Spot allows 1024 streams per connection, USD-M futures 200. */
  readonly maxSubscriptionsPerConnection: number;
  /** Spot: the server pings every 20 s; futures every 3 min. Data flows in between anyway. */
  readonly heartbeat: { expectedIntervalMs: number };
  readonly maxConnectionLifetimeMs = 24 * 3600 * 1000;
  /** Spot allows 5 incoming messages/s, futures 10, pongs included: keep one per second spare. */
  readonly maxMessagesPerSecond: number;
  private readonly wsBase: string;
  private readonly restBase: string;
  private readonly market: BinanceMarket;
  private readonly symbols: SymbolDirectory;
  private readonly tradeStream: 'trade' | 'aggTrade';

  constructor(options: BinanceAdapterOptions) {
    const endpoints = ENDPOINTS[options.venue];
    this.venue = options.venue;
    this.market = endpoints.market;
    this.wsBase = (options.wsBase ?? endpoints.ws).replace(/\/$/, '');
    this.restBase = (options.restBase ?? endpoints.rest).replace(/\/$/, '');
    this.maxSubscriptionsPerConnection = Math.min(
      options.maxSubscriptionsPerConnection ?? Number.POSITIVE_INFINITY,
      this.market === 'spot' ? 1024 : 200,
    );
    this.maxMessagesPerSecond = this.market === 'spot' ? 4 : 9;
    this.heartbeat = { expectedIntervalMs: options.pingIntervalMs ?? (this.market === 'spot' ? 20_000 : 180_000) };
    this.tradeStream = options.tradeStream ?? 'trade';
    this.symbols = new SymbolDirectory(options.instruments ?? [], (venueSymbol) =>
      splitConcatenated(venueSymbol, BINANCE_QUOTE_ASSETS),
    );
  }

  url(): string {
    // Combined-stream endpoint; streams are added with SUBSCRIBE so one socket can change them.
    return `${this.wsBase}/stream`;
  }

  instrument(symbol: NormalizedSymbol): Instrument | undefined {
    return this.symbols.instrument(symbol);
  }

  /** Normalized symbol of a Binance symbol (BTCUSDT → BTC-USDT), or undefined if unknown. */
  symbolOf(venueSymbol: string): NormalizedSymbol | undefined {
    return this.symbols.symbolOf(venueSymbol);
  }

  createSession(subscriptions: readonly UpstreamSubscription[], sink: SessionSink): BinanceSession {
    return new BinanceSession(
      {
        venue: this.venue,
        rules: this.market === 'spot' ? 'spot' : 'futures',
        restBase: this.restBase,
        snapshotLimit: 1000,
        tradeStream: this.tradeStream,
        streamsPerMessage: 100,
        symbols: this.symbols,
      },
      subscriptions,
      sink,
    );
  }
}
