import type { EpochMicros } from '../../model/events';
import type { NormalizedSymbol } from '../../model/instrument';
import type { SymbolDirectory } from '../symbol-directory';
import type { ChannelKind, SessionSink, UpstreamSubscription, VenueSession } from '../venue-adapter';
import type { CoinbaseBookSync } from './coinbase-book-sync';
import { CoinbaseBooks } from './coinbase-books';
import { LevelCollector } from './coinbase-levels';
import { exchangeChannelOf, type ExchangeChannel, exchangeRequests, type RequestType } from './coinbase-requests';
import { productIdOf } from './coinbase-symbols';
import { bestLevel, positiveDecimal, requiredTime, takerFromMaker, UnknownProductError } from './coinbase-values';
import {
  type ExchangeL2Update,
  type ExchangeMatch,
  type ExchangeSnapshot,
  type ExchangeTicker,
  isDict,
  isHeartbeat,
  isL2Update,
  isMatch,
  isSnapshot,
  isTicker,
} from './exchange-protocol';
import { ExchangeSequences } from './exchange-sequence';
import { type FrameResult, ignored, MAX_FRAME_LENGTH, parsed, rejected, rejectionOf } from './frame-result';
import { SubscriptionSet } from './subscription-set';

export interface ExchangeSessionConfig {
  readonly symbols: SymbolDirectory;
  /** "level2" (the recorded feed; needs authentication on the live venue today) or "level2_batch". */
  readonly level2Channel: 'level2' | 'level2_batch';
  /** Subscribe the per-product heartbeat channel for every wanted product. */
  readonly heartbeats: boolean;
  readonly productsPerMessage: number;
}

/** Kinds in the order open() subscribes them: level2, ticker, matches, as the recorded session did. */
const CHANNEL_ORDER: readonly ChannelKind[] = ['book', 'bbo', 'trades'];

/** The result of the most frequent frame, made once (results are immutable). */
const L2UPDATE_APPLIED = parsed('l2update');

/** Error replies kept for diagnosis (the newest last). */
const KEPT_ERRORS = 20;

/**
 * One connection to the Coinbase Exchange feed (wss://ws-feed.exchange.coinbase.com): level2
 * books, matches and ticker, with the per-product checks the feed allows (see exchange-sequence.ts
 * and README.md).
 */
export class CoinbaseExchangeSession implements VenueSession {
  readonly sequences = new ExchangeSequences();
  /** The venue's error replies, e.g. "Failed to subscribe: GIBBERISH-USD is not a valid product". */
  readonly errors: string[] = [];
  private readonly wanted: SubscriptionSet;
  private readonly books: CoinbaseBooks;

  constructor(
    private readonly config: ExchangeSessionConfig,
    subscriptions: readonly UpstreamSubscription[],
    private readonly sink: SessionSink,
  ) {
    this.wanted = new SubscriptionSet(subscriptions);
    this.books = new CoinbaseBooks(sink);
    for (const symbol of this.wanted.symbols('book')) this.books.track(symbol);
  }

  /** Per-symbol book state, for tests and metrics. */
  bookSync(symbol: NormalizedSymbol): CoinbaseBookSync | undefined {
    return this.books.get(symbol);
  }

  wantedSubscriptions(): readonly UpstreamSubscription[] {
    return this.wanted.list();
  }

  open(time: EpochMicros): void {
    for (const kind of CHANNEL_ORDER) this.request('subscribe', kind, this.wanted.symbols(kind));
    if (this.config.heartbeats) this.requestChannel('subscribe', 'heartbeat', this.wanted.allSymbols());
    this.books.announce('connecting', 'subscribed; waiting for the level2 snapshot', time);
  }

  subscribe(subscriptions: readonly UpstreamSubscription[]): void {
    const before = new Set(this.wanted.allSymbols());
    const added = this.wanted.add(subscriptions);
    for (const kind of CHANNEL_ORDER) {
      const symbols = added.filter((s) => s.channel === kind).map((s) => s.symbol);
      if (kind === 'book') for (const symbol of symbols) this.books.track(symbol);
      this.request('subscribe', kind, symbols);
    }
    if (this.config.heartbeats) {
      this.requestChannel(
        'subscribe',
        'heartbeat',
        this.wanted.allSymbols().filter((symbol) => !before.has(symbol)),
      );
    }
  }

