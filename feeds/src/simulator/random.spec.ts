import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deterministicLn, SimRandom } from './random';

function draws(random: SimRandom, count: number): number[] {
  return Array.from({ length: count }, () => random.int(0, 1_000_000));
}

describe('deterministicLn', () => {
  it('matches Math.log to within a few ulps (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: Number.MIN_VALUE, max: 1e300, noNaN: true }), (x) => {
        const expected = Math.log(x);
        expect(Math.abs(deterministicLn(x) - expected)).toBeLessThanOrEqual(Math.abs(expected) * 4e-16 + 4e-16);
      }),
      { numRuns: 5000 },
    );
    expect(deterministicLn(1)).toBe(0);
    expect(deterministicLn(Math.E)).toBeCloseTo(1, 15);
  });

  it.each([0, -1, Number.NaN, Infinity])('refuses %d', (x) => {
    expect(() => deterministicLn(x)).toThrow(RangeError);
  });
});

describe('SimRandom', () => {
  it('gives the same streams for the same seed, and independent streams per index', () => {
    const [a0, a1] = SimRandom.streams(42, 2);
    const [b0, b1] = SimRandom.streams(42, 2);
    const first = draws(a0!, 100);
    expect(draws(b0!, 100)).toEqual(first);
    expect(draws(a1!, 100)).toEqual(draws(b1!, 100));
    expect(draws(SimRandom.streams(42, 2)[1]!, 100)).not.toEqual(first);
    expect(draws(SimRandom.streams(43, 1)[0]!, 100)).not.toEqual(first);
    // A stream does not depend on how many streams were made.
    expect(draws(SimRandom.streams(42, 5)[0]!, 100)).toEqual(first);
  });

  it('draws integers in range, units in [0, 1), and exponentials with the right mean', () => {
    const [random] = SimRandom.streams(7, 1);
    let sum = 0;
    let [minInt, maxInt, minUnit, maxUnit] = [Infinity, -Infinity, Infinity, -Infinity];
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const value = random!.int(-3, 3);
      minInt = Math.min(minInt, value);
      maxInt = Math.max(maxInt, value);
      const unit = random!.unit();
      minUnit = Math.min(minUnit, unit);
      maxUnit = Math.max(maxUnit, unit);
      sum += random!.exponential(2.5);
    }
    expect([minInt, maxInt]).toEqual([-3, 3]);
    expect(minUnit).toBeGreaterThanOrEqual(0);
    expect(minUnit).toBeLessThan(1e-4);
    expect(maxUnit).toBeLessThan(1);
    expect(maxUnit).toBeGreaterThan(1 - 1e-4);
    expect(sum / n).toBeGreaterThan(2.47);
    expect(sum / n).toBeLessThan(2.53);
    expect(random!.scaled(0, 50, 150)).toBe(1);
    expect(random!.geometric(0, 7)).toBe(7);
    expect(random!.geometric(1, 7)).toBe(0);
  });
});
