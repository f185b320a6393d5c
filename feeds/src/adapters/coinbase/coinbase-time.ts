import type { EpochMicros } from '../../model/events';

/*
 * Coinbase stamps messages with RFC 3339 text: microseconds on the Exchange feed
 * ("2021-04-17T16:43:37.075687Z"), nanoseconds on Advanced Trade ("2023-02-09T20:32:50.714964855Z").
 * Date.parse keeps milliseconds only, so the fraction is read here digit by digit (the events carry
 * integer microseconds; digits beyond the sixth are dropped, never rounded into the next second).
 */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

const MICROS_PER_MILLI = 1000;
const CHAR_0 = 48;
const CHAR_9 = 57;
const CHAR_DOT = 46;
const CHAR_Z = 90;

/*
 * Consecutive messages mostly share their whole second, so the last UTC second seen
 * ("2021-04-17T16:43:37") is remembered with its epoch milliseconds and only the fraction is read
 * for the next one: the full parse was a tenth of the Exchange feed's parse time.
 */
let lastSecond = '';
let lastSecondMillis = 0;

/** Integer microseconds since the epoch of an RFC 3339 timestamp, or undefined if it is not one. */
export function rfc3339ToMicros(text: string): EpochMicros | undefined {
  if (lastSecond.length > 0 && text.startsWith(lastSecond) && text.charCodeAt(text.length - 1) === CHAR_Z) {
    const micros = fractionMicros(text, 19, text.length - 1);
    if (micros !== undefined) return lastSecondMillis * MICROS_PER_MILLI + micros;
  }
  return parseFully(text);
}

/** Microseconds of ".ddd" between `start` and `end` (empty: 0), or undefined if malformed. */
function fractionMicros(text: string, start: number, end: number): number | undefined {
  if (start === end) return 0;
  const digits = end - start - 1;
  if (text.charCodeAt(start) !== CHAR_DOT || digits < 1 || digits > 9) return undefined;
  let micros = 0;
  for (let i = 0; i < 6; i++) {
    const position = start + 1 + i;
    let digit = 0;
    if (position < end) {
      const c = text.charCodeAt(position);
      if (c < CHAR_0 || c > CHAR_9) return undefined;
      digit = c - CHAR_0;
    }
    micros = micros * 10 + digit;
  }
  for (let position = start + 7; position < end; position++) {
    const c = text.charCodeAt(position);
    if (c < CHAR_0 || c > CHAR_9) return undefined;
  }
  return micros;
}

function parseFully(text: string): EpochMicros | undefined {
  const match = RFC3339.exec(text);
  if (match === null) return undefined;
  const [, y, mo, d, h, mi, s, fraction = '', zone = 'Z'] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  const millis = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls "02-30" over into March: a round trip tells invalid dates apart.
  const check = new Date(millis);
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return undefined;
  }
  const micros = fraction.length === 0 ? 0 : Number(fraction.padEnd(6, '0').slice(0, 6));
  if (zone === 'Z') {
    lastSecond = text.slice(0, 19);
    lastSecondMillis = millis;
  }
  return (millis - offsetMillis(zone)) * MICROS_PER_MILLI + micros;
}

function offsetMillis(zone: string): number {
  if (zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const hours = Number(zone.slice(1, 3));
  const minutes = Number(zone.slice(4, 6));
  return sign * (hours * 60 + minutes) * 60_000;
}
