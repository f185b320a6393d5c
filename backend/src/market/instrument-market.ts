import {
  type BboEvent,
  type BookDeltaEvent,
  type BookSnapshotEvent,
  type CandleEvent,
  type CandleInterval,
  type EpochMicros,
  type FeedSource,
  type FeedStatusEvent,
  MultiIntervalCandleBuilder,
  OrderBook,
  type TradeEvent,
  type VenueId,
  type WireBbo,
  type WireStatus,
  type WireTrade,
} from '@tickwire/feeds';
import { Subject } from 'rxjs';
import { CandleHistory } from './candle-history';
import { RingBuffer } from './ring-buffer';

export interface InstrumentMarketOptions {
  /** `venue:SYMBOL`. */
  readonly key: string;
  /** The venue the adapter's events name (the simulated venue speaks Binance's protocol as `binance`). */
  readonly adapterVenue: VenueId;
  readonly source: FeedSource;
  readonly intervals: readonly CandleInterval[];
  readonly candleHistory: number;
  readonly recentTrades: number;
  /** Told of a book event the book refused (a venue bug or ours): counted, the book resyncs upstream. */
  readonly onBookError: (error: unknown) => void;
}

/** Where the latest applied book event left the book. */
export interface BookPosition {
  readonly sequence: number | null;
  readonly venueTime: EpochMicros | null;
  readonly receiveTime: EpochMicros;
}

/**
 * The gateway's state of one instrument, kept from its normalized events: the one verified book,
 * recent trades, candles of every interval, the best bid/offer and the feed status. Channels read
 * it for snapshots and follow its subjects for updates; each subject emits synchronously after the
 * state changed, so a snapshot taken in a handler already includes the change.
 */
export class InstrumentMarket {
  readonly book = new OrderBook();
  bookPosition: BookPosition | undefined;
  readonly trades: RingBuffer<WireTrade>;
  readonly candles = new Map<CandleInterval, CandleHistory>();
  bbo: WireBbo | undefined;
  status: WireStatus;
  /** Status of the venue connection and of this symbol; the instrument's is the worse of the two. */
  private venueStatus: FeedStatusEvent | undefined;
  private symbolStatus: FeedStatusEvent | undefined;

  readonly bookChanged$ = new Subject<BookPosition>();
  readonly trade$ = new Subject<WireTrade>();
  readonly candle$ = new Subject<CandleEvent>();
  readonly bbo$ = new Subject<WireBbo>();
  readonly status$ = new Subject<WireStatus>();

  private readonly builder: MultiIntervalCandleBuilder;

  constructor(private readonly options: InstrumentMarketOptions) {
    this.trades = new RingBuffer(options.recentTrades);
    for (const interval of options.intervals) this.candles.set(interval, new CandleHistory(options.candleHistory));
    const [, symbol] = splitKey(options.key);
    this.builder = new MultiIntervalCandleBuilder({
      venue: options.adapterVenue,
      symbol,
      intervals: options.intervals,
      closeDelayMicros: 250_000,
      emit: (candle) => {
        this.candles.get(candle.interval)?.add(candle);
        this.candle$.next(candle);
      },
    });
    this.status = { state: 'connecting', reason: 'not subscribed yet', source: options.source, time: 0 };
  }

  get key(): string {
    return this.options.key;
  }

  applyBook(event: BookSnapshotEvent | BookDeltaEvent): void {
    try {
      this.book.applyEvent(event);
    } catch (error) {
      this.options.onBookError(error);
      return;
    }
    const position: BookPosition = {
      sequence: event.sequence,
      venueTime: event.venueTime,
      receiveTime: event.receiveTime,
    };
    this.bookPosition = position;
    this.bookChanged$.next(position);
  }

  applyTrade(event: TradeEvent): void {
    const trade: WireTrade = {
      id: event.tradeId,
      side: event.side,
      price: event.price,
      size: event.size,
      time: event.venueTime,
      receiveTime: event.receiveTime,
    };
    this.trades.push(trade);
    this.trade$.next(trade);
    this.builder.addTrade(event);
  }

  applyBbo(event: BboEvent): void {
    const bbo: WireBbo = { bid: event.bid, ask: event.ask, venueTime: event.venueTime, receiveTime: event.receiveTime };
    this.bbo = bbo;
    this.bbo$.next(bbo);
  }

  applyStatus(event: FeedStatusEvent): void {
    if (event.symbol === null) this.venueStatus = event;
    else this.symbolStatus = event;
    const effective = this.effectiveStatus();
    if (effective === undefined) return;
    const status: WireStatus = {
      state: effective.state,
      reason: effective.reason,
      source: this.options.source,
      time: effective.receiveTime,
    };
    if (status.state === this.status.state && status.reason === this.status.reason) return;
    this.status = status;
    this.status$.next(status);
  }

  /** Closes candle intervals on the clock (live feeds); replay feeds close them by trade time alone. */
  advanceClock(now: EpochMicros): void {
    this.builder.advanceTo(now);
  }

  complete(): void {
    for (const subject of [this.bookChanged$, this.trade$, this.candle$, this.bbo$, this.status$]) {
      (subject as Subject<unknown>).complete();
    }
  }

  /** The venue connection's state when it is not live (it outranks the symbol's), else the symbol's. */
  private effectiveStatus(): FeedStatusEvent | undefined {
    if (this.venueStatus !== undefined && this.venueStatus.state !== 'live') return this.venueStatus;
    return this.symbolStatus ?? this.venueStatus;
  }
}

export function splitKey(key: string): [venue: string, symbol: string] {
  const colon = key.indexOf(':');
  return [key.slice(0, colon), key.slice(colon + 1)];
}
