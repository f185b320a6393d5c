import { toDecimal } from '../../decimal';
import type { CandleEvent, EpochMicros, TradeEvent } from '../../model';
import { CandleBuilder, type CandleBuilderOptions, type DroppedTradeReason } from '../candle-builder';

let tradeCounter = 0;

/** A BTC-USDT trade on binance at `venueTime` (or only received at `receiveTime` when venueTime is null). */
export function trade(
  price: string,
  size: string,
  venueTime: EpochMicros | null,
  receiveTime: EpochMicros = venueTime ?? 0,
): TradeEvent {
  tradeCounter++;
  return {
    type: 'trade',
    venue: 'binance',
    symbol: 'BTC-USDT',
    receiveTime,
    tradeId: String(tradeCounter),
    side: 'buy',
    price: toDecimal(price),
    size: toDecimal(size),
    venueTime,
  };
}

export interface BuilderHarness {
  readonly builder: CandleBuilder;
  /** Events emitted since the last take(). */
  readonly take: () => CandleEvent[];
  readonly dropped: { trade: TradeEvent; reason: DroppedTradeReason }[];
}

export function harness(options: Partial<Omit<CandleBuilderOptions, 'emit'>> = {}): BuilderHarness {
  let events: CandleEvent[] = [];
  const dropped: { trade: TradeEvent; reason: DroppedTradeReason }[] = [];
  const builder = new CandleBuilder({
    venue: 'binance',
    symbol: 'BTC-USDT',
    interval: '1s',
    ...options,
    emit: (event) => events.push(event),
    onDroppedTrade: (dropTrade, reason) => dropped.push({ trade: dropTrade, reason }),
  });
  return {
    builder,
    dropped,
    take: () => {
      const taken = events;
      events = [];
      return taken;
    },
  };
}

/** The candle fields that describe the market, without emission details (closed, receiveTime). */
export function ohlcv(event: CandleEvent): Omit<CandleEvent, 'closed' | 'receiveTime'> {
  const { type, venue, symbol, interval, openTime, closeTime, open, high, low, close } = event;
  const { volume, quoteVolume, tradeCount, vwap } = event;
  return {
    type,
    venue,
    symbol,
    interval,
    openTime,
    closeTime,
    open,
    high,
    low,
    close,
    volume,
    quoteVolume,
    tradeCount,
    vwap,
  };
}
