import { describe, expect, it } from 'vitest';
import type { CandleEvent } from '../model';
import { CandleBuilder, DEFAULT_MAX_FLAT_CANDLES_PER_GAP } from './candle-builder';
import { harness, trade } from './test-support/candle-fixtures';

/** 2024-03-10T12:00:00Z in µs: a 1s (and 1m, 1h) boundary. */
const T = Date.UTC(2024, 2, 10, 12) * 1000;
const S = 1_000_000;

function summary(event: CandleEvent): string {
  const at = (event.openTime - T) / S;
  return `${at}s ${event.open}/${event.high}/${event.low}/${event.close} v=${event.volume} n=${event.tradeCount} ${
    event.closed ? 'closed' : 'open'
  }`;
}

describe('CandleBuilder: emission', () => {
  it('emits an update per trade and one closed candle when the clock passes the end', () => {
    const { builder, take } = harness();
    builder.advanceTo(T - 5 * S);
    expect(take()).toEqual([]); // nothing before the first trade

    builder.addTrade(trade('100', '1', T + 100, T + 150));
    expect(take()).toEqual([
      {
        type: 'candle',
        venue: 'binance',
        symbol: 'BTC-USDT',
        receiveTime: T + 150,
        interval: '1s',
        openTime: T,
        closeTime: T + S,
        open: '100',
        high: '100',
        low: '100',
        close: '100',
        volume: '1',
        quoteVolume: '100',
        tradeCount: 1,
        vwap: '100',
        closed: false,
      },
    ]);

    builder.addTrade(trade('101', '2', T + 500));
    const [update] = take();
    expect(update).toMatchObject({ high: '101', close: '101', volume: '3', quoteVolume: '302', tradeCount: 2 });
    // 302 / 3 at 0 price places + 8: half-even rounding of 100.666...
    expect(update?.vwap).toBe('100.66666667');

    builder.advanceTo(T + S - 1);
    expect(take()).toEqual([]);
    builder.advanceTo(T + S);
    const closed = take();
    expect(closed).toHaveLength(1);
    expect(closed[0]).toEqual({ ...update, closed: true, receiveTime: T + S });

    builder.advanceTo(T + S);
    builder.advanceTo(T); // backwards: ignored
    expect(take()).toEqual([]);
  });

  it('closes the open candle first when a trade of a later interval arrives', () => {
    const { builder, take } = harness();
    builder.addTrade(trade('100', '1', T + 10));
    take();
    builder.addTrade(trade('102', '1', T + S + 10, T + S + 20));
    const events = take();
    expect(events.map(summary)).toEqual(['0s 100/100/100/100 v=1 n=1 closed', '1s 102/102/102/102 v=1 n=1 open']);
    expect(events[0]?.receiveTime).toBe(T + S + 20);
  });

  it('counts a trade without venue time at its receive time', () => {
    const { builder, take } = harness();
    builder.addTrade(trade('100', '1', null, T + 2 * S + 5));
    expect(take()[0]).toMatchObject({ openTime: T + 2 * S, closeTime: T + 3 * S });
  });

  it('keeps an interval open for closeDelayMicros so slightly late trades still count', () => {
    const { builder, take, dropped } = harness({ closeDelayMicros: 200_000 });
    builder.addTrade(trade('100', '1', T + 100));
    builder.addTrade(trade('105', '1', T + S + 100_000)); // next interval, within the grace
    builder.addTrade(trade('99', '1', T + 900_000)); // arrives late but within the grace
    builder.advanceTo(T + S + 199_999);
    expect(take().map(summary)).toEqual([
      '0s 100/100/100/100 v=1 n=1 open',
      '1s 105/105/105/105 v=1 n=1 open',
      '0s 100/100/99/99 v=2 n=2 open',
    ]);
    builder.advanceTo(T + S + 200_000);
    expect(take().map(summary)).toEqual(['0s 100/100/99/99 v=2 n=2 closed']);
    builder.addTrade(trade('98', '1', T + 950_000));
    expect(take()).toEqual([]);
    expect(dropped.map((d) => d.reason)).toEqual(['late']);
  });

  it('rejects bad options', () => {
    const base = { venue: 'binance', symbol: 'BTC-USDT', interval: '1s', emit: () => undefined } as const;
    expect(() => new CandleBuilder({ ...base, closeDelayMicros: -1 })).toThrow(RangeError);
    expect(() => new CandleBuilder({ ...base, closeDelayMicros: 0.5 })).toThrow(RangeError);
    expect(() => new CandleBuilder({ ...base, maxFlatCandlesPerGap: -1 })).toThrow(RangeError);
    expect(() => new CandleBuilder({ ...base, vwapPlaces: 1.5 })).toThrow(RangeError);
  });
});

