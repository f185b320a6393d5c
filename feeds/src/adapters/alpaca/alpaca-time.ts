import type { EpochMicros } from '../../model/events';

/*
 * Alpaca stamps every data point with "an RFC-3339 formatted timestamp with nanosecond precision"
 * ("2021-02-22T15:51:45.335689322Z"; bars and statuses have whole seconds: "2021-02-22T19:15:00Z").
 * Date.parse would keep milliseconds only, and a float of seconds cannot hold nanoseconds, so the
 * text is read field by field in integer arithmetic. Tickwire times are integer microseconds: the
 * nanosecond digits beyond the sixth are truncated (floor), never rounded, so a time never moves
 * into the next microsecond.
 *
 * Written as a charCodeAt parser because it runs for every trade and quote.
 */

const DIGIT_0 = 0x30;
const MICROS_PER_SECOND = 1_000_000;
const SECONDS_PER_DAY = 86_400;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** Microseconds since the epoch of an RFC-3339 timestamp, or undefined if it is not one. */
export function rfc3339ToMicros(text: string): EpochMicros | undefined {
  const length = text.length;
  if (length < 20) return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return undefined;
  if (text[4] !== '-' || text[7] !== '-' || text[13] !== ':' || text[16] !== ':') return undefined;
  const t = text[10];
  if (t !== 'T' && t !== 't') return undefined;
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  // RFC 3339 allows a leap second (60); POSIX time has none, so it reads as the next second's start.
  if (hour > 23 || minute > 59 || second > 60) return undefined;

  let i = 19;
  let micros = 0;
  if (text[i] === '.') {
    i++;
    const start = i;
    while (i < length) {
      const c = text.charCodeAt(i) - DIGIT_0;
      if (c < 0 || c > 9) break;
      if (i - start < 6) micros = micros * 10 + c;
      i++;
    }
    const fractionDigits = i - start;
    if (fractionDigits === 0) return undefined;
    for (let d = fractionDigits; d < 6; d++) micros *= 10;
  }

  let offsetSeconds: number;
  const zone = text[i];
  if ((zone === 'Z' || zone === 'z') && i + 1 === length) {
    offsetSeconds = 0;
  } else if ((zone === '+' || zone === '-') && i + 6 === length && text[i + 3] === ':') {
    const offsetHours = digits(text, i + 1, 2);
    const offsetMinutes = digits(text, i + 4, 2);
    if (offsetHours < 0 || offsetMinutes < 0 || offsetHours > 23 || offsetMinutes > 59) return undefined;
    offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * (zone === '+' ? 1 : -1);
  } else {
    return undefined;
  }

  const seconds =
    daysFromCivil(year, month, day) * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second - offsetSeconds;
  const result = seconds * MICROS_PER_SECOND + micros;
  // Exact integers only: beyond 2^53 (the year 2255) microseconds no longer fit a double exactly.
  return Number.isSafeInteger(result) ? result : undefined;
}

/** The integer value of `count` ASCII digits at `start`, or -1 if any is not a digit. */
function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const c = text.charCodeAt(i) - DIGIT_0;
    if (c < 0 || c > 9) return -1;
    value = value * 10 + c;
  }
  return value;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

/** Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const monthFromMarch = month > 2 ? month - 3 : month + 9;
  const dayOfYear = Math.floor((153 * monthFromMarch + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}
