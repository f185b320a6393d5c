import type { Instrument, NormalizedSymbol } from '../../model/instrument';
import { parseNormalizedSymbol } from '../../model/instrument';
import { SymbolDirectory } from '../symbol-directory';
import type { HeartbeatPolicy, SessionSink, UpstreamSubscription, VenueAdapter } from '../venue-adapter';
import { OKX_MAX_REQUEST_BYTES, OKX_REQUESTS_PER_HOUR } from './okx-requests';
import { OkxSession } from './okx-session';
import { defaultInstId, parseInstId } from './okx-symbols';

export interface OkxAdapterOptions {
  /** Public WebSocket URL; default wss://ws.okx.com:8443/ws/v5/public (the virtual exchange's in tests). */
  readonly wsUrl?: string;
  /** REST base for order book snapshots; default https://www.okx.com. */
  readonly restBase?: string;
  /**
   * Instruments this adapter serves, e.g. from instrumentsFromOkx(). They decide which instId a
   * normalized symbol means: BTC-USDT is spot BTC-USDT unless an instrument maps it to
   * BTC-USDT-SWAP or a dated future. One instrument per normalized symbol (the constructor throws
   * otherwise): events carry only venue and symbol, so two would be indistinguishable downstream.
   */
  readonly instruments?: readonly Instrument[];
  /** The instId of a symbol no instrument names: spot (BTC-USDT, default) or perpetual (BTC-USDT-SWAP). */
  readonly defaultKind?: 'spot' | 'perpetual';
  /**
   * OKX: "If you need to subscribe to many 50 or 400 depth level channels, it is recommended to
   * subscribe through multiple websocket connections, with each of less than 30 channels." Default 29.
   */
  readonly maxSubscriptionsPerConnection?: number;
}

export class OkxAdapter implements VenueAdapter {
  readonly venue = 'okx' as const;
  readonly maxSubscriptionsPerConnection: number;
  /**
   * OKX closes a connection "if … data has not been pushed for more than 30 seconds" and asks
   * clients to send the text "ping" when N < 30 s passed without a message; 25 s leaves margin.
   */
  readonly heartbeat: HeartbeatPolicy = {
    clientPing: { text: 'ping', intervalMs: 25_000 },
    expectedIntervalMs: 30_000,
  };
  private readonly wsUrl: string;
  private readonly restBase: string;
  private readonly symbols: SymbolDirectory;
  private readonly defaultKind: 'spot' | 'perpetual';

  constructor(options: OkxAdapterOptions = {}) {
    this.wsUrl = options.wsUrl ?? 'wss://ws.okx.com:8443/ws/v5/public';
    this.restBase = (options.restBase ?? 'https://www.okx.com').replace(/\/$/, '');
    this.defaultKind = options.defaultKind ?? 'spot';
    this.maxSubscriptionsPerConnection = options.maxSubscriptionsPerConnection ?? 29;
    const instruments = options.instruments ?? [];
    const seen = new Map<NormalizedSymbol, string>();
    for (const instrument of instruments) {
      const other = seen.get(instrument.symbol);
      if (other !== undefined && other !== instrument.venueSymbol) {
        throw new Error(
          `OKX adapter: ${other} and ${instrument.venueSymbol} both map to ${instrument.symbol}; ` +
            'pass one instrument per normalized symbol (use another adapter instance for the other)',
        );
      }
      seen.set(instrument.symbol, instrument.venueSymbol);
    }
    this.symbols = new SymbolDirectory(instruments, (instId) => parseInstId(instId)?.symbol);
  }

  url(): string {
    // Channels are added with {"op":"subscribe"} messages; the URL is the same for all of them.
    return this.wsUrl;
  }

  instrument(symbol: NormalizedSymbol): Instrument | undefined {
    return this.symbols.instrument(symbol);
  }

  /** Normalized symbol of an instId (UNI-USD-SWAP → UNI-USD), or undefined for options and unknown forms. */
  symbolOf(instId: string): NormalizedSymbol | undefined {
    return this.symbols.symbolOf(instId);
  }

  /** The instId this adapter subscribes for a normalized symbol. */
  instIdOf(symbol: NormalizedSymbol): string {
    const known = this.symbols.instrument(symbol)?.venueSymbol;
    if (known !== undefined) return known;
    const { base, quote } = parseNormalizedSymbol(symbol);
    return defaultInstId(base, quote, this.defaultKind);
  }

  createSession(subscriptions: readonly UpstreamSubscription[], sink: SessionSink): OkxSession {
    return new OkxSession(
      {
        restBase: this.restBase,
        instIdOf: (symbol) => this.instIdOf(symbol),
        maxRequestBytes: OKX_MAX_REQUEST_BYTES,
        requestsPerHour: OKX_REQUESTS_PER_HOUR,
        requestReserve: 40,
      },
      subscriptions,
      sink,
    );
  }
}
