import { DecimalFormatError, toDecimal } from '../../decimal';
import { BookUpdateError } from '../../book';
import type { EpochMicros, PriceLevel, TakerSide } from '../../model/events';
import type { NormalizedSymbol } from '../../model/instrument';
import { millisToMicros } from '../../model/time';
import type { VenueId } from '../../model/venue';
import type { SymbolDirectory } from '../symbol-directory';
import type { SessionSink, UpstreamSubscription, VenueSession } from '../venue-adapter';
import { BinanceBookSync, snapshotVenueTime, type SyncRules } from './binance-book-sync';
import { canonicalLevels } from './binance-levels';
import {
  type BinanceDepthUpdate,
  isAggTrade,
  isBookTicker,
  isDepthSnapshot,
  isDepthUpdate,
  isDict,
  isKline,
  isTrade,
} from './binance-protocol';
import { streamName } from './binance-symbols';

export interface BinanceSessionConfig {
  readonly venue: VenueId;
  readonly rules: SyncRules;
  /** REST base, e.g. https://api.binance.com/api/v3 or https://fapi.binance.com/fapi/v1. */
  readonly restBase: string;
  readonly snapshotLimit: number;
  readonly tradeStream: 'trade' | 'aggTrade';
  /** Most streams per SUBSCRIBE message (Binance counts each message against 5/s or 10/s). */
  readonly streamsPerMessage: number;
  readonly symbols: SymbolDirectory;
}

/**
 * One Binance market-data connection (combined streams): subscriptions, frame parsing to
 * normalized events, and per-symbol book sync. See README.md for the rules quoted.
 */
export class BinanceSession implements VenueSession {
  private readonly books = new Map<NormalizedSymbol, BinanceBookSync>();
  private wanted: UpstreamSubscription[];
  private requestId = 0;

  constructor(
    private readonly config: BinanceSessionConfig,
    subscriptions: readonly UpstreamSubscription[],
    private readonly sink: SessionSink,
  ) {
    this.wanted = [...subscriptions];
    for (const subscription of subscriptions) this.track(subscription);
  }

  /** Per-symbol sync state, for tests and metrics. */
  bookSync(symbol: NormalizedSymbol): BinanceBookSync | undefined {
    return this.books.get(symbol);
  }

  open(time: EpochMicros): void {
    this.sendStreams('SUBSCRIBE', this.wanted);
    for (const symbol of this.books.keys()) {
      this.sink.event({
        type: 'status',
        venue: this.config.venue,
        symbol,
        state: 'connecting',
        reason: 'subscribed; waiting for depth diffs and the snapshot',
        receiveTime: time,
      });
    }
  }

  subscribe(subscriptions: readonly UpstreamSubscription[]): void {
    const added = subscriptions.filter(
      (s) => !this.wanted.some((w) => w.symbol === s.symbol && w.channel === s.channel),
    );
    this.wanted.push(...added);
    for (const subscription of added) this.track(subscription);
    this.sendStreams('SUBSCRIBE', added);
  }

  unsubscribe(subscriptions: readonly UpstreamSubscription[]): void {
    const removed = this.wanted.filter((w) =>
      subscriptions.some((s) => s.symbol === w.symbol && s.channel === w.channel),
    );
    this.wanted = this.wanted.filter((w) => !removed.includes(w));
    for (const subscription of removed) {
      if (subscription.channel === 'book') this.books.delete(subscription.symbol);
    }
    this.sendStreams('UNSUBSCRIBE', removed);
  }

  close(time: EpochMicros, reason: string): void {
    for (const [symbol, sync] of this.books) {
      sync.reset();
      this.sink.event({
        type: 'status',
        venue: this.config.venue,
        symbol,
        state: 'disconnected',
        reason,
        receiveTime: time,
      });
    }
  }

