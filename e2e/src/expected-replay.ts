import {
  type CandleEvent,
  type CandleInterval,
  type MarketEvent,
  MultiIntervalCandleBuilder,
  OrderBook,
  type PriceLevel,
  type TradeEvent,
} from '@tickwire/feeds';
import { exchangeEntries, replayExchange } from '@tickwire/feeds/adapters/coinbase/test-support/exchange-replay';

/**
 * What feeds computes in-process from the same Coinbase capture the e2e gateway replays (the same
 * adapter, book and candle builder): the reference the terminal's numbers must equal once the
 * replay has ended.
 */
export interface ExpectedInstrument {
  readonly symbol: string;
  /** The final book, best first. */
  readonly bids: readonly PriceLevel[];
  readonly asks: readonly PriceLevel[];
  /** Every trade, oldest first. */
  readonly trades: readonly TradeEvent[];
  /** The last value of every candle, oldest first, per interval. */
  readonly candles: Readonly<Record<'1s' | '1m', readonly CandleEvent[]>>;
}

let events: Promise<readonly MarketEvent[]> | undefined;

async function replayedEvents(): Promise<readonly MarketEvent[]> {
  events ??= exchangeEntries()
    .then((entries) => replayExchange(entries))
    .then((run) => run.sink.events);
  return events;
}

export async function expectedInstrument(symbol: string, depth = 1000): Promise<ExpectedInstrument> {
  const all = await replayedEvents();
  const book = new OrderBook();
  const trades: TradeEvent[] = [];
  for (const event of all) {
    if (event.symbol !== symbol) continue;
    if (event.type === 'book_snapshot' || event.type === 'book_delta') book.applyEvent(event);
    else if (event.type === 'trade') trades.push(event);
  }
  const snapshot = book.toSnapshot(depth);
  const candles = (interval: CandleInterval): CandleEvent[] => {
    const byOpen = new Map<number, CandleEvent>();
    const builder = new MultiIntervalCandleBuilder({
      venue: 'coinbase',
      symbol,
      intervals: [interval],
      closeDelayMicros: 250_000,
      emit: (candle) => byOpen.set(candle.openTime, candle),
    });
    for (const trade of trades) builder.addTrade(trade);
    return [...byOpen.values()].sort((a, b) => a.openTime - b.openTime);
  };
  return {
    symbol,
    bids: snapshot.bids,
    asks: snapshot.asks,
    trades,
    candles: { '1s': candles('1s'), '1m': candles('1m') },
  };
}

/** HH:MM:SS.mmm UTC of an epoch-µs time, as the tape shows it (written independently of the terminal). */
export function tapeTime(micros: number): string {
  return new Date(Math.floor(micros / 1000)).toISOString().slice(11, 23);
}
