import { describe, expect, it } from 'vitest';
import { CANDLE_INTERVALS, type CandleEvent, type CandleInterval } from '../model';
import { MultiIntervalCandleBuilder } from './multi-interval-builder';
import { trade } from './test-support/candle-fixtures';

const MIDNIGHT = Date.UTC(2024, 2, 11) * 1000;
const S = 1_000_000;

function build(intervals?: readonly CandleInterval[]) {
  const events: CandleEvent[] = [];
  const dropped: CandleInterval[] = [];
  const builder = new MultiIntervalCandleBuilder({
    venue: 'binance',
    symbol: 'BTC-USDT',
    intervals,
    emit: (event) => events.push(event),
    onDroppedTrade: (_trade, _reason, interval) => dropped.push(interval),
  });
  return { builder, events, dropped };
}

describe('MultiIntervalCandleBuilder', () => {
  it('builds every interval by default and closes them all at a day boundary', () => {
    const { builder, events } = build();
    builder.addTrade(trade('100', '1', MIDNIGHT - 500_000));
    expect(events.map((event) => [event.interval, event.closed, event.closeTime])).toEqual(
      CANDLE_INTERVALS.map((interval) => [interval, false, MIDNIGHT]),
    );
    events.length = 0;
    builder.advanceTo(MIDNIGHT);
    expect(events.map((event) => [event.interval, event.closed])).toEqual(
      CANDLE_INTERVALS.map((interval) => [interval, true]),
    );
    expect(events.find((event) => event.interval === '1d')?.openTime).toBe(MIDNIGHT - 86_400 * S);
    expect(events.find((event) => event.interval === '4h')?.openTime).toBe(MIDNIGHT - 4 * 3_600 * S);
    events.length = 0;
    builder.advanceTo(MIDNIGHT + 2 * S);
    // Only the 1s interval has closed empty intervals since.
    expect(events.map((event) => [event.interval, (event.openTime - MIDNIGHT) / S, event.tradeCount])).toEqual([
      ['1s', 0, 0],
      ['1s', 1, 0],
    ]);
  });

  it('reports a trade late for short intervals but folds it into longer ones', () => {
    const { builder, events, dropped } = build(['1s', '1m']);
    builder.addTrade(trade('100', '1', MIDNIGHT + 10 * S));
    builder.addTrade(trade('99', '1', MIDNIGHT + 5 * S)); // its 1s interval closed; its minute has not
    expect(dropped).toEqual(['1s']);
    expect(events.at(-1)).toMatchObject({ interval: '1m', open: '99', close: '100', tradeCount: 2, closed: false });
    expect(builder.stats()).toEqual({
      '1s': { lateTrades: 1, invalidTrades: 0, skippedFlatCandles: 0 },
      '1m': { lateTrades: 0, invalidTrades: 0, skippedFlatCandles: 0 },
    });
  });

  it('rejects a duplicate interval', () => {
    expect(() => build(['1m', '1m'])).toThrow(/duplicate/);
  });
});
