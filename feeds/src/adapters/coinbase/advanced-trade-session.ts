import type { DecimalString } from '../../decimal';
import type { EpochMicros, PriceLevel, TakerSide } from '../../model/events';
import type { NormalizedSymbol } from '../../model/instrument';
import type { SymbolDirectory } from '../symbol-directory';
import type { ChannelKind, SessionSink, UpstreamSubscription, VenueSession } from '../venue-adapter';
import type { CoinbaseBookSync } from './coinbase-book-sync';
import { CoinbaseBooks } from './coinbase-books';
import { LevelCollector } from './coinbase-levels';
import {
  advancedTradeChannelOf,
  advancedTradeHeartbeatsRequest,
  advancedTradeRequests,
  type RequestType,
} from './coinbase-requests';
import { productIdOf } from './coinbase-symbols';
import { bestLevel, positiveDecimal, requiredTime, takerFromMaker, UnknownProductError } from './coinbase-values';
import {
  type AdvancedTradeEnvelope,
  heartbeatCounter,
  isDict,
  isEnvelope,
  isHeartbeatEvent,
  isL2Event,
  isMarketTradesEvent,
  isTickerEvent,
  type L2Event,
  type MarketTrade,
} from './advanced-trade-protocol';
import { ConnectionSequence, HeartbeatCounter } from './advanced-trade-sequence';
import { type FrameResult, ignored, MAX_FRAME_LENGTH, parsed, rejected, rejectionOf } from './frame-result';
import { SubscriptionSet } from './subscription-set';
import { TradeIdFilter } from './trade-id-filter';

export interface AdvancedTradeSessionConfig {
  readonly symbols: SymbolDirectory;
  readonly productsPerMessage: number;
  /**
   * What market_trades `side` names. Coinbase's channel docs do not say; the Exchange feed's
   * matches name the maker, and so does Advanced Trade in peer adapters: default "maker".
   */
  readonly marketTradesSide: 'maker' | 'taker';
}

/** Kinds in the order open() subscribes them. */
const CHANNEL_ORDER: readonly ChannelKind[] = ['book', 'bbo', 'trades'];

const KEPT_ERRORS = 20;

/** The result of the most frequent frame, made once (results are immutable). */
const L2_UPDATE_APPLIED = parsed('l2_data update');

interface L2Parsed {
  readonly event: L2Event;
  readonly sync: CoinbaseBookSync | undefined;
  readonly bids: readonly PriceLevel[];
  readonly asks: readonly PriceLevel[];
}

/**
 * One connection to Coinbase Advanced Trade market data (wss://advanced-trade-ws.coinbase.com):
 * level2 books, market_trades, ticker, heartbeats, with the connection-wide sequence_num check
 * (see advanced-trade-sequence.ts and README.md).
 */
export class CoinbaseAdvancedTradeSession implements VenueSession {
  readonly sequence = new ConnectionSequence();
  readonly heartbeats = new HeartbeatCounter();
  readonly trades = new TradeIdFilter();
  readonly errors: string[] = [];
  private readonly wanted: SubscriptionSet;
  private readonly books: CoinbaseBooks;

  constructor(
    private readonly config: AdvancedTradeSessionConfig,
    subscriptions: readonly UpstreamSubscription[],
    private readonly sink: SessionSink,
  ) {
    this.wanted = new SubscriptionSet(subscriptions);
    this.books = new CoinbaseBooks(sink);
    for (const symbol of this.wanted.symbols('book')) this.books.track(symbol);
  }

  bookSync(symbol: NormalizedSymbol): CoinbaseBookSync | undefined {
    return this.books.get(symbol);
  }

  wantedSubscriptions(): readonly UpstreamSubscription[] {
    return this.wanted.list();
  }

  open(time: EpochMicros): void {
    // "Subscribe to heartbeats to keep all subscriptions open" (channels close after 60-90 s of silence).
    if (this.wanted.size > 0) this.sink.send(advancedTradeHeartbeatsRequest('subscribe'));
    for (const kind of CHANNEL_ORDER) this.request('subscribe', kind, this.wanted.symbols(kind));
    this.books.announce('connecting', 'subscribed; waiting for the level2 snapshot', time);
  }

  subscribe(subscriptions: readonly UpstreamSubscription[]): void {
    const wasEmpty = this.wanted.size === 0;
    const added = this.wanted.add(subscriptions);
    if (added.length === 0) return;
    if (wasEmpty) this.sink.send(advancedTradeHeartbeatsRequest('subscribe'));
    for (const kind of CHANNEL_ORDER) {
      const symbols = added.filter((s) => s.channel === kind).map((s) => s.symbol);
      if (kind === 'book') for (const symbol of symbols) this.books.track(symbol);
      this.request('subscribe', kind, symbols);
    }
  }

