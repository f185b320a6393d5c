import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff';

/** A random source that returns the given values in turn. */
function sequence(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length] ?? 0;
}

describe('Backoff (exponential, full jitter)', () => {
  it('grows the ceiling base·2^attempt: with random → 1 the delays are the ceilings', () => {
    const backoff = new Backoff(100, 10_000, () => 0.999_999_999);
    expect(Array.from({ length: 6 }, () => backoff.next())).toEqual([99, 199, 399, 799, 1599, 3199]);
    expect(backoff.attempts).toBe(6);
  });

  it('caps the ceiling at max', () => {
    const backoff = new Backoff(100, 1000, () => 0.999_999_999);
    const delays = Array.from({ length: 10 }, () => backoff.next());
    expect(delays.slice(0, 4)).toEqual([99, 199, 399, 799]);
    expect(delays.slice(4)).toEqual([999, 999, 999, 999, 999, 999]);
  });

  it('jitters uniformly inside [0, ceiling): the random draw scales the ceiling', () => {
    const backoff = new Backoff(1000, 60_000, sequence(0, 0.5, 0.25, 0.75));
    // Ceilings 1000, 2000, 4000, 8000.
    expect([backoff.next(), backoff.next(), backoff.next(), backoff.next()]).toEqual([0, 1000, 1000, 6000]);
  });

  it('reset starts again from the base', () => {
    const backoff = new Backoff(50, 5000, () => 0.999_999_999);
    backoff.next();
    backoff.next();
    backoff.next();
    expect(backoff.attempts).toBe(3);
    backoff.reset();
    expect(backoff.attempts).toBe(0);
    expect(backoff.next()).toBe(49);
  });

  it('never overflows however many attempts: the exponent stops growing', () => {
    const backoff = new Backoff(1, 2 ** 40, () => 1 - 2 ** -40);
    let last = 0;
    for (let i = 0; i < 100; i++) last = backoff.next();
    expect(backoff.attempts).toBe(30);
    expect(Number.isSafeInteger(last)).toBe(true);
    expect(last).toBe(2 ** 30 - 1);
  });

  it('fast-check: every delay is an integer in [0, min(max, base·2^attempt)) for any random draw', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 1, maxLength: 40 }),
        (base, extra, draws) => {
          const max = base + extra;
          const backoff = new Backoff(base, max, sequence(...draws));
          for (let attempt = 0; attempt < draws.length; attempt++) {
            const delay = backoff.next();
            const ceiling = Math.min(max, base * 2 ** attempt);
            expect(Number.isInteger(delay)).toBe(true);
            expect(delay).toBeGreaterThanOrEqual(0);
            expect(delay).toBeLessThan(ceiling);
          }
        },
      ),
    );
  });

  it('refuses a base that is not positive or a max below it', () => {
    expect(() => new Backoff(0, 100)).toThrow(RangeError);
    expect(() => new Backoff(100, 50)).toThrow(RangeError);
    expect(() => new Backoff(Number.NaN, 50)).toThrow(RangeError);
  });
});
