import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromScaledUnits, toDecimal } from '../decimal';
import { formatUnits8, toUnits8, UNITS_PER_WHOLE } from './fixed8';

describe('formatUnits8', () => {
  it.each([
    [0, '0.00000000'],
    [1, '0.00000001'],
    [1_000_000, '0.01000000'],
    [UNITS_PER_WHOLE, '1.00000000'],
    [6_000_000_000_000, '60000.00000000'],
    [6_000_000_000_001, '60000.00000001'],
    [Number.MAX_SAFE_INTEGER, '90071992.54740991'],
  ])('formats %i units as %s', (units, text) => {
    expect(formatUnits8(units)).toBe(text);
  });

  it('equals the exact BigInt formatting for every safe integer, including next to 2^53 (property)', () => {
    const nearTop = fc.integer({ min: 0, max: 1_000_000 }).map((down) => Number.MAX_SAFE_INTEGER - down);
    // Just below a whole: where units / 1e8 may round up to the next integer.
    const belowWhole = fc.integer({ min: 1, max: 90_071_992 }).map((whole) => whole * UNITS_PER_WHOLE - 1);
    fc.assert(
      fc.property(fc.oneof(fc.maxSafeNat(), nearTop, belowWhole), (units) => {
        const text = formatUnits8(units);
        expect(text).toMatch(/^(0|[1-9]\d*)\.\d{8}$/);
        expect(toDecimal(text)).toBe(fromScaledUnits(BigInt(units), 8));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('toUnits8', () => {
  it('gives exact units of 1e-8 and refuses more places or values past 2^53', () => {
    expect(toUnits8(toDecimal('0.00001'))).toBe(1000);
    expect(toUnits8(toDecimal('60000'))).toBe(6_000_000_000_000);
    expect(() => toUnits8(toDecimal('0.000000001'))).toThrow(/more than the scale/);
    expect(() => toUnits8(toDecimal('100000000'))).toThrow(RangeError);
  });
});