  unsubscribe(subscriptions: readonly UpstreamSubscription[]): void {
    const removed = this.wanted.remove(subscriptions);
    if (removed.length === 0) return;
    for (const kind of CHANNEL_ORDER) {
      const symbols = removed.filter((s) => s.channel === kind).map((s) => s.symbol);
      if (kind === 'book') for (const symbol of symbols) this.books.untrack(symbol);
      this.request('unsubscribe', kind, symbols);
    }
    if (this.wanted.size === 0) this.sink.send(advancedTradeHeartbeatsRequest('unsubscribe'));
  }

  close(time: EpochMicros, reason: string): void {
    this.books.resetAll();
    this.books.announce('disconnected', reason, time);
  }

  handleHttp(): void {
    // Level2 snapshots come over the socket: this session makes no REST requests.
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
    if (frame['type'] === 'error') {
      this.keepError(frame);
      return ignored('error reply');
    }
    if (!isEnvelope(frame)) return rejected('malformed envelope');
    // The number counts even when the rest of the message turns out unusable.
    const verdict = this.sequence.next(frame.sequence_num);
    if (verdict.kind === 'stale') return ignored('sequence_num not above the last one');
    if (verdict.kind === 'gap') {
      // The lost messages may have carried any product's level2 update (or snapshot): every book
      // of this connection is suspect, and each resyncs on its own.
      const reason =
        `sequence_num gap: ${verdict.last} -> ${frame.sequence_num} (${verdict.missed} message(s) lost; ` +
        'the counter spans every channel and product of the connection)';
      for (const sync of this.books.all()) sync.resync(reason, receiveTime);
    }
    let result: FrameResult;
    try {
      result = this.dispatch(frame, requiredTime(frame.timestamp, 'timestamp'), receiveTime);
    } catch (error) {
      result = rejectionOf(frame.channel, error);
    }
    if (result.outcome === 'rejected' && frame.channel === 'l2_data') {
      this.resyncAfterBadLevel2(frame.events, result.kind, receiveTime);
    }
    return result;
  }

  private dispatch(
    frame: Record<string, unknown> & AdvancedTradeEnvelope,
    venueTime: EpochMicros,
    receiveTime: EpochMicros,
  ): FrameResult {
    switch (frame.channel) {
      case 'l2_data':
        return this.level2(frame, venueTime, receiveTime);
      case 'market_trades':
        return this.marketTrades(frame.events, receiveTime);
      case 'ticker':
      case 'ticker_batch':
        return this.tickers(frame, venueTime, receiveTime);
      case 'heartbeats':
        return this.heartbeat(frame.events, receiveTime);
      case 'subscriptions':
        return ignored('subscriptions');
      default:
        // "New message types can be added at any time. Clients are expected to ignore messages
        // they do not support."
        return ignored('unsupported channel');
    }
  }

  private level2(frame: AdvancedTradeEnvelope, venueTime: EpochMicros, receiveTime: EpochMicros): FrameResult {
    if (!frame.events.every(isL2Event)) return rejected('l2_data: malformed event');
    // Everything is validated before any book changes, so a bad level rejects the whole frame.
    const events: L2Parsed[] = frame.events.map((event) => {
      const sync = this.books.get(this.symbolOf(event.product_id));
      const levels = new LevelCollector();
      if (sync !== undefined) {
        for (const update of event.updates) {
          requiredTime(update.event_time, 'event_time');
          levels.add(update.side === 'bid' ? 'bid' : 'ask', update.price_level, update.new_quantity);
        }
      }
      return { event, sync, bids: levels.bids, asks: levels.asks };
    });
    const seen = new Set<string>();
    for (const { event, sync, bids, asks } of events) {
      if (sync === undefined) {
        seen.add('untracked');
        continue;
      }
      const context = {
        sequence: frame.sequence_num,
        venueTime,
        receiveTime,
        label: `l2_data ${event.type} (sequence_num ${frame.sequence_num})`,
      };
      if (event.type === 'snapshot') {
        seen.add(sync.snapshot(bids, asks, context) === 'synced' ? 'snapshot' : 'crossed');
      } else {
        const outcome = sync.delta(bids, asks, context);
        seen.add(outcome === 'applied' ? 'update' : outcome);
      }
    }
    if (seen.has('crossed')) return parsed('l2_data crossed');
    if (seen.has('snapshot')) return parsed('l2_data snapshot');
    if (seen.has('update')) return L2_UPDATE_APPLIED;
    if (seen.has('not live')) return ignored('l2_data while awaiting the snapshot');
    return ignored(events.length === 0 ? 'l2_data without events' : 'l2_data of a product without a book');
  }

