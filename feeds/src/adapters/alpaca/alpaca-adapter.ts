import { type DecimalString, toDecimal } from '../../decimal';
import type { Instrument, NormalizedSymbol } from '../../model/instrument';
import type { SymbolDirectory } from '../symbol-directory';
import type { HeartbeatPolicy, SessionSink, UpstreamSubscription, VenueAdapter } from '../venue-adapter';
import type { AlpacaCredentials } from './alpaca-credentials';
import { type AlpacaFeed, AlpacaSession } from './alpaca-session';
import { alpacaStockInstrument, alpacaSymbols, alpacaVenueSymbol } from './alpaca-symbols';
import type { MarketCalendar } from './market-session';

export interface AlpacaAdapterOptions {
  /** 'iex' (free plan), 'sip' (paid: all US exchanges) or 'test' (FAKEPACA, around the clock). */
  readonly feed?: AlpacaFeed;
  /**
   * The API key pair, e.g. `AlpacaCredentials.fromEnv(process.env)` (APCA_API_KEY_ID /
   * APCA_API_SECRET_KEY). Without it a session reports 'disconnected' and never authenticates;
   * replays of recorded frames need none.
   */
  readonly credentials?: AlpacaCredentials;
  /** WebSocket base, default wss://stream.data.alpaca.markets (sandbox: wss://stream.data.sandbox.alpaca.markets). */
  readonly wsBase?: string;
  /** Instruments with names Tickwire cannot derive (BRK.B → BRKB-USD) or other tick sizes. */
  readonly instruments?: readonly Instrument[];
  /** Most symbols per subscribe message, over all channels. Default 100. */
  readonly symbolsPerMessage?: number;
  /**
   * The plan's limit on trades and on quotes, if known (free IEX plan: 30). Symbols beyond it are
   * not sent and are reported; without it the venue's 405 reports them.
   */
  readonly symbolLimit?: number;
  /** Subscribe trading statuses (halts) for every symbol. Default true. */
  readonly statuses?: boolean;
  /**
   * Quote sizes arrive "in round lots": bbo sizes are multiplied by this to give shares. Default
   * "100"; "1" passes the venue's numbers through (see README on the 2025 round-lot change).
   */
  readonly quoteLotShares?: string;
  /** Holidays and early closes for the market session. */
  readonly calendar?: MarketCalendar;
  /** The interval the venue pings at (measured about 54 s); tests shorten it with the virtual exchange. */
  readonly pingIntervalMs?: number;
}

/** Alpaca pings every ~54 s [secondary: measured]; data alone can pause for hours when the market is shut. */
const DEFAULT_PING_INTERVAL_MS = 60_000;

/**
 * Alpaca stock market data v2 (wss://stream.data.alpaca.markets/v2/{iex|sip|test}): trades,
 * top-of-book quotes and trading statuses of US stocks, as Tickwire trade, bbo and status events.
 * Alpaca has no order book, sequence numbers or checksums on this stream; see README.md.
 */
export class AlpacaAdapter implements VenueAdapter {
  readonly venue = 'alpaca' as const;
  /**
   * "The number of connections to a single endpoint from a user is limited ... in most subscriptions
   * this limit is 1": a second connection would only earn 406, so every subscription goes on one.
   */
  readonly maxSubscriptionsPerConnection = Number.MAX_SAFE_INTEGER;
  readonly heartbeat: HeartbeatPolicy;
  readonly feed: AlpacaFeed;
  private readonly wsBase: string;
  private readonly symbols: SymbolDirectory;
  private readonly credentials: AlpacaCredentials | undefined;
  private readonly symbolsPerMessage: number;
  private readonly symbolLimit: number | undefined;
  private readonly statuses: boolean;
  private readonly quoteLotShares: DecimalString;
  private readonly calendar: MarketCalendar;

  constructor(options: AlpacaAdapterOptions = {}) {
    this.feed = options.feed ?? 'iex';
    this.wsBase = (options.wsBase ?? 'wss://stream.data.alpaca.markets').replace(/\/$/, '');
    this.symbols = alpacaSymbols(options.instruments);
    this.credentials = options.credentials;
    this.symbolsPerMessage = options.symbolsPerMessage ?? 100;
    this.symbolLimit = options.symbolLimit;
    this.statuses = options.statuses ?? true;
    this.quoteLotShares = toDecimal(options.quoteLotShares ?? '100');
    this.calendar = options.calendar ?? {};
    // Pings count as traffic for the connection manager, so silence past ~3 pings means a dead link.
    this.heartbeat = { expectedIntervalMs: options.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS };
  }

  url(): string {
    return `${this.wsBase}/v2/${this.feed}`;
  }

  /** AAPL-USD → the AAPL stock (tick 0.01, lot 1 share), or a configured instrument. */
  instrument(symbol: NormalizedSymbol): Instrument | undefined {
    const known = this.symbols.instrument(symbol);
    if (known !== undefined) return known;
    const venueSymbol = alpacaVenueSymbol(this.symbols, symbol);
    return venueSymbol === undefined ? undefined : alpacaStockInstrument(venueSymbol);
  }

  /** Normalized symbol of an Alpaca symbol (AAPL → AAPL-USD), or undefined. */
  symbolOf(venueSymbol: string): NormalizedSymbol | undefined {
    return this.symbols.symbolOf(venueSymbol);
  }

  createSession(subscriptions: readonly UpstreamSubscription[], sink: SessionSink): AlpacaSession {
    return new AlpacaSession(
      {
        feed: this.feed,
        credentials: this.credentials,
        symbols: this.symbols,
        symbolsPerMessage: this.symbolsPerMessage,
        symbolLimit: this.symbolLimit,
        statuses: this.statuses,
        quoteLotShares: this.quoteLotShares,
        calendar: this.calendar,
      },
      subscriptions,
      sink,
    );
  }
}
