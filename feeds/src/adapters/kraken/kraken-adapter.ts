import type { Instrument, NormalizedSymbol } from '../../model/instrument';
import { SymbolDirectory } from '../symbol-directory';
import type { HeartbeatPolicy, SessionSink, UpstreamSubscription, VenueAdapter } from '../venue-adapter';
import { KRAKEN_BOOK_DEPTHS, type KrakenBookDepth } from './kraken-book-sync';
import { KrakenSession } from './kraken-session';
import { type KrakenVersion, symbolOfPair } from './kraken-symbols';

export interface KrakenAdapterOptions {
  /**
   * 'v2' (wss://ws.kraken.com/v2, "recommended for all new integrations") or 'v1'
   * (wss://ws.kraken.com, maintained; the real captures are v1). No default: the two speak
   * different protocols and pair names, so the choice is explicit.
   */
  readonly version: KrakenVersion;
  /** WebSocket URL, e.g. the virtual exchange's in tests; default the venue's for the version. */
  readonly wsUrl?: string;
  /** Levels per side of each book subscription: 10, 25, 100, 500 or 1000 (default 1000). */
  readonly bookDepth?: KrakenBookDepth;
  /** Known instruments (tick and lot size), e.g. from krakenInstrument(); others are named from the pair. */
  readonly instruments?: readonly Instrument[];
  /** Most pairs per subscribe/unsubscribe request (default 50). */
  readonly pairsPerMessage?: number;
}

const ENDPOINTS: Record<KrakenVersion, string> = { v1: 'wss://ws.kraken.com', v2: 'wss://ws.kraken.com/v2' };

export class KrakenAdapter implements VenueAdapter {
  readonly venue = 'kraken' as const;
  readonly version: KrakenVersion;
  /**
   * Kraken documents no per-connection subscription limit; Tickwire's own cap keeps one socket's
   * load bounded (with depth-1000 books, 200 channels is already a busy connection).
   */
  readonly maxSubscriptionsPerConnection = 200;
  /**
   * "Heartbeat messages are sent approximately once every second in the absence of any other
   * channel updates" (both versions; the captures show gaps of at most 1.16 s). No client ping is
   * needed: a subscribed connection is never silent for long when healthy.
   */
  readonly heartbeat: HeartbeatPolicy = { expectedIntervalMs: 1000 };
  readonly bookDepth: KrakenBookDepth;
  private readonly wsUrl: string;
  private readonly pairsPerMessage: number;
  private readonly symbols: SymbolDirectory;

  constructor(options: KrakenAdapterOptions) {
    this.version = options.version;
    this.wsUrl = options.wsUrl ?? ENDPOINTS[options.version];
    this.bookDepth = options.bookDepth ?? 1000;
    if (!(KRAKEN_BOOK_DEPTHS as readonly number[]).includes(this.bookDepth)) {
      throw new RangeError(`Kraken book depth must be one of ${KRAKEN_BOOK_DEPTHS.join(', ')}, got ${this.bookDepth}`);
    }
    this.pairsPerMessage = options.pairsPerMessage ?? 50;
    if (!Number.isSafeInteger(this.pairsPerMessage) || this.pairsPerMessage < 1) {
      throw new RangeError(`pairsPerMessage must be a positive integer, got ${this.pairsPerMessage}`);
    }
    this.symbols = new SymbolDirectory(options.instruments ?? [], symbolOfPair);
  }

  url(): string {
    // One endpoint per version; channels are added with subscribe requests on the open socket.
    return this.wsUrl;
  }

  instrument(symbol: NormalizedSymbol): Instrument | undefined {
    return this.symbols.instrument(symbol);
  }

  /** Normalized symbol of a Kraken pair name (XBT/USD or BTC/USD → BTC-USD), or undefined. */
  symbolOf(pair: string): NormalizedSymbol | undefined {
    return this.symbols.symbolOf(pair);
  }

  createSession(subscriptions: readonly UpstreamSubscription[], sink: SessionSink): KrakenSession {
    return new KrakenSession(
      {
        venue: this.venue,
        version: this.version,
        depth: this.bookDepth,
        pairsPerMessage: this.pairsPerMessage,
        symbols: this.symbols,
      },
      subscriptions,
      sink,
    );
  }
}