  unsubscribe(subscriptions: readonly UpstreamSubscription[]): void {
    const removed = this.wanted.remove(subscriptions);
    const remaining = new Set(this.wanted.allSymbols());
    for (const kind of CHANNEL_ORDER) {
      const symbols = removed.filter((s) => s.channel === kind).map((s) => s.symbol);
      if (kind === 'book') for (const symbol of symbols) this.books.untrack(symbol);
      this.request('unsubscribe', kind, symbols);
    }
    if (this.config.heartbeats) {
      const gone = [...new Set(removed.map((s) => s.symbol))].filter((symbol) => !remaining.has(symbol));
      this.requestChannel('unsubscribe', 'heartbeat', gone);
    }
  }

  close(time: EpochMicros, reason: string): void {
    this.books.resetAll();
    this.books.announce('disconnected', reason, time);
  }

  handleHttp(): void {
    // The Exchange feed needs no REST: every level2 subscription starts with its own snapshot.
  }

  handleFrame(text: string, receiveTime: EpochMicros): void {
    let result: FrameResult;
    try {
      result = this.handle(text, receiveTime);
      this.sendResyncs();
    } catch (error) {
      // Only a failing sink (event or send) gets here: the frame is reported, never thrown.
      result = rejectionOf('frame', error);
    }
    this.sink.account(result.outcome, result.kind);
  }

