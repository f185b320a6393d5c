import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import Decimal from 'decimal.js';
import { toDecimal } from '../decimal';
import type { CandleEvent, CandleInterval, EpochMicros, TradeEvent } from '../model';
import { bucketStart, INTERVAL_MICROS } from './interval';
import { harness, ohlcv, trade } from './test-support/candle-fixtures';
import { VWAP_EXTRA_PLACES } from './vwap';

/** decimal.js with room for exact sums and products of the generated values. */
const Exact = Decimal.clone({ precision: 200 });
const T = Date.UTC(2024, 2, 10, 23) * 1000;

const decimalArbitrary = (maxUnits: number): fc.Arbitrary<string> =>
  fc
    .tuple(fc.integer({ min: 1, max: maxUnits }), fc.integer({ min: 0, max: 10 }))
    .map(([units, places]) => toDecimal(`${units}e-${places}`));

interface Scenario {
  interval: CandleInterval;
  closeDelay: number;
  trades: { offsetSteps: number; price: string; size: string; lagFraction: number; tiebreak: number; tick: boolean }[];
}

/** Up to 40 trades over ~8 intervals, times on a fifth-of-an-interval grid so ties and exact boundaries are common. */
const scenarioArbitrary: fc.Arbitrary<Scenario> = fc.record({
  interval: fc.constantFrom<CandleInterval>('1s', '1m', '4h', '1d'),
  closeDelay: fc.integer({ min: 0, max: 2_000 }), // in thousandths of the interval
  trades: fc.array(
    fc.record({
      offsetSteps: fc.integer({ min: 0, max: 40 }),
      price: decimalArbitrary(9_999_999),
      size: decimalArbitrary(999_999_999_999),
      lagFraction: fc.integer({ min: 0, max: 1000 }),
      tiebreak: fc.nat(),
      tick: fc.boolean(),
    }),
    { minLength: 1, maxLength: 40 },
  ),
});

/**
 * Trades in the generated arrival order, with the clock time each arrives at: at most `maxLag` after
 * its own time (within the grace when maxLag <= closeDelayMicros).
 */
function arrivals(scenario: Scenario, maxLag: number): { trade: TradeEvent; arrival: EpochMicros; tick: boolean }[] {
  const duration = INTERVAL_MICROS[scenario.interval];
  return scenario.trades
    .map((t) => {
      const time = T + (t.offsetSteps * duration) / 5;
      const arrival = time + Math.floor((t.lagFraction * maxLag) / 1000);
      return { trade: trade(t.price, t.size, time, arrival), arrival, tiebreak: t.tiebreak, tick: t.tick };
    })
    .sort((a, b) => a.arrival - b.arrival || a.tiebreak - b.tiebreak);
}

/** Closed candles from first principles: group by interval, sort by (time, arrival), fill gaps with flats. */
function referenceCandles(interval: CandleInterval, applied: readonly TradeEvent[], frontier: EpochMicros) {
  const duration = INTERVAL_MICROS[interval];
  const groups = new Map<number, { trade: TradeEvent; arrival: number }[]>();
  applied.forEach((t, arrival) => {
    const start = bucketStart(t.venueTime ?? t.receiveTime, interval);
    groups.set(start, [...(groups.get(start) ?? []), { trade: t, arrival }]);
  });
  const starts = [...groups.keys()].sort((a, b) => a - b);
  const candles: ReturnType<typeof ohlcv>[] = [];
  let previousClose = toDecimal('0'); // never used: the first interval has trades
  for (let start = starts[0] ?? frontier; start < frontier; start += duration) {
    const group = (groups.get(start) ?? []).sort(
      (a, b) => (a.trade.venueTime ?? 0) - (b.trade.venueTime ?? 0) || a.arrival - b.arrival,
    );
    const header = { type: 'candle', venue: 'binance', symbol: 'BTC-USDT', interval } as const;
    const times = { openTime: start, closeTime: start + duration };
    const first = group[0];
    const last = group.at(-1);
    if (first === undefined || last === undefined) {
      const p = previousClose;
      const zero = toDecimal('0');
      candles.push({
        ...header,
        ...times,
        open: p,
        high: p,
        low: p,
        close: p,
        volume: zero,
        quoteVolume: zero,
        tradeCount: 0,
        vwap: p,
      });
      continue;
    }
    const prices = group.map((g) => new Exact(g.trade.price));
    const volume = group.reduce((sum, g) => sum.plus(g.trade.size), new Exact(0));
    const quote = group.reduce((sum, g) => sum.plus(new Exact(g.trade.price).times(g.trade.size)), new Exact(0));
    const places = Math.max(...prices.map((p) => p.decimalPlaces())) + VWAP_EXTRA_PLACES;
    candles.push({
      ...header,
      ...times,
      open: first.trade.price,
      high: toDecimal(Exact.max(...prices).toFixed()),
      low: toDecimal(Exact.min(...prices).toFixed()),
      close: last.trade.price,
      volume: toDecimal(volume.toFixed()),
      quoteVolume: toDecimal(quote.toFixed()),
      tradeCount: group.length,
      vwap: toDecimal(quote.dividedBy(volume).toDecimalPlaces(places, Decimal.ROUND_HALF_EVEN).toFixed()),
    });
    previousClose = last.trade.price;
  }
  return candles;
}

