import { DecimalFormatError, isZeroDecimal, toDecimal } from '../../decimal';
import type { EpochMicros, PriceLevel, TradeEvent } from '../../model/events';
import type { NormalizedSymbol } from '../../model/instrument';
import { millisToMicros } from '../../model/time';
import type { SessionSink, UpstreamSubscription, VenueSession } from '../venue-adapter';
import { OkxBookSync, UnreadableBookFrame } from './okx-book-sync';
import {
  type Dict,
  isArg,
  isBooksPush,
  isDataOf,
  isDict,
  isEvent,
  isTicker,
  isTrade,
  type OkxArg,
  type OkxBookData,
  type OkxTicker,
  type OkxTrade,
  restBookOf,
} from './okx-protocol';
import { buildRequests, OkxRequestBudget, type OkxOp } from './okx-requests';
import { okxChannelOf } from './okx-symbols';

export interface OkxSessionConfig {
  /** REST base for order book snapshots, e.g. https://www.okx.com. */
  readonly restBase: string;
  /** The instId a normalized symbol means on this adapter (BTC-USDT, UNI-USD-SWAP, ...). */
  readonly instIdOf: (symbol: NormalizedSymbol) => string;
  readonly maxRequestBytes: number;
  readonly requestsPerHour: number;
  /** Requests kept for the consumer's own changes; below it a resync asks for a new connection. */
  readonly requestReserve: number;
}

/** What one instId of this connection carries. The session routes every push by its instId. */
interface Route {
  readonly instId: string;
  readonly symbol: NormalizedSymbol;
  trades: boolean;
  bbo: boolean;
  book: OkxBookSync | undefined;
}

/** OKX's notice before it restarts a WebSocket service ("Please reconnect"). */
const NOTICE_SERVICE_UPGRADE = '64008';

/**
 * One OKX v5 public connection: subscriptions (batched, counted against 480 requests per hour),
 * pushes parsed to normalized events, and per-instrument book sync. README.md quotes the rules.
 */
export class OkxSession implements VenueSession {
  private readonly routes = new Map<string, Route>();
  private wanted: UpstreamSubscription[] = [];
  private readonly budget: OkxRequestBudget;
  /** Latest time the manager told us (open, frame receive): the request budget's clock. */
  private now: EpochMicros = 0;
  private replacementAsked = false;
  /** The venue's last error replies, newest last, for logs and tests. */
  readonly errors: string[] = [];

  constructor(
    private readonly config: OkxSessionConfig,
    subscriptions: readonly UpstreamSubscription[],
    private readonly sink: SessionSink,
  ) {
    this.budget = new OkxRequestBudget(config.requestsPerHour);
    this.add(subscriptions);
  }

  /** Book sync state of an instId (BTC-USDT, UNI-USD-SWAP), for tests and metrics. */
  bookSync(instId: string): OkxBookSync | undefined {
    return this.routes.get(instId)?.book;
  }

  /** The subscriptions this connection should carry now. */
  wantedSubscriptions(): readonly UpstreamSubscription[] {
    return this.wanted;
  }

  open(time: EpochMicros): void {
    this.tick(time);
    this.send('subscribe', this.wanted);
    for (const route of this.routes.values()) {
      if (route.book === undefined) continue;
      route.book.reset();
      this.status(route.symbol, 'connecting', `subscribed to books ${route.instId}; waiting for the snapshot`, time);
    }
  }

  subscribe(subscriptions: readonly UpstreamSubscription[]): void {
    this.send('subscribe', this.add(subscriptions));
  }

  unsubscribe(subscriptions: readonly UpstreamSubscription[]): void {
    const removed = this.wanted.filter((w) =>
      subscriptions.some((s) => s.symbol === w.symbol && s.channel === w.channel),
    );
    if (removed.length === 0) return;
    this.wanted = this.wanted.filter((w) => !removed.includes(w));
    for (const subscription of removed) {
      const instId = this.config.instIdOf(subscription.symbol);
      const route = this.routes.get(instId);
      if (route === undefined) continue;
      if (subscription.channel === 'book') route.book = undefined;
      else if (subscription.channel === 'trades') route.trades = false;
      else route.bbo = false;
      if (route.book === undefined && !route.trades && !route.bbo) this.routes.delete(instId);
    }
    this.send('unsubscribe', removed);
  }

  close(time: EpochMicros, reason: string): void {
    for (const route of this.routes.values()) {
      if (route.book === undefined) continue;
      route.book.reset();
      this.status(route.symbol, 'disconnected', reason, time);
    }
  }