describe('CandleBuilder: empty intervals', () => {
  it('emits a flat candle at the previous close for each empty interval', () => {
    const { builder, take } = harness();
    builder.addTrade(trade('100', '1', T + 10));
    builder.addTrade(trade('101.5', '1', T + 20));
    take();
    builder.addTrade(trade('103', '2', T + 3 * S + 10));
    const events = take();
    expect(events.map(summary)).toEqual([
      '0s 100/101.5/100/101.5 v=2 n=2 closed',
      '1s 101.5/101.5/101.5/101.5 v=0 n=0 closed',
      '2s 101.5/101.5/101.5/101.5 v=0 n=0 closed',
      '3s 103/103/103/103 v=2 n=1 open',
    ]);
    expect(events[1]).toMatchObject({ quoteVolume: '0', vwap: '101.5', openTime: T + S, closeTime: T + 2 * S });
    // The clock alone closes empty intervals too, as Binance klines do.
    builder.advanceTo(T + 6 * S);
    expect(take().map(summary)).toEqual([
      '3s 103/103/103/103 v=2 n=1 closed',
      '4s 103/103/103/103 v=0 n=0 closed',
      '5s 103/103/103/103 v=0 n=0 closed',
    ]);
  });

  it('emits nothing for the intervals before the first trade', () => {
    const { builder, take } = harness();
    builder.advanceTo(T);
    builder.advanceTo(T + 5 * S);
    builder.addTrade(trade('100', '1', T + 5 * S + 1));
    expect(take().map(summary)).toEqual(['5s 100/100/100/100 v=1 n=1 open']);
  });

  it('emits only the last maxFlatCandlesPerGap flats of a long gap and counts the rest', () => {
    const { builder, take } = harness({ maxFlatCandlesPerGap: 3 });
    builder.addTrade(trade('100', '1', T));
    builder.addTrade(trade('101', '1', T + 11 * S)); // 10 empty intervals: 1s..10s
    expect(take().map(summary)).toEqual([
      '0s 100/100/100/100 v=1 n=1 open',
      '0s 100/100/100/100 v=1 n=1 closed',
      '8s 100/100/100/100 v=0 n=0 closed',
      '9s 100/100/100/100 v=0 n=0 closed',
      '10s 100/100/100/100 v=0 n=0 closed',
      '11s 101/101/101/101 v=1 n=1 open',
    ]);
    expect(builder.stats().skippedFlatCandles).toBe(7);
  });

  it('bounds the work of a huge jump by the default limit', () => {
    const { builder, take } = harness();
    builder.addTrade(trade('100', '1', T));
    take();
    const jump = 1_000_000 * S; // a million empty 1s intervals (11.5 days)
    builder.addTrade(trade('101', '1', T + jump));
    const events = take();
    const flats = events.filter((event) => event.tradeCount === 0);
    expect(flats).toHaveLength(DEFAULT_MAX_FLAT_CANDLES_PER_GAP);
    expect(flats.at(-1)?.closeTime).toBe(T + jump);
    expect(flats[0]?.openTime).toBe(T + jump - DEFAULT_MAX_FLAT_CANDLES_PER_GAP * S);
    expect(builder.stats().skippedFlatCandles).toBe(1_000_000 - 1 - DEFAULT_MAX_FLAT_CANDLES_PER_GAP);
  });
});

describe('CandleBuilder: order and late trades', () => {
  it('takes open and close by trade time within the interval, whatever the arrival order', () => {
    const { builder, take } = harness();
    builder.addTrade(trade('103', '1', T + 300));
    builder.addTrade(trade('101', '1', T + 100));
    builder.addTrade(trade('102', '1', T + 200));
    expect(take().at(-1)).toMatchObject({ open: '101', close: '103', high: '103', low: '101', tradeCount: 3 });
  });

  it('breaks equal times by arrival: first arrival opens, last arrival closes', () => {
    const { builder, take } = harness();
    builder.addTrade(trade('10', '1', T + 500));
    builder.addTrade(trade('11', '1', T + 500));
    builder.addTrade(trade('12', '1', T + 500));
    expect(take().at(-1)).toMatchObject({ open: '10', close: '12' });
  });

  it('never changes a closed candle: late trades are counted and reported', () => {
    const { builder, take, dropped } = harness();
    builder.addTrade(trade('100', '1', T + 10));
    builder.addTrade(trade('101', '1', T + S + 10));
    take();
    const late = trade('50', '7', T + 999_999);
    const veryLate = trade('50', '7', T - 60 * S); // long before anything seen
    builder.addTrade(late);
    builder.addTrade(veryLate);
    expect(take()).toEqual([]);
    expect(dropped).toEqual([
      { trade: late, reason: 'late' },
      { trade: veryLate, reason: 'late' },
    ]);
    expect(builder.stats()).toEqual({ lateTrades: 2, invalidTrades: 0, skippedFlatCandles: 0 });
    // The open candle is untouched by them.
    builder.advanceTo(T + 2 * S);
    expect(take().map(summary)).toEqual(['1s 101/101/101/101 v=1 n=1 closed']);
  });

  it('treats a first trade whose interval the clock has closed as late', () => {
    const { builder, take } = harness();
    builder.advanceTo(T + 10 * S);
    builder.addTrade(trade('100', '1', T + 9 * S));
    expect(take()).toEqual([]);
    expect(builder.stats().lateTrades).toBe(1);
  });

  it('drops a trade timed far ahead of the clock instead of closing intervals into the future', () => {
    const { builder, take, dropped } = harness({ interval: '1m', maxClockLeadMicros: 60 * S });
    builder.advanceTo(T);
    builder.addTrade(trade('100', '1', T + 10 * S));
    builder.addTrade(trade('999', '1', T + 86_400 * S)); // a venue clock a day off
    builder.addTrade(trade('101', '2', T + 20 * S));
    expect(dropped.map((d) => d.reason)).toEqual(['future-time']);
    const last = take().at(-1);
    expect(last).toMatchObject({ open: '100', close: '101', volume: '3', tradeCount: 2, closed: false });
    expect(builder.stats()).toMatchObject({ lateTrades: 0, invalidTrades: 1 });
  });

  it('drops trades with unusable time or size, and throws for another instrument', () => {
    const { builder, take, dropped } = harness();
    builder.addTrade(trade('100', '1', T + 0.5));
    builder.addTrade(trade('100', '1', -1));
    builder.addTrade(trade('100', '0', T));
    builder.addTrade(trade('100', '-1', T));
    expect(take()).toEqual([]);
    expect(dropped.map((d) => d.reason)).toEqual(['invalid-time', 'invalid-time', 'invalid-size', 'invalid-size']);
    expect(builder.stats().invalidTrades).toBe(4);
    expect(() => {
      builder.addTrade({ ...trade('100', '1', T), symbol: 'ETH-USDT' });
    }).toThrow(/ETH-USDT/);
    expect(() => {
      builder.advanceTo(Number.NaN);
    }).toThrow(RangeError);
  });
});

