import { CANDLE_INTERVALS, type CandleInterval, type EpochMicros, type TradeEvent } from '../model';
import { CandleBuilder, type CandleBuilderOptions, type CandleBuilderStats } from './candle-builder';

export interface MultiIntervalOptions extends Omit<CandleBuilderOptions, 'interval'> {
  /** Intervals to build, default every CANDLE_INTERVALS entry; events come in this order. */
  readonly intervals?: readonly CandleInterval[];
}

/** Candles of one instrument for several intervals at once: one CandleBuilder per interval. */
export class MultiIntervalCandleBuilder {
  private readonly builders: readonly CandleBuilder[];

  constructor(options: MultiIntervalOptions) {
    const intervals = options.intervals ?? CANDLE_INTERVALS;
    if (new Set(intervals).size !== intervals.length) {
      throw new RangeError(`duplicate candle interval in ${intervals.join(', ')}`);
    }
    this.builders = intervals.map((interval) => new CandleBuilder({ ...options, interval }));
  }

  addTrade(trade: TradeEvent): void {
    for (const builder of this.builders) builder.addTrade(trade);
  }

  advanceTo(now: EpochMicros): void {
    for (const builder of this.builders) builder.advanceTo(now);
  }

  stats(): Partial<Record<CandleInterval, CandleBuilderStats>> {
    const stats: Partial<Record<CandleInterval, CandleBuilderStats>> = {};
    for (const builder of this.builders) stats[builder.interval] = builder.stats();
    return stats;
  }
}