  handleFrame(text: string, receiveTime: EpochMicros): void {
    this.tick(receiveTime);
    // The answer to the manager's text "ping" (HeartbeatPolicy.clientPing).
    if (text === 'pong') return this.sink.account('ignored', 'pong');
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      return this.sink.account('rejected', 'not JSON');
    }
    if (!isDict(frame)) return this.sink.account('rejected', 'not a JSON object');
    try {
      this.dispatch(frame, receiveTime);
    } catch (error) {
      if (error instanceof UnreadableBookFrame || error instanceof DecimalFormatError) {
        return this.sink.account('rejected', error.message);
      }
      throw error;
    }
  }

  handleHttp(url: string, status: number, body: string, receiveTime: EpochMicros): void {
    this.tick(receiveTime);
    if (!url.includes('/api/v5/market/books')) return;
    const instId = /[?&]instId=([^&]+)/.exec(url)?.[1];
    const sync = instId === undefined ? undefined : this.routes.get(decodeURIComponent(instId))?.book;
    if (sync === undefined) return;
    let parsed: unknown;
    try {
      parsed = status === 200 ? JSON.parse(body) : undefined;
    } catch {
      parsed = undefined;
    }
    sync.restSnapshot(restBookOf(parsed), `HTTP ${status}: ${body.slice(0, 200)}`, receiveTime);
  }

  private dispatch(frame: Dict, receiveTime: EpochMicros): void {
    if (frame['event'] !== undefined) {
      if (!isEvent(frame)) return this.sink.account('rejected', 'malformed event');
      return this.onEvent(frame.event, frame.arg, frame.code, frame.msg);
    }
    const arg = frame['arg'];
    if (!isArg(arg)) return this.sink.account('rejected', 'push without arg.channel/arg.instId');
    switch (arg.channel) {
      case 'books':
        if (!isBooksPush(frame)) return this.sink.account('rejected', 'books: malformed');
        return this.onBooks(arg.instId, frame.action, frame.data[0], receiveTime);
      case 'trades':
        if (!isDataOf(frame['data'], isTrade)) return this.sink.account('rejected', 'trades: malformed');
        return this.onTrades(arg, frame['data'], receiveTime);
      case 'tickers':
        if (!isDataOf(frame['data'], isTicker)) return this.sink.account('rejected', 'tickers: malformed');
        return this.onTickers(arg, frame['data'], receiveTime);
      default:
        // Never subscribed by this session: a push of another channel means a confused upstream.
        return this.sink.account('rejected', 'push of a channel this session does not subscribe');
    }
  }

  private onEvent(event: string, arg: OkxArg | undefined, code: string | undefined, msg: string | undefined): void {
    switch (event) {
      case 'subscribe':
        // Acks repeat when a channel is subscribed again (the recording has 2-3 per channel).
        if (arg?.channel === 'books') this.routes.get(arg.instId)?.book?.acked();
        return this.sink.account('ignored', 'subscribe ack');
      case 'unsubscribe':
        return this.sink.account('ignored', 'unsubscribe ack');
      case 'error':
        this.errors.push(`${code ?? '?'} ${msg ?? ''}`.slice(0, 300));
        if (this.errors.length > 20) this.errors.shift();
        return this.sink.account('ignored', 'error reply');
      case 'notice':
        if (code !== NOTICE_SERVICE_UPGRADE) return this.sink.account('ignored', 'notice');
        this.sink.replaceConnection(`OKX notice ${code}: ${msg ?? 'service upgrade'}`);
        return this.sink.account('parsed', 'notice');
      default:
        // channel-conn-count and any event added later: no market data in them.
        return this.sink.account('ignored', 'other event');
    }
  }

  private onBooks(instId: string, action: 'snapshot' | 'update', data: OkxBookData, receiveTime: EpochMicros): void {
    const sync = this.routes.get(instId)?.book;
    if (sync === undefined) return this.sink.account('ignored', `books ${action} of an unsubscribed instId`);
    const outcome = sync.push(action, data, receiveTime);
    const ignored = outcome === 'heartbeat' || outcome === 'stale' || outcome.startsWith('before');
    this.sink.account(ignored ? 'ignored' : 'parsed', `books ${action} ${outcome}`);
  }

  private onTrades(arg: OkxArg, trades: readonly OkxTrade[], receiveTime: EpochMicros): void {
    const route = this.routes.get(arg.instId);
    if (route?.trades !== true) return this.sink.account('ignored', 'trades of an unsubscribed instId');
    if (trades.some((trade) => trade.instId !== arg.instId)) {
      return this.sink.account('rejected', 'trades: instId differs from arg.instId');
    }
    // Every trade is converted before any is emitted, so a bad one rejects the frame as a whole.
    const events = trades.map((trade): TradeEvent => ({
      type: 'trade',
      venue: 'okx',
      symbol: route.symbol,
      receiveTime,
      tradeId: trade.tradeId,
      // OKX: "side: Trade side of taker".
      side: trade.side,
      price: toDecimal(trade.px),
      size: toDecimal(trade.sz),
      venueTime: millisToMicros(Number(trade.ts)),
    }));
    for (const event of events) this.sink.event(event);
    this.sink.account('parsed', 'trades');
  }

  private onTickers(arg: OkxArg, tickers: readonly OkxTicker[], receiveTime: EpochMicros): void {
    const route = this.routes.get(arg.instId);
    if (route?.bbo !== true) return this.sink.account('ignored', 'tickers of an unsubscribed instId');
    const events = tickers.map((ticker) => ({
      bid: quote(ticker.bidPx, ticker.bidSz),
      ask: quote(ticker.askPx, ticker.askSz),
      venueTime: millisToMicros(Number(ticker.ts)),
    }));
    for (const { bid, ask, venueTime } of events) {
      this.sink.event({ type: 'bbo', venue: 'okx', symbol: route.symbol, receiveTime, bid, ask, venueTime });
    }
    this.sink.account('parsed', 'tickers');
  }

  /** Adds new subscriptions to the wanted set and the routes; returns those that were new. */
  private add(subscriptions: readonly UpstreamSubscription[]): UpstreamSubscription[] {
    const added: UpstreamSubscription[] = [];
    for (const subscription of subscriptions) {
      if (this.wanted.some((w) => w.symbol === subscription.symbol && w.channel === subscription.channel)) continue;
      if (added.some((a) => a.symbol === subscription.symbol && a.channel === subscription.channel)) continue;
      added.push(subscription);
      const instId = this.config.instIdOf(subscription.symbol);
      let route = this.routes.get(instId);
      if (route === undefined) {
        route = { instId, symbol: subscription.symbol, trades: false, bbo: false, book: undefined };
        this.routes.set(instId, route);
      }
      if (subscription.channel === 'trades') route.trades = true;
      else if (subscription.channel === 'bbo') route.bbo = true;
      else route.book ??= this.createBook(instId, subscription.symbol);
    }
    this.wanted.push(...added);
    return added;
  }

  private createBook(instId: string, symbol: NormalizedSymbol): OkxBookSync {
    return new OkxBookSync(instId, symbol, this.sink, {
      resubscribe: () => {
        this.resubscribeBook(instId);
      },
      requestSnapshot: () => {
        this.sink.request({
          url: `${this.config.restBase}/api/v5/market/books?instId=${encodeURIComponent(instId)}&sz=400`,
          purpose: `order book snapshot ${instId}`,
        });
      },
    });
  }

  /** A resync: unsubscribe and subscribe the instrument's `books` again, which restarts its stream. */
  private resubscribeBook(instId: string): void {
    if (this.budget.remaining(this.now) < 2 + this.config.requestReserve) {
      // A new connection starts with a fresh budget and subscribes every book anew.
      return this.askForReplacement();
    }
    const args = [{ channel: 'books', instId }];
    this.sendArgs('unsubscribe', args);
    this.sendArgs('subscribe', args);
  }

  private send(op: OkxOp, subscriptions: readonly UpstreamSubscription[]): void {
    this.sendArgs(
      op,
      subscriptions.map((s) => ({ channel: okxChannelOf(s.channel), instId: this.config.instIdOf(s.symbol) })),
    );
    if (this.budget.remaining(this.now) < this.config.requestReserve) this.askForReplacement();
  }

  private sendArgs(op: OkxOp, args: readonly OkxArg[]): void {
    const messages = buildRequests(op, args, this.config.maxRequestBytes);
    for (const message of messages) this.sink.send(message);
    this.budget.record(this.now, messages.length);
  }

  private askForReplacement(): void {
    if (this.replacementAsked) return;
    this.replacementAsked = true;
    this.sink.replaceConnection(
      `OKX allows ${this.config.requestsPerHour} subscribe/unsubscribe requests per connection per hour; this one has used nearly all`,
    );
  }

  private tick(time: EpochMicros): void {
    if (time > this.now) this.now = time;
  }

  private status(
    symbol: NormalizedSymbol,
    state: 'connecting' | 'disconnected',
    reason: string,
    receiveTime: EpochMicros,
  ): void {
    this.sink.event({ type: 'status', venue: 'okx', symbol, state, reason, receiveTime });
  }
}

/** A BBO side from the ticker's text; OKX sends "" (or a zero size) when the side is empty. */
function quote(price: string, size: string): PriceLevel | null {
  if (price === '' || size === '') return null;
  const level: PriceLevel = [toDecimal(price), toDecimal(size)];
  return isZeroDecimal(level[1]) ? null : level;
}
