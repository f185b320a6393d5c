import { describe, expect, it } from 'vitest';
import { microsToIso, microsToMillis, millisToMicros } from './time';

describe('time in epoch microseconds', () => {
  it('converts recording milliseconds (floats with µs fractions) to integer microseconds', () => {
    expect(millisToMicros(1634052000123.456)).toBe(1634052000123456);
    expect(Number.isSafeInteger(millisToMicros(1634052000123.456))).toBe(true);
  });

  it('formats microseconds as ISO 8601 with six fractional digits', () => {
    expect(microsToIso(1618664444123456)).toBe('2021-04-17T13:00:44.123456Z');
    expect(microsToIso(1618664444000007)).toBe('2021-04-17T13:00:44.000007Z');
    expect(microsToMillis(1618664444123456)).toBe(1618664444123);
  });
});
