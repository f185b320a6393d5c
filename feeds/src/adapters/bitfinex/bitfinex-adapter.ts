import type { Instrument, NormalizedSymbol } from '../../model/instrument';
import { SymbolDirectory } from '../symbol-directory';
import type { SessionSink, UpstreamSubscription, VenueAdapter } from '../venue-adapter';
import { BitfinexSession } from './bitfinex-session';
import { BITFINEX_MAX_CHANNELS, type BitfinexBookLength } from './bitfinex-subscriptions';
import { BITFINEX_CURRENCY_ALIASES, BitfinexSymbols } from './bitfinex-symbols';

export interface BitfinexAdapterOptions {
  /** WebSocket URL; default wss://api-pub.bitfinex.com/ws/2 (the virtual exchange's URL in tests). */
  readonly wsUrl?: string;
  /** Known instruments (tick and lot sizes); other trading pairs are mapped from their symbol. */
  readonly instruments?: readonly Instrument[];
  /** Price levels per side of each book channel: 25, 100 (default) or 250. */
  readonly bookLength?: BitfinexBookLength;
  /** Ask for book checksums (conf flag 131072) and verify them; default true. */
  readonly checksums?: boolean;
  /** Bitfinex currency code → normalized code; default BITFINEX_CURRENCY_ALIASES (UST → USDT, ...). */
  readonly currencyAliases?: Readonly<Record<string, string>>;
}

/** Public channels should use this domain (docs.bitfinex.com/docs/ws-general). */
export const BITFINEX_PUBLIC_WS = 'wss://api-pub.bitfinex.com/ws/2';

/** Bitfinex WebSocket v2 public market data: books (P0) with checksums, trades, bbo from the book. */
export class BitfinexAdapter implements VenueAdapter {
  readonly venue = 'bitfinex' as const;
  /** "You can subscribe to 25 channels at the same time on the same connection." */
  readonly maxSubscriptionsPerConnection = BITFINEX_MAX_CHANNELS;
  /** Each subscribed channel gets a [CHAN_ID, "hb"] after 15 s without messages. */
  readonly heartbeat = { expectedIntervalMs: 15_000 };
  private readonly wsUrl: string;
  private readonly bookLength: BitfinexBookLength;
  private readonly checksums: boolean;
  private readonly codes: BitfinexSymbols;
  private readonly symbols: SymbolDirectory;

  constructor(options: BitfinexAdapterOptions = {}) {
    this.wsUrl = options.wsUrl ?? BITFINEX_PUBLIC_WS;
    this.bookLength = options.bookLength ?? 100;
    this.checksums = options.checksums ?? true;
    this.codes = new BitfinexSymbols(options.currencyAliases ?? BITFINEX_CURRENCY_ALIASES);
    this.symbols = new SymbolDirectory(
      options.instruments ?? [],
      (venueSymbol) => this.codes.parse(venueSymbol)?.symbol,
    );
  }

  url(): string {
    return this.wsUrl;
  }

  instrument(symbol: NormalizedSymbol): Instrument | undefined {
    return this.symbols.instrument(symbol);
  }

  /** Normalized symbol of a Bitfinex symbol (tBTCUSD → BTC-USD), or undefined if it is not a trading pair. */
  symbolOf(venueSymbol: string): NormalizedSymbol | undefined {
    return this.symbols.symbolOf(venueSymbol);
  }

  /** Bitfinex symbol of a normalized one (BTC-USDT → tBTCUST, TESTBTC-TESTUSD → tTESTBTC:TESTUSD). */
  venueSymbolOf(symbol: NormalizedSymbol): string {
    return this.symbols.venueSymbolOf(symbol, (base, quote) => this.codes.format(base, quote));
  }

  createSession(subscriptions: readonly UpstreamSubscription[], sink: SessionSink): BitfinexSession {
    return new BitfinexSession(
      {
        book: { prec: 'P0', freq: 'F0', len: this.bookLength },
        checksums: this.checksums,
        maxChannels: this.maxSubscriptionsPerConnection,
        venueSymbolOf: (symbol) => this.venueSymbolOf(symbol),
      },
      subscriptions,
      sink,
    );
  }
}
