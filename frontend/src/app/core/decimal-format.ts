import { type DecimalString, decimalPlaces } from '@tickwire/feeds';

/**
 * Display helpers working on the decimal text itself (no floats): a price column aligns when every
 * price shows the same number of places, and a volume column reads better abbreviated.
 */

/** `value` with trailing zeros up to `places` decimals (never rounds: more places stay as they are). */
export function padDecimal(value: DecimalString, places: number): string {
  const have = decimalPlaces(value);
  if (have >= places) return value;
  return (have === 0 ? `${value}.` : value) + '0'.repeat(places - have);
}

/** The most decimal places among the prices (what a column pads them to). */
export function maxPlaces(values: readonly DecimalString[], atLeast = 0): number {
  let places = atLeast;
  for (const value of values) places = Math.max(places, decimalPlaces(value));
  return places;
}

const SUFFIXES = ['', 'K', 'M', 'B', 'T'] as const;

/**
 * A non-negative amount in at most about 4 significant digits with K/M/B/T ("40096" → "40.0K",
 * "1234567.8" → "1.23M", "6635.3" → "6.63K", "0.004512" → "0.004512"). Digits are cut, not
 * rounded: the column is a glance, the exact value is one hover or one REST call away.
 */
export function compactDecimal(value: DecimalString): string {
  const negative = value.startsWith('-');
  const text = negative ? value.slice(1) : value;
  const dot = text.indexOf('.');
  const integer = dot === -1 ? text : text.slice(0, dot);
  const fraction = dot === -1 ? '' : text.slice(dot + 1);
  const sign = negative ? '-' : '';
  if (integer === '0') {
    // Below 1: keep up to 4 significant digits of the fraction.
    const lead = fraction.length - fraction.replace(/^0+/, '').length;
    const digits = fraction.slice(0, lead + 4).replace(/0+$/, '');
    return digits === '' ? '0' : `${sign}0.${digits}`;
  }
  if (integer.length < 4) {
    const digits = fraction.slice(0, 4 - integer.length).replace(/0+$/, '');
    return sign + integer + (digits === '' ? '' : `.${digits}`);
  }
  const group = Math.min(SUFFIXES.length - 1, Math.floor((integer.length - 1) / 3));
  const whole = integer.slice(0, integer.length - group * 3);
  const places = Math.max(0, 3 - whole.length);
  const digits = integer.slice(whole.length, whole.length + places);
  return sign + whole + (places > 0 ? `.${digits}` : '') + (SUFFIXES[group] ?? '');
}

/** A signed percentage for display: "+1.25%", "-0.40%", "0.00%". */
export function formatPercent(value: DecimalString | undefined): string {
  if (value === undefined) return '—';
  const padded = padDecimal(value, 2);
  return value.startsWith('-') || value === '0' ? `${value === '0' ? '0.00' : padded}%` : `+${padded}%`;
}

/** HH:MM:SS.mmm (UTC) of an epoch-µs time, integer arithmetic only. */
export function formatTimeOfDay(micros: number): string {
  const millis = Math.floor(micros / 1000);
  const ofDay = ((millis % 86_400_000) + 86_400_000) % 86_400_000;
  const hours = Math.floor(ofDay / 3_600_000);
  const minutes = Math.floor(ofDay / 60_000) % 60;
  const seconds = Math.floor(ofDay / 1000) % 60;
  const ms = ofDay % 1000;
  return `${two(hours)}:${two(minutes)}:${two(seconds)}.${String(ms).padStart(3, '0')}`;
}

function two(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}
