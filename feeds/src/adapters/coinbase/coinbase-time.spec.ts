import { describe, expect, it } from 'vitest';
import { rfc3339ToMicros } from './coinbase-time';

const base = Date.UTC(2021, 3, 17, 16, 43, 37) * 1000;

describe('rfc3339ToMicros', () => {
  it('keeps microseconds and truncates nanoseconds', () => {
    expect(rfc3339ToMicros('2021-04-17T16:43:37.075687Z')).toBe(base + 75_687);
    expect(rfc3339ToMicros('2021-04-17T16:43:37.075687999Z')).toBe(base + 75_687);
    expect(rfc3339ToMicros('2021-04-17T16:43:37.999999999Z')).toBe(base + 999_999);
    expect(rfc3339ToMicros('2021-04-17T16:43:37.1Z')).toBe(base + 100_000);
    expect(rfc3339ToMicros('2021-04-17T16:43:37Z')).toBe(base);
    expect(rfc3339ToMicros('1970-01-01T00:00:00Z')).toBe(0);
  });

  it('applies offsets', () => {
    expect(rfc3339ToMicros('2021-04-17T18:43:37.5+02:00')).toBe(base + 500_000);
    expect(rfc3339ToMicros('2021-04-17T16:13:37-00:30')).toBe(base);
  });

  it('refuses text that is not an RFC 3339 time', () => {
    for (const text of [
      '',
      'yesterday',
      '2021-04-17 16:43:37Z',
      '2021-02-30T00:00:00Z',
      '2021-04-17T24:00:00Z',
      '2021-04-17T16:60:00Z',
      '2021-04-17T16:43:37',
      '2021-04-17T16:43:37.Z',
      '2021-04-17T16:43:37.0123456789Z',
      '2023-06-23 20:31:56.121961769 +0000 UTC m=+91717.525857105',
    ]) {
      expect(rfc3339ToMicros(text), text).toBeUndefined();
    }
  });
});

describe('rfc3339ToMicros on consecutive times of one second (the cached path)', () => {
  it('reads every fraction form the full parse reads, and refuses the same bad ones', () => {
    const second = '2021-04-17T16:43:37';
    for (const [tail, micros] of [
      ['Z', 0],
      ['.5Z', 500_000],
      ['.075687Z', 75_687],
      ['.075687999Z', 75_687],
      ['.000001Z', 1],
    ] as const) {
      rfc3339ToMicros(`${second}.1Z`);
      expect(rfc3339ToMicros(`${second}${tail}`), tail).toBe(base + micros);
    }
    for (const tail of ['.Z', '.0123456789Z', '.12a4Z', 'xZ', '.5+00:00x']) {
      rfc3339ToMicros(`${second}.1Z`);
      expect(rfc3339ToMicros(`${second}${tail}`), tail).toBeUndefined();
    }
    rfc3339ToMicros(`${second}.1Z`);
    expect(rfc3339ToMicros(`${second}.5+01:00`)).toBe(base + 500_000 - 3_600_000_000);
  });
});
