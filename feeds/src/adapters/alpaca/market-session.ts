import type { EpochMicros } from '../../model/events';
import { daysFromCivil } from './alpaca-time';

/*
 * The US equity market session of an instant, in America/New_York time, without a timezone
 * library: pre-market 04:00-09:30, regular 09:30-16:00, after-hours 16:00-20:00, closed otherwise
 * and on weekends (Alpaca "extended hours": 4:00-9:30 and 16:00-20:00 ET; the overnight session of
 * the BOATS feed is not modelled and counts as closed).
 *
 * New York is UTC-5 (EST) and UTC-4 (EDT) from the second Sunday of March at 02:00 local (07:00 UTC)
 * to the first Sunday of November at 02:00 local (06:00 UTC): the US rule since 2007 (Energy Policy
 * Act of 2005). The tests compare every result with Intl.DateTimeFormat's America/New_York zone.
 *
 * Holidays and early closes (13:00, with after-hours to 17:00) are not computable from the date
 * alone: pass them in a MarketCalendar (NYSE publishes them a year or more ahead).
 */

export type MarketSession = 'pre-market' | 'regular' | 'after-hours' | 'closed';

export interface MarketCalendar {
  /** New York dates (YYYY-MM-DD) the market is closed all day, e.g. "2026-12-25". */
  readonly closedDates?: readonly string[];
  /** New York dates with a 13:00 close (after-hours then until 17:00), e.g. "2026-11-27". */
  readonly earlyCloseDates?: readonly string[];
}

/** The session at an instant and the span [from, until) around it that has the same session. */
export interface SessionWindow {
  readonly session: MarketSession;
  readonly from: EpochMicros;
  readonly until: EpochMicros;
}

const MICROS_PER_MINUTE = 60_000_000;
const MICROS_PER_DAY = 86_400_000_000;
const PRE_MARKET_OPEN = 4 * 60;
const REGULAR_OPEN = 9 * 60 + 30;
const REGULAR_CLOSE = 16 * 60;
const AFTER_HOURS_CLOSE = 20 * 60;
const EARLY_CLOSE = 13 * 60;
const EARLY_AFTER_HOURS_CLOSE = 17 * 60;

/** New York's UTC offset in minutes at `micros`: -240 (EDT) or -300 (EST). */
export function newYorkOffsetMinutes(micros: EpochMicros): -240 | -300 {
  const year = utcYear(micros);
  const dstStart = nthSundayMicros(year, 3, 2) + 7 * 60 * MICROS_PER_MINUTE;
  const dstEnd = nthSundayMicros(year, 11, 1) + 6 * 60 * MICROS_PER_MINUTE;
  return micros >= dstStart && micros < dstEnd ? -240 : -300;
}

/** Market session at `micros` and how long it lasts (for callers that cache it). */
export function marketSessionAt(micros: EpochMicros, calendar: MarketCalendar = {}): SessionWindow {
  const offset = newYorkOffsetMinutes(micros) * MICROS_PER_MINUTE;
  const local = micros + offset;
  const localDay = Math.floor(local / MICROS_PER_DAY);
  const dayStart = localDay * MICROS_PER_DAY - offset;
  const minute = Math.floor((local - localDay * MICROS_PER_DAY) / MICROS_PER_MINUTE);
  // 1970-01-01 was a Thursday: day 0 → 4 (0 = Sunday).
  const weekday = (((localDay + 4) % 7) + 7) % 7;
  const whole = (session: MarketSession): SessionWindow => ({
    session,
    from: dayStart,
    until: dayStart + MICROS_PER_DAY,
  });
  if (weekday === 0 || weekday === 6) return whole('closed');
  const date = civilFromDays(localDay);
  if (calendar.closedDates?.includes(date) === true) return whole('closed');
  const early = calendar.earlyCloseDates?.includes(date) === true;
  const boundaries = [
    PRE_MARKET_OPEN,
    REGULAR_OPEN,
    early ? EARLY_CLOSE : REGULAR_CLOSE,
    early ? EARLY_AFTER_HOURS_CLOSE : AFTER_HOURS_CLOSE,
  ] as const;
  const sessions: readonly MarketSession[] = ['closed', 'pre-market', 'regular', 'after-hours', 'closed'];
  let index = 0;
  while (index < boundaries.length && minute >= (boundaries[index] ?? 0)) index++;
  const fromMinute = index === 0 ? 0 : (boundaries[index - 1] ?? 0);
  // The offset is constant on weekdays (the switches happen on Sundays), so minutes map to instants.
  const untilMicros = index === boundaries.length ? MICROS_PER_DAY : (boundaries[index] ?? 0) * MICROS_PER_MINUTE;
  return {
    session: sessions[index] ?? 'closed',
    from: dayStart + fromMinute * MICROS_PER_MINUTE,
    until: dayStart + untilMicros,
  };
}

function utcYear(micros: EpochMicros): number {
  return new Date(Math.floor(micros / 1000)).getUTCFullYear();
}

/** Midnight UTC of the `nth` Sunday of `month` in `year`. */
function nthSundayMicros(year: number, month: number, nth: number): EpochMicros {
  const first = daysFromCivil(year, month, 1);
  const weekday = (((first + 4) % 7) + 7) % 7;
  const firstSunday = first + ((7 - weekday) % 7);
  return (firstSunday + (nth - 1) * 7) * MICROS_PER_DAY;
}

/** YYYY-MM-DD of a day number (days since 1970-01-01). */
function civilFromDays(days: number): string {
  return new Date(days * 86_400_000).toISOString().slice(0, 10);
}
