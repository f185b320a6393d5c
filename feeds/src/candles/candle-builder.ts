import { compareDecimals, type DecimalString, ZERO } from '../decimal';
import type { CandleEvent, CandleInterval, EpochMicros, NormalizedSymbol, TradeEvent, VenueId } from '../model';
import { flatCandle } from './flat-candle';
import { bucketStart, candleTimeOf, INTERVAL_MICROS, isCandleTime } from './interval';
import { type CandleSeries, OpenCandle } from './open-candle';

/** Most flat candles emitted for one gap; older empty intervals of a longer gap are skipped. */
export const DEFAULT_MAX_FLAT_CANDLES_PER_GAP = 10_000;

/**
 * Why a trade was not applied: `late` (its interval had already closed), `invalid-time` (its time
 * is not an integer in [0, MAX_CANDLE_TIME]), `invalid-size` (size not positive).
 */
export type DroppedTradeReason = 'late' | 'invalid-time' | 'future-time' | 'invalid-size';

/** Default bound on how far a trade's time may run ahead of the clock given to advanceTo: 5 min. */
export const DEFAULT_MAX_CLOCK_LEAD_MICROS = 300_000_000;

export interface CandleBuilderOptions {
  readonly venue: VenueId;
  readonly symbol: NormalizedSymbol;
  readonly interval: CandleInterval;
  /** Receives every candle event, synchronously, in the order they happen. */
  readonly emit: (candle: CandleEvent) => void;
  /** Grace after an interval's end before it closes, in µs (default 0). */
  readonly closeDelayMicros?: number;
  /** Bound on flat candles emitted for one gap (default DEFAULT_MAX_FLAT_CANDLES_PER_GAP). */
  readonly maxFlatCandlesPerGap?: number;
  /** Fixed VWAP places; by default the finest price places of the candle + VWAP_EXTRA_PLACES. */
  readonly vwapPlaces?: number;
  /**
   * Once advanceTo has given a clock, a trade timed more than this ahead of it is dropped as
   * `future-time` instead of dragging the watermark (and so closing intervals) into the future.
   */
  readonly maxClockLeadMicros?: number;
  /** Told of every trade not applied, besides the counters in stats(). */
  readonly onDroppedTrade?: (trade: TradeEvent, reason: DroppedTradeReason, interval: CandleInterval) => void;
}

export interface CandleBuilderStats {
  readonly lateTrades: number;
  readonly invalidTrades: number;
  /** Empty intervals of over-long gaps for which no flat candle was emitted. */
  readonly skippedFlatCandles: number;
}

/**
 * OHLCV candles of one instrument and one interval, built from its trades. See README.md.
 *
 * Time only moves forward, by a watermark: the latest of every trade time seen and every clock
 * time given to advanceTo. An interval [start, end) closes once the watermark reaches
 * end + closeDelayMicros; from then on it is final and trades in it are dropped as late. The builder
 * never reads a clock itself, so a replay through the same inputs gives the same candles.
 */
export class CandleBuilder {
  private readonly series: CandleSeries;
  private readonly duration: number;
  private readonly closeDelay: number;
  private readonly maxFlats: number;
  private readonly emit: (candle: CandleEvent) => void;
  private readonly onDropped: CandleBuilderOptions['onDroppedTrade'];
  /** Intervals with trades that are not closed yet, by openTime ascending (more than one only within the grace). */
  private readonly open: OpenCandle[] = [];
  private watermark = Number.NEGATIVE_INFINITY;
  /** Latest time given to advanceTo; null until the first call. */
  private clock: EpochMicros | null = null;
  private readonly maxClockLead: number;
  /** Start of the earliest interval not closed: every interval before it is final. */
  private frontier = Number.NEGATIVE_INFINITY;
  /** End of the last closed candle and its close; null until the first candle closes. */
  private lastClosedEnd: EpochMicros | null = null;
  private lastClose: DecimalString = ZERO;
  private lateTrades = 0;
  private invalidTrades = 0;
  private skippedFlats = 0;

  constructor(options: CandleBuilderOptions) {
    const closeDelay = options.closeDelayMicros ?? 0;
    const maxFlats = options.maxFlatCandlesPerGap ?? DEFAULT_MAX_FLAT_CANDLES_PER_GAP;
    if (!Number.isSafeInteger(closeDelay) || closeDelay < 0) {
      throw new RangeError(`closeDelayMicros must be a non-negative integer, got ${closeDelay}`);
    }
    if (!Number.isSafeInteger(maxFlats) || maxFlats < 0) {
      throw new RangeError(`maxFlatCandlesPerGap must be a non-negative integer, got ${maxFlats}`);
    }
    const vwapPlaces = options.vwapPlaces;
    if (vwapPlaces !== undefined && (!Number.isSafeInteger(vwapPlaces) || vwapPlaces < 0)) {
      throw new RangeError(`vwapPlaces must be a non-negative integer, got ${vwapPlaces}`);
    }
    this.series = { venue: options.venue, symbol: options.symbol, interval: options.interval, vwapPlaces };
    this.duration = INTERVAL_MICROS[options.interval];
    this.closeDelay = closeDelay;
    this.maxFlats = maxFlats;
    this.emit = options.emit;
    this.onDropped = options.onDroppedTrade;
    const maxClockLead = options.maxClockLeadMicros ?? DEFAULT_MAX_CLOCK_LEAD_MICROS;
    if (!Number.isSafeInteger(maxClockLead) || maxClockLead < 0) {
      throw new RangeError(`maxClockLeadMicros must be a non-negative integer, got ${maxClockLead}`);
    }
    this.maxClockLead = maxClockLead;
  }

