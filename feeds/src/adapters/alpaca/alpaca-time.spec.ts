import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rfc3339ToMicros } from './alpaca-time';

describe('RFC-3339 to EpochMicros', () => {
  it('reads the documented timestamps exactly, truncating nanoseconds to microseconds', () => {
    expect(rfc3339ToMicros('2021-02-22T15:51:44.208Z')).toBe(Date.UTC(2021, 1, 22, 15, 51, 44, 208) * 1000);
    expect(rfc3339ToMicros('2021-02-22T15:51:45.335689322Z')).toBe(Date.UTC(2021, 1, 22, 15, 51, 45, 335) * 1000 + 689);
    // Eight fraction digits (trailing zero dropped by the venue): .83915973 s.
    expect(rfc3339ToMicros('2023-04-06T11:54:26.83915973Z')).toBe(Date.UTC(2023, 3, 6, 11, 54, 26, 839) * 1000 + 159);
    expect(rfc3339ToMicros('2021-02-22T19:15:00Z')).toBe(Date.UTC(2021, 1, 22, 19, 15) * 1000);
    expect(rfc3339ToMicros('2021-02-22T15:51:45.3355677Z')).toBe(Date.UTC(2021, 1, 22, 15, 51, 45, 335) * 1000 + 567);
  });

  it('applies numeric offsets and accepts a leap second as the next second', () => {
    expect(rfc3339ToMicros('2021-02-22T10:51:44.5-05:00')).toBe(rfc3339ToMicros('2021-02-22T15:51:44.5Z'));
    expect(rfc3339ToMicros('2021-02-23T00:21:44+08:30')).toBe(rfc3339ToMicros('2021-02-22T15:51:44Z'));
    expect(rfc3339ToMicros('2016-12-31T23:59:60Z')).toBe(rfc3339ToMicros('2017-01-01T00:00:00Z'));
  });

  it('refuses what is not RFC 3339', () => {
    for (const bad of [
      '',
      '2021-02-22',
      '2021-02-22T15:51:44',
      '2021-02-22 15:51:44Z',
      '2021-02-29T00:00:00Z',
      '2021-13-01T00:00:00Z',
      '2021-02-22T24:00:00Z',
      '2021-02-22T15:51:44.Z',
      '2021-02-22T15:51:44.1234x',
      '2021-02-22T15:51:44+0500',
      '2021-02-22T15:51:44Zjunk',
      '1969-12-31T23:59:59Z',
      '9999-12-31T23:59:59Z',
      '２０２１-02-22T15:51:44Z',
    ]) {
      expect(rfc3339ToMicros(bad), bad).toBeUndefined();
    }
    expect(rfc3339ToMicros('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29) * 1000);
  });

  it('equals Date for every millisecond instant, plus the sub-millisecond digits as integers', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: Date.UTC(2200, 0, 1) - 1 }),
        fc.integer({ min: 0, max: 999_999 }),
        (millis, nanos) => {
          const iso = new Date(millis).toISOString(); // ...T12:34:56.789Z
          const withNanos = `${iso.slice(0, -1)}${String(nanos).padStart(6, '0')}Z`;
          expect(rfc3339ToMicros(withNanos)).toBe(millis * 1000 + Math.floor(nanos / 1000));
          expect(rfc3339ToMicros(iso)).toBe(millis * 1000);
        },
      ),
      { numRuns: 5000 },
    );
  });
});
