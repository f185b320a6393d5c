import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import Decimal from 'decimal.js';
import { isCanonicalDecimal, toDecimal, tryDecimal } from './canonicalize';
import { digitText } from '../test-support/arbitraries';
import { DecimalFormatError, MAX_DECIMAL_TEXT_LENGTH } from './decimal-string';

describe('toDecimal', () => {
  it.each([
    ['0.01000000', '0.01'],
    ['5541.20000', '5541.2'],
    ['00012.3400', '12.34'],
    ['0.00000000', '0'],
    ['-0.000', '0'],
    ['-0', '0'],
    ['+7', '7'],
    ['7.', '7'],
    ['.5', '0.5'],
    ['1e-8', '0.00000001'],
    ['1.234E-5', '0.00001234'],
    ['12.5e3', '12500'],
    ['-4.2e+2', '-420'],
    ['0.00001234', '0.00001234'],
    ['123456789012345678901234567890.123456789012345678', '123456789012345678901234567890.123456789012345678'],
  ])('canonicalizes %s to %s', (input, expected) => {
    expect(toDecimal(input)).toBe(expected);
  });

  it.each(['', '-', '.', 'abc', '1.2.3', '1,5', ' 1', '1 ', 'NaN', 'Infinity', '0x10', '1e', '--1', '1e999'])(
    'rejects %j with a DecimalFormatError',
    (input) => {
      expect(() => toDecimal(input)).toThrow(DecimalFormatError);
      expect(tryDecimal(input)).toBeUndefined();
    },
  );

  it('rejects non-strings and oversized text', () => {
    expect(() => toDecimal(12.5 as unknown as string)).toThrow(DecimalFormatError);
    expect(tryDecimal(12.5)).toBeUndefined();
    expect(() => toDecimal('1'.repeat(MAX_DECIMAL_TEXT_LENGTH + 1))).toThrow(/longer than/);
  });

  it('keeps already canonical text as the same string', () => {
    for (const text of ['0', '1', '-1', '0.5', '-0.5', '100.25', '0.00001234']) {
      expect(isCanonicalDecimal(text)).toBe(true);
      expect(toDecimal(text)).toBe(text);
    }
    for (const text of ['00', '01', '-0', '1.0', '1.', '.1', '+1', '-0.0', '1e3']) {
      expect(isCanonicalDecimal(text)).toBe(false);
    }
  });

  it('agrees with decimal.js on any decimal text (property)', () => {
    const digits = digitText(1, 20);
    const text = fc
      .tuple(
        fc.constantFrom('', '-', '+'),
        digits,
        fc.option(digitText(0, 20)),
        fc.option(fc.integer({ min: -30, max: 30 })),
      )
      .map(
        ([sign, int, frac, exp]) => `${sign}${int}${frac === null ? '' : `.${frac}`}${exp === null ? '' : `e${exp}`}`,
      );
    fc.assert(
      fc.property(text, (input) => {
        const canonical = toDecimal(input);
        expect(isCanonicalDecimal(canonical)).toBe(true);
        expect(new Decimal(canonical).equals(new Decimal(input))).toBe(true);
        expect(toDecimal(canonical)).toBe(canonical);
      }),
    );
  });
});
