import type { EpochMicros } from '../../model/events';

/*
 * Kraken's timestamps to integer epoch microseconds without a float in between: v1 sends decimal
 * seconds as text ("1618678133.365913", microsecond precision), v2 RFC 3339 text
 * ("2023-10-06T17:35:55.440295Z"). Both are read digit by digit, so no rounding can shift a time.
 */

const V1_TIME = /^(\d{1,11})(?:\.(\d{1,9}))?$/;
const RFC3339_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/;

/** Epoch microseconds of v1 decimal seconds ("1618678133.365913"); undefined when it is not one. */
export function v1TimeToMicros(text: string): EpochMicros | undefined {
  const match = V1_TIME.exec(text);
  if (match === null) return undefined;
  return Number(match[1]) * 1_000_000 + fractionMicros(match[2]);
}

/** Epoch microseconds of an RFC 3339 UTC time ("2023-10-06T17:35:55.440295Z"); undefined otherwise. */
export function rfc3339ToMicros(text: string): EpochMicros | undefined {
  const match = RFC3339_UTC.exec(text);
  if (match === null) return undefined;
  const millis = Date.UTC(
    Number(match[1]),
    Number(match[2]) - 1,
    Number(match[3]),
    Number(match[4]),
    Number(match[5]),
    Number(match[6]),
  );
  return millis * 1000 + fractionMicros(match[7]);
}

/** Microseconds of a fraction of a second given as its digits ("3659" → 365900); extra digits are cut. */
function fractionMicros(digits: string | undefined): number {
  if (digits === undefined) return 0;
  return Number(digits.length >= 6 ? digits.slice(0, 6) : digits.padEnd(6, '0'));
}
