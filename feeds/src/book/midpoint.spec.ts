import fc from 'fast-check';
import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { toDecimal } from '../decimal';
import { midpoint } from './midpoint';

const d = toDecimal;

describe('midpoint', () => {
  it.each([
    ['100', '100.01', '100.005'],
    ['0.1', '0.2', '0.15'],
    ['0.00001234', '0.00001235', '0.000012345'],
    ['1', '3', '2'],
    ['99999999999999999999.99999999', '0.00000001', '50000000000000000000'],
    ['-1.5', '0.5', '-0.5'],
  ])('of %s and %s is %s', (a, b, expected) => {
    expect(midpoint(d(a), d(b))).toBe(expected);
    expect(midpoint(d(b), d(a))).toBe(expected);
  });

  it('is exact for any two decimals (property)', () => {
    const D = Decimal.clone({ precision: 200 });
    const decimal = fc
      .tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: 0, max: 18 }))
      .map(([units, scale]) => d(new D(units.toString()).div(new D(10).pow(scale)).toFixed()));
    fc.assert(
      fc.property(decimal, decimal, (a, b) => {
        expect(midpoint(a, b)).toBe(d(new D(a).plus(b).div(2).toFixed()));
      }),
    );
  });
});
