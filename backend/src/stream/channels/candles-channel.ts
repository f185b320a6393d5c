import { type CandleEvent, type CandleInterval, type ChannelKind, latestByKey, type WireCandle } from '@tickwire/feeds';
import { filter, type Subscription } from 'rxjs';
import type { InstrumentMarket } from '../../market/instrument-market';
import { ChannelStream } from '../channel-stream';

export const CANDLES_UPSTREAM: readonly ChannelKind[] = ['trades'];
/** Candles in a snapshot (the open one last). */
export const CANDLES_SNAPSHOT_SIZE = 500;
/**
 * Updates of one candle are conflated to its latest value per 250 ms (feeds' latestByKey, keyed by
 * open time): a close is the last event of its candle, so it is never lost.
 */
export const CANDLE_CONFLATION_MS = 250;

export function wireCandle(candle: CandleEvent): WireCandle {
  return {
    interval: candle.interval,
    openTime: candle.openTime,
    closeTime: candle.closeTime,
    open: candle.open,
    high: candle.high,
    low: candle.low,
    close: candle.close,
    volume: candle.volume,
    quoteVolume: candle.quoteVolume,
    tradeCount: candle.tradeCount,
    vwap: candle.vwap,
    closed: candle.closed,
    receiveTime: candle.receiveTime,
  };
}

/** `candles` of one interval, built by the gateway from the trades it received. */
export class CandlesChannel extends ChannelStream {
  private subscription: Subscription | undefined;
  private release: (() => void) | undefined;

  constructor(
    key: string,
    instrument: string,
    private readonly interval: CandleInterval,
    private readonly market: InstrumentMarket,
    private readonly acquire: (channels: readonly ChannelKind[]) => () => void,
    onSerialize: () => void,
  ) {
    super(key, 'candles', instrument, { interval }, onSerialize);
  }

  protected snapshotData(): WireCandle[] {
    return (this.market.candles.get(this.interval)?.candles({ limit: CANDLES_SNAPSHOT_SIZE }) ?? []).map(wireCandle);
  }

  protected start(): void {
    this.subscription = this.market.candle$
      .pipe(
        filter((candle) => candle.interval === this.interval),
        latestByKey((candle) => String(candle.openTime), CANDLE_CONFLATION_MS),
      )
      .subscribe((candle) => {
        this.publish(wireCandle(candle), candle.receiveTime);
      });
    this.release = this.acquire(CANDLES_UPSTREAM);
  }

  protected stop(): void {
    this.subscription?.unsubscribe();
    this.subscription = undefined;
    this.release?.();
    this.release = undefined;
  }
}
