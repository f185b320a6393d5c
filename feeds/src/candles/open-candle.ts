import { compareDecimals, type DecimalString, decimalPlaces, ExactSum } from '../decimal';
import type { CandleEvent, CandleInterval, EpochMicros, NormalizedSymbol, VenueId } from '../model';
import { VWAP_EXTRA_PLACES, vwapOf } from './vwap';

/** What every candle of one builder shares. */
export interface CandleSeries {
  readonly venue: VenueId;
  readonly symbol: NormalizedSymbol;
  readonly interval: CandleInterval;
  /** Fixed VWAP places; undefined for the finest price places of each candle + VWAP_EXTRA_PLACES. */
  readonly vwapPlaces: number | undefined;
}

/**
 * Running OHLCV of one interval that has at least one trade. Open and close are chosen by trade
 * time, not arrival: open is the earliest-time trade (the first to arrive among equal times), close
 * the latest-time one (the last to arrive among equal times), so the arrival order of trades within
 * the interval does not change them.
 */
export class OpenCandle {
  private open: DecimalString;
  private openAt: EpochMicros;
  private close: DecimalString;
  private closeAt: EpochMicros;
  private high: DecimalString;
  private low: DecimalString;
  private readonly volume = new ExactSum();
  private readonly quoteVolume = new ExactSum();
  private tradeCount = 0;
  private pricePlaces = 0;

  constructor(
    readonly openTime: EpochMicros,
    readonly closeTime: EpochMicros,
    price: DecimalString,
    size: DecimalString,
    time: EpochMicros,
  ) {
    this.open = this.close = this.high = this.low = price;
    this.openAt = this.closeAt = time;
    this.addToTotals(price, size);
  }

  add(price: DecimalString, size: DecimalString, time: EpochMicros): void {
    // Strict for open and non-strict for close: among equal times the earlier arrival opens and
    // the later arrival closes, as if the trades had arrived sorted by (time, arrival).
    if (time < this.openAt) {
      this.open = price;
      this.openAt = time;
    }
    if (time >= this.closeAt) {
      this.close = price;
      this.closeAt = time;
    }
    if (compareDecimals(price, this.high) > 0) this.high = price;
    if (compareDecimals(price, this.low) < 0) this.low = price;
    this.addToTotals(price, size);
  }

  get lastPrice(): DecimalString {
    return this.close;
  }

  toEvent(series: CandleSeries, receiveTime: EpochMicros, closed: boolean): CandleEvent {
    const places = series.vwapPlaces ?? this.pricePlaces + VWAP_EXTRA_PLACES;
    return {
      type: 'candle',
      venue: series.venue,
      symbol: series.symbol,
      receiveTime,
      interval: series.interval,
      openTime: this.openTime,
      closeTime: this.closeTime,
      open: this.open,
      high: this.high,
      low: this.low,
      close: this.close,
      volume: this.volume.value(),
      quoteVolume: this.quoteVolume.value(),
      tradeCount: this.tradeCount,
      vwap: vwapOf(this.quoteVolume, this.volume, places, this.close),
      closed,
    };
  }

  private addToTotals(price: DecimalString, size: DecimalString): void {
    this.volume.add(size);
    this.quoteVolume.addProduct(price, size);
    this.tradeCount++;
    const places = decimalPlaces(price);
    if (places > this.pricePlaces) this.pricePlaces = places;
  }
}
