import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import Decimal from 'decimal.js';
import { addDecimals, divideDecimals, multiplyDecimals, negateDecimal, subtractDecimals } from './arithmetic';
import { toDecimal } from './canonicalize';
import { compareDecimals } from './compare';
import { ExactSum } from './exact-sum';
import { digitText } from '../test-support/arbitraries';
import { decimalPlaces, fromScaledUnits, toScaledUnits } from './scaled';

const d = toDecimal;

/** Decimal text with up to 12 integer and 12 fraction digits, signed. */
const decimalText = fc
  .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 999_999_999_999n }), digitText(0, 12))
  .map(([negative, int, frac]) => d(`${negative ? '-' : ''}${int}${frac ? `.${frac}` : ''}`));

Decimal.set({ precision: 200 });

describe('exact arithmetic', () => {
  it('sums where floats go wrong', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(addDecimals(d('0.1'), d('0.2'))).toBe('0.3');
    expect(subtractDecimals(d('0.3'), d('0.1'))).toBe('0.2');
    expect(addDecimals(d('0.00001234'), d('0.00000001'))).toBe('0.00001235');
    expect(multiplyDecimals(d('1.1'), d('1.1'))).toBe('1.21');
    expect(multiplyDecimals(d('0.00001234'), d('100000000'))).toBe('1234');
  });

  it('keeps scaled values beyond 2^53 exact', () => {
    // 123,456,789,012.12345678 tokens at 8 decimals is 1.2e19 units: past Number.MAX_SAFE_INTEGER.
    const size = d('123456789012.12345678');
    const units = toScaledUnits(size, 8);
    expect(units).toBe(12345678901212345678n);
    expect(units > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    // A float cannot hold it: the round trip through Number changes the value.
    expect(BigInt(Number(units))).not.toBe(units);
    expect(fromScaledUnits(units, 8)).toBe(size);
    expect(addDecimals(size, d('0.00000001'))).toBe('123456789012.12345679');
    expect(new ExactSum().add(size).add(size).value()).toBe('246913578024.24691356');
  });

  it('refuses to drop digits when scaling', () => {
    expect(() => toScaledUnits(d('1.123'), 2)).toThrow(/more than the scale/);
    expect(toScaledUnits(d('-1.5'), 3)).toBe(-1500n);
    expect(decimalPlaces(d('12.0345'))).toBe(4);
  });

  it('divides with half-even rounding', () => {
    expect(divideDecimals(d('1'), d('3'), 8)).toBe('0.33333333');
    expect(divideDecimals(d('2'), d('3'), 8)).toBe('0.66666667');
    expect(divideDecimals(d('0.125'), d('1'), 2)).toBe('0.12');
    expect(divideDecimals(d('0.135'), d('1'), 2)).toBe('0.14');
    expect(divideDecimals(d('-0.135'), d('1'), 2)).toBe('-0.14');
    expect(divideDecimals(d('1'), d('-8'), 2)).toBe('-0.12');
    expect(() => divideDecimals(d('1'), d('0'), 2)).toThrow(RangeError);
  });

  it('negates', () => {
    expect(negateDecimal(d('1.5'))).toBe('-1.5');
    expect(negateDecimal(d('-1.5'))).toBe('1.5');
    expect(negateDecimal(d('0'))).toBe('0');
  });

  it('matches decimal.js for add, subtract, multiply, divide and compare (property)', () => {
    fc.assert(
      fc.property(decimalText, decimalText, (a, b) => {
        const x = new Decimal(a);
        const y = new Decimal(b);
        expect(addDecimals(a, b)).toBe(d(x.plus(y).toFixed()));
        expect(subtractDecimals(a, b)).toBe(d(x.minus(y).toFixed()));
        expect(multiplyDecimals(a, b)).toBe(d(x.times(y).toFixed()));
        expect(compareDecimals(a, b)).toBe(x.comparedTo(y));
        if (!y.isZero()) {
          expect(divideDecimals(a, b, 10)).toBe(
            d(x.dividedBy(y).toDecimalPlaces(10, Decimal.ROUND_HALF_EVEN).toFixed()),
          );
        }
      }),
      { numRuns: 500 },
    );
  });

  it('ExactSum equals the sum of its terms (property)', () => {
    fc.assert(
      fc.property(fc.array(decimalText, { maxLength: 50 }), (terms) => {
        const sum = new ExactSum();
        let reference = new Decimal(0);
        for (const term of terms) {
          sum.add(term);
          reference = reference.plus(term);
        }
        expect(sum.value()).toBe(d(reference.toFixed()));
      }),
    );
  });
});