  private handle(text: string, receiveTime: EpochMicros): FrameResult {
    if (text.length > MAX_FRAME_LENGTH) return rejected('frame too large');
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      return rejected('not JSON');
    }
    if (!isDict(frame)) return rejected('not a JSON object');
    const type = frame['type'];
    if (typeof type !== 'string') return rejected('no "type"');
    let result: FrameResult;
    try {
      result = this.dispatch(type, frame, receiveTime);
    } catch (error) {
      result = rejectionOf(type, error);
    }
    if (result.outcome === 'rejected') this.resyncAfterBadLevel2(type, frame, result.kind, receiveTime);
    return result;
  }

  private dispatch(type: string, data: Record<string, unknown>, receiveTime: EpochMicros): FrameResult {
    switch (type) {
      case 'l2update':
        return isL2Update(data) ? this.l2update(data, receiveTime) : rejected('l2update: malformed');
      case 'snapshot':
        return isSnapshot(data) ? this.snapshot(data, receiveTime) : rejected('snapshot: malformed');
      case 'match':
      case 'last_match':
        return isMatch(data) ? this.match(data, receiveTime) : rejected(`${type}: malformed`);
      case 'ticker':
        return isTicker(data) ? this.ticker(data, receiveTime) : rejected('ticker: malformed');
      case 'heartbeat':
        if (!isHeartbeat(data)) return rejected('heartbeat: malformed');
        this.symbolOf(data.product_id);
        requiredTime(data.time, 'time');
        return this.sequences.heartbeat(data.product_id, data.sequence) === 'new'
          ? parsed('heartbeat')
          : ignored('heartbeat with an older sequence');
      case 'subscriptions':
        return ignored('subscriptions');
      case 'error':
        this.keepError(data);
        return ignored('error reply');
      default:
        // "New message types can be added at any time. Clients are expected to ignore messages
        // they do not support."
        return ignored('unsupported message type');
    }
  }

  private snapshot(snapshot: ExchangeSnapshot, receiveTime: EpochMicros): FrameResult {
    const sync = this.books.get(this.symbolOf(snapshot.product_id));
    if (sync === undefined) return ignored('snapshot of a product without a book subscription');
    const levels = new LevelCollector();
    for (const [price, size] of snapshot.bids) levels.add('bid', price, size);
    for (const [price, size] of snapshot.asks) levels.add('ask', price, size);
    const outcome = sync.snapshot(levels.bids, levels.asks, {
      sequence: null,
      venueTime: null,
      receiveTime,
      label: 'level2',
    });
    return parsed(outcome === 'synced' ? 'snapshot' : 'snapshot crossed');
  }

  private l2update(update: ExchangeL2Update, receiveTime: EpochMicros): FrameResult {
    const sync = this.books.get(this.symbolOf(update.product_id));
    if (sync === undefined) return ignored('l2update of a product without a book subscription');
    const venueTime = requiredTime(update.time, 'time');
    const levels = new LevelCollector();
    for (const [side, price, size] of update.changes) levels.add(side === 'buy' ? 'bid' : 'ask', price, size);
    const outcome = sync.delta(levels.bids, levels.asks, {
      sequence: null,
      venueTime,
      receiveTime,
      label: `l2update at ${update.time}`,
    });
    switch (outcome) {
      case 'applied':
        return L2UPDATE_APPLIED;
      case 'crossed':
        return parsed('l2update crossed');
      case 'not live':
        return ignored('l2update while awaiting the snapshot');
    }
  }

  private match(match: ExchangeMatch, receiveTime: EpochMicros): FrameResult {
    const symbol = this.symbolOf(match.product_id);
    const price = positiveDecimal(match.price);
    const size = positiveDecimal(match.size);
    const venueTime = requiredTime(match.time, 'time');
    const verdict = this.sequences.match(match.product_id, match.sequence, match.trade_id);
    if (verdict.ordering === 'old') return ignored(`${match.type} with an older sequence or trade_id`);
    // last_match is the product's trade from before the subscription: it seeds the trade_id check
    // but is not a new trade (each reconnect would replay it into candles otherwise).
    if (match.type === 'last_match') return parsed('last_match');
    this.sink.event({
      type: 'trade',
      venue: 'coinbase',
      symbol,
      receiveTime,
      tradeId: String(match.trade_id),
      // "The side field indicates the maker order side."
      side: takerFromMaker(match.side),
      price,
      size,
      venueTime,
    });
    return parsed(verdict.missed > 0 ? 'match after a trade_id gap' : 'match');
  }

  private ticker(ticker: ExchangeTicker, receiveTime: EpochMicros): FrameResult {
    const symbol = this.symbolOf(ticker.product_id);
    const venueTime = ticker.time === undefined ? null : requiredTime(ticker.time, 'time');
    if (ticker.price !== undefined) positiveDecimal(ticker.price);
    if (this.sequences.ticker(ticker.product_id, ticker.sequence) === 'old') {
      return ignored('ticker with an older sequence');
    }
    // Tickers recorded before the venue added best_bid_size/best_ask_size give prices only, and a
    // BBO event needs sizes: such a ticker still orders the sequence but emits nothing.
    if (ticker.best_bid_size === undefined || ticker.best_ask_size === undefined) {
      positiveDecimal(ticker.best_bid);
      positiveDecimal(ticker.best_ask);
      return ignored('ticker without best sizes');
    }
    this.sink.event({
      type: 'bbo',
      venue: 'coinbase',
      symbol,
      receiveTime,
      bid: bestLevel(ticker.best_bid, ticker.best_bid_size),
      ask: bestLevel(ticker.best_ask, ticker.best_ask_size),
      venueTime,
    });
    return parsed('ticker');
  }

  /** The normalized symbol of a product id; a product of no known shape rejects the frame. */
  private symbolOf(productId: string): NormalizedSymbol {
    const symbol = this.config.symbols.symbolOf(productId);
    if (symbol === undefined) throw new UnknownProductError(productId);
    return symbol;
  }

  /**
   * A level2 frame of a tracked product that cannot be applied means the book missed data (an
   * l2update of a live book) or never got it (a snapshot): resync that product.
   */
  private resyncAfterBadLevel2(type: string, data: Record<string, unknown>, why: string, time: EpochMicros): void {
    if (type !== 'l2update' && type !== 'snapshot') return;
    const productId = data['product_id'];
    const symbol = typeof productId === 'string' ? this.config.symbols.symbolOf(productId) : undefined;
    const sync = symbol === undefined ? undefined : this.books.get(symbol);
    if (sync === undefined || (type === 'l2update' && !sync.isLive)) return;
    sync.resync(`rejected ${why}`, time);
  }

  private keepError(data: Record<string, unknown>): void {
    const message = typeof data['message'] === 'string' ? data['message'] : 'error';
    const reason = typeof data['reason'] === 'string' ? `: ${data['reason']}` : '';
    this.errors.push(`${message}${reason}`.slice(0, 300));
    if (this.errors.length > KEPT_ERRORS) this.errors.shift();
  }

  /** Resubscribes level2 for the products whose book resynced while the frame was handled. */
  private sendResyncs(): void {
    const symbols = this.books.takeResyncs();
    if (symbols.length === 0) return;
    this.request('unsubscribe', 'book', symbols);
    this.request('subscribe', 'book', symbols);
  }

  private request(type: RequestType, kind: ChannelKind, symbols: readonly NormalizedSymbol[]): void {
    this.requestChannel(type, exchangeChannelOf(kind, this.config.level2Channel), symbols);
  }

  private requestChannel(type: RequestType, channel: ExchangeChannel, symbols: readonly NormalizedSymbol[]): void {
    const productIds = symbols.map((symbol) => productIdOf(this.config.symbols, symbol));
    for (const message of exchangeRequests(type, channel, productIds, this.config.productsPerMessage)) {
      this.sink.send(message);
    }
  }
}
