import { describe, expect, it } from 'vitest';
import { toDecimal } from './canonicalize';
import { compareDecimals, isNegativeDecimal, isZeroDecimal, maxDecimal, minDecimal } from './compare';

const d = toDecimal;

describe('compareDecimals', () => {
  it.each([
    ['100.5', '99.25', 1],
    ['100', '100.5', -1],
    ['100.25', '100.5', -1],
    ['0.00001234', '0.00001235', -1],
    ['0.1', '0.09999999999', 1],
    ['-1', '0', -1],
    ['-100', '-99.9', -1],
    ['-0.5', '-0.25', -1],
    ['12345678901234567890.1', '12345678901234567890.09', 1],
    ['7', '7', 0],
  ] as const)('%s vs %s is %i', (a, b, expected) => {
    expect(compareDecimals(d(a), d(b))).toBe(expected);
    expect(compareDecimals(d(b), d(a))).toBe(-expected || 0);
  });

  it('treats trailing-zero variants as equal once canonical', () => {
    expect(compareDecimals(d('5541.20000'), d('5541.2'))).toBe(0);
  });

  it('has min, max and sign helpers', () => {
    expect(maxDecimal(d('1.5'), d('1.25'))).toBe('1.5');
    expect(minDecimal(d('1.5'), d('1.25'))).toBe('1.25');
    expect(isZeroDecimal(d('0.000'))).toBe(true);
    expect(isNegativeDecimal(d('-0.1'))).toBe(true);
    expect(isNegativeDecimal(d('0.1'))).toBe(false);
  });
});