  handleFrame(text: string, receiveTime: EpochMicros): void {
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      this.sink.account('rejected', 'not JSON');
      return;
    }
    if (!isDict(frame)) {
      this.sink.account('rejected', 'not a JSON object');
      return;
    }
    // Combined streams wrap each event as {"stream": ..., "data": {...}}; raw streams do not.
    const data = isDict(frame['data']) ? frame['data'] : frame;
    try {
      this.dispatch(data, receiveTime);
    } catch (error) {
      if (error instanceof DecimalFormatError || error instanceof BookUpdateError) {
        this.sink.account('rejected', `${String(data['e'])}: ${error.message}`);
        return;
      }
      throw error;
    }
  }

  handleHttp(url: string, status: number, body: string, receiveTime: EpochMicros): void {
    if (!url.includes('/depth')) return;
    const venueSymbol = /[?&]symbol=([^&]+)/.exec(url)?.[1];
    const symbol =
      venueSymbol === undefined ? undefined : this.config.symbols.symbolOf(decodeURIComponent(venueSymbol));
    const sync = symbol === undefined ? undefined : this.books.get(symbol);
    if (sync === undefined) return;
    if (status !== 200) {
      sync.snapshotFailed(`HTTP ${status}: ${body.slice(0, 200)}`, receiveTime);
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      sync.snapshotFailed('body is not JSON', receiveTime);
      return;
    }
    if (!isDepthSnapshot(parsed)) {
      sync.snapshotFailed('body is not a depth snapshot', receiveTime);
      return;
    }
    try {
      sync.snapshot(
        {
          lastUpdateId: parsed.lastUpdateId,
          bids: canonicalLevels(parsed.bids),
          asks: canonicalLevels(parsed.asks),
          venueTime: snapshotVenueTime(parsed.E),
        },
        receiveTime,
      );
    } catch (error) {
      if (!(error instanceof DecimalFormatError || error instanceof BookUpdateError)) throw error;
      sync.snapshotFailed(error.message, receiveTime);
    }
  }

  private dispatch(data: Record<string, unknown>, receiveTime: EpochMicros): void {
    const event = data['e'];
    switch (event) {
      case 'depthUpdate':
        if (!isDepthUpdate(data)) return this.sink.account('rejected', 'depthUpdate: malformed');
        return this.depth(data, receiveTime);
      case 'trade':
        if (!isTrade(data)) return this.sink.account('rejected', 'trade: malformed');
        return this.trade(data.s, String(data.t), data.p, data.q, data.T, data.m, receiveTime, 'trade');
      case 'aggTrade':
        if (!isAggTrade(data)) return this.sink.account('rejected', 'aggTrade: malformed');
        return this.trade(data.s, String(data.a), data.p, data.q, data.T, data.m, receiveTime, 'aggTrade');
      case 'kline':
        if (!isKline(data)) return this.sink.account('rejected', 'kline: malformed');
        // Tickwire builds its own candles from trades; klines serve as a cross-check in tests.
        return this.sink.account('ignored', 'kline');
      case 'serverShutdown':
        this.sink.replaceConnection('Binance announced serverShutdown');
        return this.sink.account('parsed', 'serverShutdown');
      case 'bookTicker':
      case undefined:
        if (isBookTicker(data)) return this.bbo(data, receiveTime);
        if ('result' in data && 'id' in data) return this.sink.account('ignored', 'request reply');
        if (isDict(data['error'])) return this.sink.account('ignored', 'error reply');
        return this.sink.account('rejected', 'unknown message');
      default:
        return this.sink.account('rejected', `unknown event ${JSON.stringify(event)}`);
    }
  }

  private depth(update: BinanceDepthUpdate, receiveTime: EpochMicros): void {
    const symbol = this.config.symbols.symbolOf(update.s);
    const sync = symbol === undefined ? undefined : this.books.get(symbol);
    if (sync === undefined) return this.sink.account('ignored', 'depthUpdate of an unsubscribed symbol');
    const outcome = sync.diff({
      firstId: update.U,
      lastId: update.u,
      previousLastId: update.pu,
      bids: canonicalLevels(update.b),
      asks: canonicalLevels(update.a),
      venueTime: millisToMicros(update.T ?? update.E),
      receiveTime,
    });
    this.sink.account(outcome === 'stale' ? 'ignored' : 'parsed', `depthUpdate ${outcome}`);
  }

  private trade(
    venueSymbol: string,
    tradeId: string,
    price: string,
    size: string,
    time: number,
    buyerIsMaker: boolean,
    receiveTime: EpochMicros,
    kind: string,
  ): void {
    const symbol = this.config.symbols.symbolOf(venueSymbol);
    if (symbol === undefined) return this.sink.account('rejected', `${kind}: unknown symbol ${venueSymbol}`);
    const side: TakerSide = buyerIsMaker ? 'sell' : 'buy';
    this.sink.event({
      type: 'trade',
      venue: this.config.venue,
      symbol,
      receiveTime,
      tradeId,
      side,
      price: toDecimal(price),
      size: toDecimal(size),
      venueTime: millisToMicros(time),
    });
    this.sink.account('parsed', kind);
  }

  private bbo(
    ticker: { s: string; b: string; B: string; a: string; A: string; T?: number; E?: number },
    receiveTime: EpochMicros,
  ): void {
    const symbol = this.config.symbols.symbolOf(ticker.s);
    if (symbol === undefined) return this.sink.account('rejected', `bookTicker: unknown symbol ${ticker.s}`);
    const bid: PriceLevel = [toDecimal(ticker.b), toDecimal(ticker.B)];
    const ask: PriceLevel = [toDecimal(ticker.a), toDecimal(ticker.A)];
    const time = ticker.T ?? ticker.E;
    this.sink.event({
      type: 'bbo',
      venue: this.config.venue,
      symbol,
      receiveTime,
      bid: bid[1] === '0' ? null : bid,
      ask: ask[1] === '0' ? null : ask,
      venueTime: time === undefined ? null : millisToMicros(time),
    });
    this.sink.account('parsed', 'bookTicker');
  }

  private track(subscription: UpstreamSubscription): void {
    if (subscription.channel !== 'book' || this.books.has(subscription.symbol)) return;
    const venueSymbol = this.venueSymbol(subscription.symbol);
    const url = `${this.config.restBase}/depth?symbol=${venueSymbol}&limit=${this.config.snapshotLimit}`;
    this.books.set(
      subscription.symbol,
      new BinanceBookSync(this.config.venue, subscription.symbol, this.config.rules, this.sink, url),
    );
  }

  private venueSymbol(symbol: NormalizedSymbol): string {
    return this.config.symbols.venueSymbolOf(symbol, (base, quote) => `${base}${quote}`);
  }

  private sendStreams(method: 'SUBSCRIBE' | 'UNSUBSCRIBE', subscriptions: readonly UpstreamSubscription[]): void {
    const streams = subscriptions.map((s) =>
      streamName(this.venueSymbol(s.symbol), s.channel, this.config.tradeStream),
    );
    for (let i = 0; i < streams.length; i += this.config.streamsPerMessage) {
      const params = streams.slice(i, i + this.config.streamsPerMessage);
      this.sink.send(JSON.stringify({ method, params, id: ++this.requestId }));
    }
  }
}
