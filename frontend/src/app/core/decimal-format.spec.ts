import type { DecimalString } from '@tickwire/feeds';
import { compactDecimal, formatPercent, formatTimeOfDay, maxPlaces, padDecimal } from './decimal-format';

const d = (value: string): DecimalString => value as DecimalString;

describe('decimal display', () => {
  it('pads with trailing zeros, never rounds', () => {
    expect(padDecimal(d('0.793'), 4)).toBe('0.7930');
    expect(padDecimal(d('5'), 2)).toBe('5.00');
    expect(padDecimal(d('0.79085'), 4)).toBe('0.79085');
    expect(maxPlaces([d('1'), d('0.25'), d('3.125')])).toBe(3);
  });

  it('abbreviates amounts to about 4 significant digits', () => {
    expect(compactDecimal(d('40096'))).toBe('40.0K');
    expect(compactDecimal(d('1234567.8'))).toBe('1.23M');
    expect(compactDecimal(d('6635.3'))).toBe('6.63K');
    expect(compactDecimal(d('999'))).toBe('999');
    expect(compactDecimal(d('15.75'))).toBe('15.75');
    expect(compactDecimal(d('0.004512'))).toBe('0.004512');
    expect(compactDecimal(d('0.0045123'))).toBe('0.004512');
    expect(compactDecimal(d('0'))).toBe('0');
    expect(compactDecimal(d('123456789012345678'))).toBe('123456T');
    expect(compactDecimal(d('-2500'))).toBe('-2.50K');
  });

  it('formats a signed percentage', () => {
    expect(formatPercent(d('1.25'))).toBe('+1.25%');
    expect(formatPercent(d('-0.4'))).toBe('-0.40%');
    expect(formatPercent(d('0'))).toBe('0.00%');
    expect(formatPercent(undefined)).toBe('—');
  });

  it('formats a UTC time of day from epoch µs', () => {
    expect(formatTimeOfDay(1618677817314473)).toBe('16:43:37.314');
    expect(formatTimeOfDay(0)).toBe('00:00:00.000');
  });
});
