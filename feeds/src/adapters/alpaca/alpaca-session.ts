import { compareDecimals, type DecimalString } from '../../decimal';
import type { EpochMicros, FeedState } from '../../model/events';
import type { NormalizedSymbol } from '../../model/instrument';
import type { SymbolDirectory } from '../symbol-directory';
import type { SessionSink, UpstreamSubscription, VenueSession } from '../venue-adapter';
import type { AlpacaCredentials } from './alpaca-credentials';
import { alpacaErrorReason, alpacaErrorRule } from './alpaca-errors';
import { bboEvent, QuoteSizes, tradeEvent } from './alpaca-events';
import { type ParsedItem, type ParsedQuote, type ParsedTrade, parseAlpacaFrame } from './alpaca-frame-parser';
import { InstrumentTracker, type TrackedInstrument } from './alpaca-instruments';
import { SubscriptionLedger } from './alpaca-subscription-ledger';
import { type AlpacaChannel, type AlpacaRequest, venueWants, type VenueWants } from './alpaca-subscriptions';
import { alpacaVenueSymbol } from './alpaca-symbols';
import type { MarketCalendar } from './market-session';

export type AlpacaFeed = 'iex' | 'sip' | 'test';

export interface AlpacaSessionConfig {
  readonly feed: AlpacaFeed;
  readonly credentials: AlpacaCredentials | undefined;
  readonly symbols: SymbolDirectory;
  /** Most symbols per subscribe/unsubscribe message, over all channels. */
  readonly symbolsPerMessage: number;
  /** Most symbols on trades and on quotes (each), when the plan's limit is known (IEX free: 30). */
  readonly symbolLimit: number | undefined;
  /** Subscribe trading statuses (halts) for every symbol. */
  readonly statuses: boolean;
  /** Shares per quote size unit ("bid size in round lots": 100); "1" keeps the wire value. */
  readonly quoteLotShares: DecimalString;
  readonly calendar: MarketCalendar;
}

export interface AlpacaSessionStats {
  /** Data points and control messages by kind, over all frames. */
  readonly messages: Record<string, number>;
  /** Quotes whose bid was at or above the ask (locked or crossed NBBO); passed on as they are. */
  crossedQuotes: number;
  readonly errors: Record<number, number>;
}

type Phase = 'connecting' | 'authenticating' | 'authenticated' | 'refused' | 'closed';

type Outcome = readonly ['parsed' | 'ignored', string];
// Shared tuples for the per-message outcomes of the hot path, so accounting allocates nothing.
const TRADE: Outcome = ['parsed', 'trade'];
const QUOTE: Outcome = ['parsed', 'quote'];
const STATUS: Outcome = ['parsed', 'status'];
const STATUS_INFO: Outcome = ['ignored', 'status (no trading change)'];
const LATE_TRADE: Outcome = ['ignored', 'trade (unsubscribed symbol)'];
const LATE_QUOTE: Outcome = ['ignored', 'quote (unsubscribed symbol)'];
const LATE_STATUS: Outcome = ['ignored', 'status (unsubscribed symbol)'];

const BOOK_UNSUPPORTED =
  "Alpaca's stock stream has no order book: 'book' is not subscribed (quotes give the top of book: subscribe 'bbo')";
const NOT_A_STOCK = 'not an Alpaca stock symbol (expected <TICKER>-USD or a configured instrument)';

/**
 * One Alpaca stock market-data connection: the auth handshake, subscriptions and their answers,
 * frames to trade / bbo / status events, and the instrument state (halts, session). See README.md
 * for the documented rules each part follows.
 */
export class AlpacaSession implements VenueSession {
  readonly stats: AlpacaSessionStats = { messages: {}, crossedQuotes: 0, errors: {} };
  private readonly instruments: InstrumentTracker;
  private wanted: UpstreamSubscription[] = [];
  private readonly ledger: SubscriptionLedger;
  private phase: Phase = 'connecting';
  /** The state of the venue connection as last reported (symbol null). */
  private venueState: FeedState = 'connecting';
  private lastTime: EpochMicros = 0;
  private readonly reported = { bookOnly: new Set<NormalizedSymbol>(), unknown: new Set<NormalizedSymbol>() };
  private readonly quoteSizes: QuoteSizes;

  constructor(
    private readonly config: AlpacaSessionConfig,
    subscriptions: readonly UpstreamSubscription[],
    private readonly sink: SessionSink,
  ) {
    this.instruments = new InstrumentTracker(sink, config.calendar);
    this.ledger = new SubscriptionLedger(config.symbolsPerMessage, config.symbolLimit);
    this.quoteSizes = new QuoteSizes(config.quoteLotShares);
    this.addWanted(subscriptions);
  }

