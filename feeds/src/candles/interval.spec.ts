import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CANDLE_INTERVALS, type CandleInterval, type EpochMicros } from '../model';
import {
  bucketEnd,
  bucketStart,
  candleTimeOf,
  INTERVAL_MICROS,
  intervalMicros,
  isCandleTime,
  MAX_CANDLE_TIME,
} from './interval';

/** µs of a UTC date; `micros` adds sub-millisecond digits. */
function utc(iso: string, micros = 0): EpochMicros {
  return Date.parse(iso) * 1000 + micros;
}

describe('candle intervals', () => {
  it('have the expected durations', () => {
    expect(CANDLE_INTERVALS.map((interval) => intervalMicros(interval))).toEqual([
      1_000_000, 60_000_000, 300_000_000, 900_000_000, 3_600_000_000, 14_400_000_000, 86_400_000_000,
    ]);
  });

  it('align every interval at a UTC day boundary', () => {
    const lastMicroOfDay = utc('2024-03-10T23:59:59.999Z', 999);
    const expected: Record<CandleInterval, string> = {
      '1s': '2024-03-10T23:59:59.000Z',
      '1m': '2024-03-10T23:59:00.000Z',
      '5m': '2024-03-10T23:55:00.000Z',
      '15m': '2024-03-10T23:45:00.000Z',
      '1h': '2024-03-10T23:00:00.000Z',
      '4h': '2024-03-10T20:00:00.000Z',
      '1d': '2024-03-10T00:00:00.000Z',
    };
    for (const interval of CANDLE_INTERVALS) {
      expect(bucketStart(lastMicroOfDay, interval), interval).toBe(utc(expected[interval]));
      expect(bucketEnd(lastMicroOfDay, interval), interval).toBe(utc('2024-03-11T00:00:00Z'));
      // The next microsecond starts a new interval of every length.
      expect(bucketStart(lastMicroOfDay + 1, interval), interval).toBe(utc('2024-03-11T00:00:00Z'));
    }
  });

  it('starts 4h candles at 00, 04, 08, 12, 16 and 20 UTC', () => {
    expect(bucketStart(utc('2024-03-11T03:59:59.999Z', 999), '4h')).toBe(utc('2024-03-11T00:00:00Z'));
    expect(bucketStart(utc('2024-03-11T04:00:00Z'), '4h')).toBe(utc('2024-03-11T04:00:00Z'));
    expect(bucketStart(utc('2024-03-11T05:30:00Z'), '4h')).toBe(utc('2024-03-11T04:00:00Z'));
    expect(bucketStart(utc('2024-03-11T13:00:00Z'), '4h')).toBe(utc('2024-03-11T12:00:00Z'));
    expect(bucketStart(utc('2024-03-11T23:00:00Z'), '4h')).toBe(utc('2024-03-11T20:00:00Z'));
    expect(bucketStart(utc('2024-02-29T17:12:00Z'), '1d')).toBe(utc('2024-02-29T00:00:00Z'));
    expect(bucketStart(utc('2024-03-11T10:14:59Z'), '15m')).toBe(utc('2024-03-11T10:00:00Z'));
    expect(bucketStart(utc('2024-03-11T10:15:00Z'), '15m')).toBe(utc('2024-03-11T10:15:00Z'));
  });

  it('is exact for any time up to MAX_CANDLE_TIME (property, against BigInt)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: MAX_CANDLE_TIME }),
        fc.constantFrom(...CANDLE_INTERVALS),
        (time, interval) => {
          const duration = BigInt(INTERVAL_MICROS[interval]);
          const expected = (BigInt(time) / duration) * duration;
          expect(BigInt(bucketStart(time, interval))).toBe(expected);
          expect(BigInt(bucketEnd(time, interval))).toBe(expected + duration);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('accepts only integer times in range', () => {
    expect(isCandleTime(0)).toBe(true);
    expect(isCandleTime(MAX_CANDLE_TIME)).toBe(true);
    expect(isCandleTime(MAX_CANDLE_TIME + 1)).toBe(false);
    expect(isCandleTime(-1)).toBe(false);
    expect(isCandleTime(1.5)).toBe(false);
    expect(isCandleTime(Number.NaN)).toBe(false);
    expect(isCandleTime(Number.POSITIVE_INFINITY)).toBe(false);
  });

  it("counts a trade at the venue's time when it has one, else at its receive time", () => {
    expect(candleTimeOf({ venueTime: 5, receiveTime: 9 })).toBe(5);
    expect(candleTimeOf({ venueTime: 0, receiveTime: 9 })).toBe(0);
    expect(candleTimeOf({ venueTime: null, receiveTime: 9 })).toBe(9);
  });
});