  get interval(): CandleInterval {
    return this.series.interval;
  }

  /**
   * Folds a trade into its interval's candle and emits that candle (closed=false). A trade later
   * than the watermark first closes the intervals it moves past (their events come first).
   * Throws for a trade of another instrument (a routing bug); drops and reports bad or late ones.
   */
  addTrade(trade: TradeEvent): void {
    if (trade.venue !== this.series.venue || trade.symbol !== this.series.symbol) {
      throw new Error(
        `candle builder for ${this.series.venue}:${this.series.symbol} got a trade of ${trade.venue}:${trade.symbol}`,
      );
    }
    const time = candleTimeOf(trade);
    const rejection = this.rejection(trade, time);
    if (rejection !== null) {
      this.drop(trade, rejection);
      return;
    }
    const start = bucketStart(time, this.series.interval);
    if (time > this.watermark) this.moveWatermark(time, trade.receiveTime);
    const candle = this.candleAt(start, trade.price, trade.size, time);
    this.emit(candle.toEvent(this.series, trade.receiveTime, false));
  }

  /**
   * Clock input (a timer in live use, the recording's clock in replay), in the same time base as
   * trade times: closes every interval whose end + closeDelayMicros is at or before `now`, emitting
   * flat candles for the empty ones. Going backwards does nothing.
   */
  advanceTo(now: EpochMicros): void {
    if (!isCandleTime(now)) throw new RangeError(`advanceTo needs an integer time in µs, got ${now}`);
    if (this.clock === null || now > this.clock) this.clock = now;
    if (now > this.watermark) this.moveWatermark(now, now);
  }

  stats(): CandleBuilderStats {
    return { lateTrades: this.lateTrades, invalidTrades: this.invalidTrades, skippedFlatCandles: this.skippedFlats };
  }

  private rejection(trade: TradeEvent, time: EpochMicros): DroppedTradeReason | null {
    if (!isCandleTime(time)) return 'invalid-time';
    if (this.clock !== null && time - this.clock > this.maxClockLead) return 'future-time';
    if (compareDecimals(trade.size, ZERO) <= 0) return 'invalid-size';
    return bucketStart(time, this.series.interval) < this.frontier ? 'late' : null;
  }

  private drop(trade: TradeEvent, reason: DroppedTradeReason): void {
    if (reason === 'late') this.lateTrades++;
    else this.invalidTrades++;
    this.onDropped?.(trade, reason, this.series.interval);
  }

  private moveWatermark(time: EpochMicros, receiveTime: EpochMicros): void {
    this.watermark = time;
    // Interval [s, s + d) is closed when s + d + delay <= watermark, so the first open one is the
    // interval containing watermark - delay.
    const frontier = bucketStart(time - this.closeDelay, this.series.interval);
    if (frontier <= this.frontier) return;
    this.frontier = frontier;
    while (this.open.length > 0) {
      const candle = this.open[0] as OpenCandle;
      if (candle.openTime >= frontier) break;
      this.open.shift();
      this.emitFlatsUntil(candle.openTime, receiveTime);
      this.emit(candle.toEvent(this.series, receiveTime, true));
      this.lastClosedEnd = candle.closeTime;
      this.lastClose = candle.lastPrice;
    }
    this.emitFlatsUntil(frontier, receiveTime);
  }

  /** Flat candles for the empty intervals from the last closed candle up to `end` (exclusive). */
  private emitFlatsUntil(end: EpochMicros, receiveTime: EpochMicros): void {
    // Before the first candle there is no close to repeat: nothing is emitted.
    if (this.lastClosedEnd === null || end <= this.lastClosedEnd) return;
    // Both ends are interval boundaries, so the count is an exact integer.
    const empty = (end - this.lastClosedEnd) / this.duration;
    const emitted = Math.min(empty, this.maxFlats);
    this.skippedFlats += empty - emitted;
    for (let start = end - emitted * this.duration; start < end; start += this.duration) {
      this.emit(flatCandle(this.series, start, start + this.duration, this.lastClose, receiveTime));
    }
    this.lastClosedEnd = end;
  }

  private candleAt(start: EpochMicros, price: DecimalString, size: DecimalString, time: EpochMicros): OpenCandle {
    // Newest first: almost every trade belongs to the last open interval.
    let index = this.open.length;
    while (index > 0) {
      const candle = this.open[index - 1] as OpenCandle;
      if (candle.openTime === start) {
        candle.add(price, size, time);
        return candle;
      }
      if (candle.openTime < start) break;
      index--;
    }
    const created = new OpenCandle(start, start + this.duration, price, size, time);
    this.open.splice(index, 0, created);
    return created;
  }
}