  /** The instrument state of a subscribed symbol (feed, trading, session), for tests and tools. */
  instrument(symbol: NormalizedSymbol): TrackedInstrument | undefined {
    return this.instruments.get(symbol);
  }

  /** What this session wants, holds and has confirmed, for tests and metrics. */
  subscriptionState(): {
    readonly wanted: readonly UpstreamSubscription[];
    readonly held: readonly string[];
    readonly confirmed: readonly string[];
    readonly pending: number;
    readonly phase: Phase;
  } {
    return { wanted: [...this.wanted], ...this.ledger.state(), phase: this.phase };
  }

  open(time: EpochMicros): void {
    this.lastTime = time;
    this.phase = 'connecting';
    this.venueStatus('connecting', `socket open to the ${this.config.feed} feed; waiting for the greeting`, time);
    for (const entry of this.instruments.all()) {
      this.instruments.setFeed(entry.symbol, 'connecting', 'waiting for authentication', time, true);
    }
    this.reportUnserved(this.currentWants(), time);
  }

  handleFrame(text: string, receiveTime: EpochMicros): void {
    this.lastTime = receiveTime;
    let accounted = false;
    try {
      const parsed = parseAlpacaFrame(text);
      if (!parsed.ok) {
        accounted = true;
        this.sink.account('rejected', parsed.reason);
        return;
      }
      accounted = this.apply(parsed.items, receiveTime);
    } catch (error) {
      // Never thrown by design; if it happens the frame is still accounted once and nothing escapes.
      if (!accounted) {
        this.sink.account('rejected', `internal error: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  handleHttp(): void {
    // The stock stream needs no REST: there is no book to snapshot.
  }

  close(time: EpochMicros, reason: string): void {
    this.phase = 'closed';
    this.ledger.clear();
    for (const entry of this.instruments.all()) {
      this.instruments.setFeed(entry.symbol, 'disconnected', reason, time, true);
    }
  }

  subscribe(subscriptions: readonly UpstreamSubscription[]): void {
    const added = this.addWanted(subscriptions);
    for (const subscription of added) {
      const entry = this.instruments.get(subscription.symbol);
      if (entry !== undefined && entry.feed !== 'live') {
        this.instruments.setFeed(entry.symbol, 'connecting', 'subscribing', this.lastTime, true);
      }
    }
    this.reportUnserved(this.currentWants(), this.lastTime);
    if (this.phase === 'authenticated') this.syncVenue(this.lastTime);
  }

  unsubscribe(subscriptions: readonly UpstreamSubscription[]): void {
    const removed = (w: UpstreamSubscription): boolean =>
      subscriptions.some((s) => s.symbol === w.symbol && s.channel === w.channel);
    this.wanted = this.wanted.filter((w) => !removed(w));
    this.retrack();
    if (this.phase === 'authenticated') this.syncVenue(this.lastTime);
  }

  /** Applies a parsed frame and accounts it; returns true (accounted). */
  private apply(items: readonly ParsedItem[], receiveTime: EpochMicros): true {
    const only = items.length === 1 ? items[0] : undefined;
    if (only !== undefined) {
      // The common frame: one data point.
      const [outcome, kind] = this.applyItem(only, receiveTime);
      this.stats.messages[kind] = (this.stats.messages[kind] ?? 0) + 1;
      this.sink.account(outcome, kind);
      return true;
    }
    const parsedKinds = new Set<string>();
    const ignoredKinds = new Set<string>();
    for (const item of items) {
      const [outcome, kind] = this.applyItem(item, receiveTime);
      (outcome === 'parsed' ? parsedKinds : ignoredKinds).add(kind);
      this.stats.messages[kind] = (this.stats.messages[kind] ?? 0) + 1;
    }
    // One outcome per frame: parsed if any data point was used, naming every kind it held.
    if (parsedKinds.size > 0) this.sink.account('parsed', [...parsedKinds].sort().join('+'));
    else if (ignoredKinds.size > 0) this.sink.account('ignored', [...ignoredKinds].sort().join('+'));
    else this.sink.account('ignored', 'empty batch');
    return true;
  }

  private applyItem(item: ParsedItem, receiveTime: EpochMicros): Outcome {
    switch (item.kind) {
      case 'trade':
        return this.trade(item, receiveTime);
      case 'quote':
        return this.quote(item, receiveTime);
      case 'status': {
        const entry = this.instruments.byVenue(item.venueSymbol);
        if (entry === undefined) return LATE_STATUS;
        this.instruments.observeTime(entry.symbol, item.time, receiveTime);
        return this.instruments.applyStatus(entry.symbol, item.status, receiveTime) ? STATUS : STATUS_INFO;
      }
      case 'ignored':
        return ['ignored', item.label];
      case 'success':
        return this.success(item.msg, receiveTime);
      case 'error':
        this.error(item.code, item.msg, receiveTime);
        return ['parsed', `error ${item.code}`];
      case 'subscription':
        this.acknowledged(item.channels, receiveTime);
        return ['parsed', 'subscription'];
    }
  }

  private trade(trade: ParsedTrade, receiveTime: EpochMicros): Outcome {
    const entry = this.instruments.byVenue(trade.venueSymbol);
    // "For a short while you may receive data points for symbols you have recently unsubscribed from."
    if (entry?.wantsTrades !== true) return LATE_TRADE;
    this.instruments.observeTime(entry.symbol, trade.time, receiveTime);
    this.sink.event(tradeEvent(trade, entry.symbol, receiveTime));
    return TRADE;
  }

  private quote(quote: ParsedQuote, receiveTime: EpochMicros): Outcome {
    const entry = this.instruments.byVenue(quote.venueSymbol);
    if (entry?.wantsQuotes !== true) return LATE_QUOTE;
    this.instruments.observeTime(entry.symbol, quote.time, receiveTime);
    const event = bboEvent(quote, entry.symbol, receiveTime, this.quoteSizes);
    if (event.bid !== null && event.ask !== null && compareDecimals(event.bid[0], event.ask[0]) >= 0) {
      this.stats.crossedQuotes++;
    }
    this.sink.event(event);
    return QUOTE;
  }

  private success(msg: string, receiveTime: EpochMicros): Outcome {
    if (msg === 'connected') {
      this.connected(receiveTime);
      return ['parsed', 'success connected'];
    }
    if (msg === 'authenticated') {
      this.authenticated(receiveTime);
      return ['parsed', 'success authenticated'];
    }
    return ['ignored', `success ${JSON.stringify(msg.slice(0, 32))}`];
  }

  /** [{"T":"success","msg":"connected"}]: authenticate now. */
  private connected(time: EpochMicros): void {
    if (this.phase !== 'connecting') return;
    const credentials = this.config.credentials;
    if (credentials === undefined) {
      this.refuse('no credentials: set APCA_API_KEY_ID and APCA_API_SECRET_KEY (adapter option credentials)', time);
      return;
    }
    this.phase = 'authenticating';
    this.sink.send(credentials.authMessage());
    this.venueStatus('connecting', `authenticating as ${credentials.redactedKeyId}`, time);
  }

  /** [{"T":"success","msg":"authenticated"}]: subscribe what is wanted. */
  private authenticated(time: EpochMicros): void {
    if (this.phase === 'refused' || this.phase === 'closed' || this.phase === 'authenticated') return;
    this.phase = 'authenticated';
    this.venueStatus('live', `authenticated on the ${this.config.feed} feed`, time);
    this.syncVenue(time);
  }

  /** [{"T":"subscription",...}]: the venue's whole current list; symbols in it are live. */
  private acknowledged(channels: Readonly<Record<AlpacaChannel, readonly string[]>>, time: EpochMicros): void {
    this.ledger.answered(channels);
    const has = (channel: AlpacaChannel, symbol: string): boolean => this.ledger.confirms(channel, symbol);
    for (const entry of this.instruments.all()) {
      if (entry.feed === 'live' || (!entry.wantsTrades && !entry.wantsQuotes)) continue;
      const trades = !entry.wantsTrades || has('trades', entry.venueSymbol);
      const quotes = !entry.wantsQuotes || has('quotes', entry.venueSymbol);
      if (!trades || !quotes) continue;
      const served = [entry.wantsTrades ? 'trades' : '', entry.wantsQuotes ? 'quotes' : ''].filter((c) => c !== '');
      if (has('statuses', entry.venueSymbol)) served.push('statuses');
      this.instruments.setFeed(entry.symbol, 'live', `subscribed: ${served.join(', ')}`, time);
    }
  }

  private error(code: number, msg: string, time: EpochMicros): void {
    this.stats.errors[code] = (this.stats.errors[code] ?? 0) + 1;
    const rule = alpacaErrorRule(code);
    const reason = alpacaErrorReason(code, msg);
    if (code === 403) return; // already authenticated: nothing to change
    if (rule.refusal) {
      this.refuse(reason, time);
      return;
    }
    if (rule.scope === 'connection') {
      this.venueStatus(rule.state, reason, time);
      return;
    }
    const request = this.ledger.refused();
    // An answer to no request of ours informs only: the connection goes on as it was.
    if (request === undefined) this.venueStatus(this.venueState, reason, time);
    else this.requestFailed(request, rule.state, reason, time);
  }

  /** A subscribe the venue refused: it kept its previous list, so only that request's symbols suffer. */
  private requestFailed(request: AlpacaRequest, state: FeedState, reason: string, time: EpochMicros): void {
    if (request.action === 'unsubscribe') {
      this.venueStatus(this.venueState, `unsubscribe refused: ${reason}`, time);
      return;
    }
    const statusesOnly = new Set<string>();
    const data = new Set<string>();
    for (const pair of request.pairs) (pair.channel === 'statuses' ? statusesOnly : data).add(pair.symbol);
    for (const venueSymbol of data) {
      const entry = this.instruments.byVenue(venueSymbol);
      if (entry !== undefined)
        this.instruments.setFeed(entry.symbol, state, `subscribe refused: ${reason}`, time, true);
    }
    for (const venueSymbol of statusesOnly) {
      const entry = this.instruments.byVenue(venueSymbol);
      if (entry === undefined || data.has(venueSymbol)) continue;
      // Data still flows; only the halt information is missing.
      this.instruments.setFeed(entry.symbol, entry.feed, `trading statuses unavailable: ${reason}`, time, true);
    }
  }

  /** The venue will not serve this connection: stop asking, report every symbol. */
  private refuse(reason: string, time: EpochMicros): void {
    this.phase = 'refused';
    this.ledger.clear();
    this.venueStatus('disconnected', reason, time);
    for (const entry of this.instruments.all()) {
      this.instruments.setFeed(entry.symbol, 'disconnected', reason, time, true);
    }
  }

  /** Sends what the connection lacks and withdraws what is no longer wanted. */
  private syncVenue(time: EpochMicros): void {
    const plan = this.ledger.sync(this.currentWants().pairs);
    for (const venueSymbol of plan.overLimit) {
      const entry = this.instruments.byVenue(venueSymbol);
      const reason = `symbol limit: the plan allows ${String(this.config.symbolLimit)} symbols on trades and on quotes`;
      if (entry !== undefined) this.instruments.setFeed(entry.symbol, 'disconnected', reason, time, true);
    }
    for (const request of plan.requests) this.sink.send(request.text);
  }

  private currentWants(): VenueWants {
    return venueWants(this.wanted, (symbol) => alpacaVenueSymbol(this.config.symbols, symbol), this.config.statuses);
  }

  /** Adds subscriptions not yet wanted; returns them. */
  private addWanted(subscriptions: readonly UpstreamSubscription[]): UpstreamSubscription[] {
    const added = subscriptions.filter(
      (s) => !this.wanted.some((w) => w.symbol === s.symbol && w.channel === s.channel),
    );
    this.wanted.push(...added);
    this.retrack();
    return added;
  }

  /** Instruments tracked = symbols with trades or bbo wanted. */
  private retrack(): void {
    const channels = new Map<NormalizedSymbol, { trades: boolean; quotes: boolean }>();
    for (const w of this.wanted) {
      if (w.channel === 'book') continue;
      const c = channels.get(w.symbol) ?? { trades: false, quotes: false };
      if (w.channel === 'trades') c.trades = true;
      else c.quotes = true;
      channels.set(w.symbol, c);
    }
    for (const entry of [...this.instruments.all()]) {
      if (!channels.has(entry.symbol)) this.instruments.untrack(entry.symbol);
    }
    for (const [symbol, c] of channels) {
      const venueSymbol = alpacaVenueSymbol(this.config.symbols, symbol);
      if (venueSymbol !== undefined) this.instruments.track(symbol, venueSymbol, c.trades, c.quotes);
    }
  }

  /** Reports, once per session, symbols this venue cannot serve (book-only, or not a stock). */
  private reportUnserved(wants: VenueWants, time: EpochMicros): void {
    for (const symbol of wants.bookOnly) {
      if (this.reported.bookOnly.has(symbol)) continue;
      this.reported.bookOnly.add(symbol);
      this.symbolStatus(symbol, 'disconnected', BOOK_UNSUPPORTED, time);
    }
    for (const symbol of wants.unknown) {
      if (this.reported.unknown.has(symbol)) continue;
      this.reported.unknown.add(symbol);
      this.symbolStatus(symbol, 'disconnected', NOT_A_STOCK, time);
    }
    // A symbol with book as well as trades or bbo is served; say once that its book is not.
    for (const w of this.wanted) {
      if (w.channel !== 'book' || wants.bookOnly.has(w.symbol) || this.reported.bookOnly.has(w.symbol)) continue;
      const entry = this.instruments.get(w.symbol);
      if (entry === undefined) continue;
      this.reported.bookOnly.add(w.symbol);
      this.symbolStatus(w.symbol, entry.feed, BOOK_UNSUPPORTED, time);
    }
  }

  private symbolStatus(symbol: NormalizedSymbol, state: FeedState, reason: string, time: EpochMicros): void {
    this.sink.event({ type: 'status', venue: 'alpaca', symbol, state, reason, receiveTime: time });
  }

  private venueStatus(state: FeedState, reason: string, time: EpochMicros): void {
    this.venueState = state;
    this.sink.event({ type: 'status', venue: 'alpaca', symbol: null, state, reason, receiveTime: time });
  }
}