describe('CandleBuilder: exact volumes and VWAP', () => {
  it('sums sizes where floats go wrong', () => {
    const { builder, take } = harness();
    builder.addTrade(trade('1', '0.1', T + 1));
    builder.addTrade(trade('1', '0.2', T + 2));
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(take().at(-1)).toMatchObject({ volume: '0.3', quoteVolume: '0.3', vwap: '1' });
  });

  it('is exact for small prices with 8 decimals', () => {
    const { builder, take } = harness();
    builder.addTrade(trade('0.00001234', '100000000', T + 1));
    builder.addTrade(trade('0.00001235', '300000000', T + 2));
    builder.addTrade(trade('0.00001233', '0.00000001', T + 3));
    const last = take().at(-1);
    expect(last).toMatchObject({ volume: '400000000.00000001', low: '0.00001233', close: '0.00001233' });
    expect(last?.quoteVolume).toBe('4939.0000000000001233');
    // 8 price places + 8: 4939.0000000000001233 / 400000000.00000001 = 0.00001234749999...
    expect(last?.vwap).toBe('0.0000123475');
    // Floats lose the last trade's notional entirely.
    expect(0.00001234 * 100000000 + 0.00001235 * 300000000 + 0.00001233 * 0.00000001).toBe(4939);
  });

  it('keeps volumes whose scaled units exceed 2^53 exact', () => {
    const { builder, take } = harness();
    builder.addTrade(trade('65000.01', '123456789012.12345678', T + 1));
    builder.addTrade(trade('65000.03', '123456789012.12345678', T + 2));
    const last = take().at(-1);
    expect(last?.volume).toBe('246913578024.24691356');
    expect(last?.quoteVolume).toBe('16049387509847609.8663382712'); // checked with Python's decimal
    expect(last?.vwap).toBe('65000.02'); // equal sizes: the mean price, exactly
    expect(BigInt(last?.volume.replace('.', '') ?? '0')).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));
    // Even the integer part of the quote volume is beyond what a float holds exactly.
    expect(String(Number('16049387509847609'))).not.toBe('16049387509847609');
  });

  it('rounds the VWAP half to even at the finest price places + 8', () => {
    const { builder, take } = harness();
    builder.addTrade(trade('100.5', '1', T + 1));
    builder.addTrade(trade('100.25', '2', T + 2));
    expect(take().at(-1)?.vwap).toBe('100.3333333333'); // 301 / 3 at 2 + 8 places

    const fixed = harness({ vwapPlaces: 0 });
    fixed.builder.addTrade(trade('2', '1', T + 1));
    fixed.builder.addTrade(trade('3', '1', T + 2));
    expect(fixed.take().at(-1)?.vwap).toBe('2'); // 2.5 rounds to even
    fixed.builder.addTrade(trade('5', '2', T + 3));
    expect(fixed.take().at(-1)?.vwap).toBe('4'); // 15 / 4 = 3.75
    fixed.builder.addTrade(trade('7', '4', T + 4));
    // 43 / 8 = 5.375
    expect(fixed.take().at(-1)?.vwap).toBe('5');
  });
});