  private marketTrades(events: unknown[], receiveTime: EpochMicros): FrameResult {
    if (!events.every(isMarketTradesEvent)) return rejected('market_trades: malformed event');
    // Validated first (a bad trade rejects the frame before any trade is emitted), then in id order.
    const valid = events.flatMap((event) =>
      event.trades.map((trade) => ({ event: event.type, trade, ...this.tradeValues(trade) })),
    );
    let emitted = 0;
    let snapshots = 0;
    for (const { event, trade, symbol, price, size, venueTime } of TradeIdFilter.ordered(
      valid,
      (item) => item.trade.trade_id,
    )) {
      if (event === 'snapshot') {
        // Recent trades from before the subscription: they seed the duplicate filter only.
        this.trades.seed(trade.product_id, trade.trade_id);
        snapshots++;
        continue;
      }
      if (!this.trades.accept(trade.product_id, trade.trade_id)) continue;
      this.sink.event({
        type: 'trade',
        venue: 'coinbase',
        symbol,
        receiveTime,
        tradeId: trade.trade_id,
        side: this.takerSide(trade.side),
        price,
        size,
        venueTime,
      });
      emitted++;
    }
    if (emitted > 0) return parsed('market_trades update');
    if (snapshots > 0) return parsed('market_trades snapshot');
    return ignored(valid.length === 0 ? 'market_trades without trades' : 'market_trades already seen');
  }

  private tradeValues(trade: MarketTrade): {
    symbol: NormalizedSymbol;
    price: DecimalString;
    size: DecimalString;
    venueTime: EpochMicros;
  } {
    return {
      symbol: this.symbolOf(trade.product_id),
      price: positiveDecimal(trade.price),
      size: positiveDecimal(trade.size),
      venueTime: requiredTime(trade.time, 'time'),
    };
  }

  /** The normalized symbol of a product id; a product of no known shape rejects the frame. */
  private symbolOf(productId: string): NormalizedSymbol {
    const symbol = this.config.symbols.symbolOf(productId);
    if (symbol === undefined) throw new UnknownProductError(productId);
    return symbol;
  }

  private takerSide(side: 'BUY' | 'SELL'): TakerSide {
    const named = side === 'BUY' ? 'buy' : 'sell';
    return this.config.marketTradesSide === 'maker' ? takerFromMaker(named) : named;
  }

  private tickers(frame: AdvancedTradeEnvelope, venueTime: EpochMicros, receiveTime: EpochMicros): FrameResult {
    if (!frame.events.every(isTickerEvent)) return rejected(`${frame.channel}: malformed event`);
    const events = frame.events.flatMap((event) =>
      event.tickers.map((ticker) => {
        const symbol = this.symbolOf(ticker.product_id);
        if (ticker.price !== undefined) positiveDecimal(ticker.price);
        const { best_bid: bid, best_bid_quantity: bidSize, best_ask: ask, best_ask_quantity: askSize } = ticker;
        if (bid === undefined || bidSize === undefined || ask === undefined || askSize === undefined) return undefined;
        return { symbol, bid: bestLevel(bid, bidSize), ask: bestLevel(ask, askSize) };
      }),
    );
    let emitted = 0;
    for (const bbo of events) {
      if (bbo === undefined) continue;
      this.sink.event({ type: 'bbo', venue: 'coinbase', receiveTime, venueTime, ...bbo });
      emitted++;
    }
    return emitted > 0 ? parsed(frame.channel) : ignored(`${frame.channel} without best prices and sizes`);
  }

  private heartbeat(events: unknown[], receiveTime: EpochMicros): FrameResult {
    if (!events.every(isHeartbeatEvent)) return rejected('heartbeats: malformed event');
    for (const event of events) {
      const counter = heartbeatCounter(event.heartbeat_counter) ?? 0;
      const missed = this.heartbeats.next(counter);
      if (missed > 0) {
        this.sink.event({
          type: 'status',
          venue: 'coinbase',
          symbol: null,
          state: 'live',
          reason: `heartbeat_counter gap: ${counter - missed - 1} -> ${counter} (${missed} heartbeat(s) missed)`,
          receiveTime,
        });
      }
    }
    return parsed('heartbeats');
  }

  /**
   * A rejected l2_data frame lost updates for the books it names: resync those. When an event
   * names no product at all, the loss cannot be placed and every book resyncs.
   */
  private resyncAfterBadLevel2(events: unknown[], why: string, time: EpochMicros): void {
    const reason = `rejected ${why}`;
    const named = new Set<CoinbaseBookSync>();
    for (const event of events) {
      const productId = isDict(event) ? event['product_id'] : undefined;
      if (typeof productId !== 'string') {
        for (const sync of this.books.all()) sync.resync(reason, time);
        return;
      }
      const symbol = this.config.symbols.symbolOf(productId);
      const sync = symbol === undefined ? undefined : this.books.get(symbol);
      if (sync !== undefined) named.add(sync);
    }
    for (const sync of named) sync.resync(reason, time);
  }

  private keepError(data: Record<string, unknown>): void {
    const message = typeof data['message'] === 'string' ? data['message'] : 'error';
    this.errors.push(message.slice(0, 300));
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
    const productIds = symbols.map((symbol) => productIdOf(this.config.symbols, symbol));
    const channel = advancedTradeChannelOf(kind);
    for (const message of advancedTradeRequests(type, channel, productIds, this.config.productsPerMessage)) {
      this.sink.send(message);
    }
  }
}