function run(scenario: Scenario, withinGrace: boolean) {
  const duration = INTERVAL_MICROS[scenario.interval];
  const closeDelayMicros = (scenario.closeDelay * duration) / 1000;
  // Random clock calls can trail the trades by hours here; the future-time guard has its own test.
  const { builder, take, dropped } = harness({
    interval: scenario.interval,
    closeDelayMicros,
    maxClockLeadMicros: Number.MAX_SAFE_INTEGER,
  });
  let watermark = 0;
  const fed = arrivals(scenario, withinGrace ? closeDelayMicros : 3 * duration);
  // A trade is late exactly when a time at or past its interval's end + grace was seen before it.
  const expectedLate: TradeEvent[] = [];
  for (const { trade: t, arrival, tick } of fed) {
    const time = t.venueTime ?? 0;
    if (watermark >= bucketStart(time, scenario.interval) + duration + closeDelayMicros) expectedLate.push(t);
    builder.addTrade(t);
    watermark = Math.max(watermark, time);
    if (tick) {
      builder.advanceTo(arrival); // the clock, as a timer would call it
      watermark = Math.max(watermark, arrival);
    }
  }
  const lastTime = Math.max(...fed.map((f) => f.trade.venueTime ?? 0));
  const end = bucketStart(lastTime, scenario.interval) + duration + closeDelayMicros;
  builder.advanceTo(end);
  watermark = Math.max(watermark, end);
  const droppedTrades = new Set(dropped.map((d) => d.trade));
  const applied = fed.map((f) => f.trade).filter((t) => !droppedTrades.has(t));
  const frontier = bucketStart(watermark - closeDelayMicros, scenario.interval);
  return { events: take(), dropped, expectedLate, applied, fed, frontier, stats: builder.stats() };
}

function closedOf(events: readonly CandleEvent[]) {
  return events.filter((event) => event.closed).map(ohlcv);
}

describe('CandleBuilder (property)', () => {
  it('equals the reference when trades arrive in any order within the grace', () => {
    fc.assert(
      fc.property(scenarioArbitrary, (scenario) => {
        const { events, dropped, applied, fed, frontier } = run(scenario, true);
        expect(dropped).toEqual([]);
        expect(applied).toHaveLength(fed.length);
        expect(closedOf(events)).toEqual(referenceCandles(scenario.interval, applied, frontier));
        // The last update of each interval is its closed candle.
        const lastUpdate = new Map<number, CandleEvent>();
        for (const event of events) {
          if (!event.closed) lastUpdate.set(event.openTime, event);
          else if (event.tradeCount > 0)
            expect(ohlcv(event)).toEqual(ohlcv(lastUpdate.get(event.openTime) as CandleEvent));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('applies or reports every trade when some arrive after their interval closed', () => {
    fc.assert(
      fc.property(scenarioArbitrary, (scenario) => {
        const { events, dropped, expectedLate, applied, fed, frontier, stats } = run(scenario, false);
        fc.pre(dropped.length > 0 || scenario.trades.length < 3); // mostly cases with late trades
        expect(applied.length + dropped.length).toBe(fed.length);
        expect(stats.lateTrades).toBe(dropped.length);
        expect(dropped).toEqual(expectedLate.map((t) => ({ trade: t, reason: 'late' })));
        expect(closedOf(events)).toEqual(referenceCandles(scenario.interval, applied, frontier));
      }),
      { numRuns: 300 },
    );
  });
});
