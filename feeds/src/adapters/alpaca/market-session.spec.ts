import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type MarketSession, marketSessionAt, newYorkOffsetMinutes } from './market-session';

/** An independent oracle: Node's ICU time zone data for America/New_York. */
const NEW_YORK = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  hourCycle: 'h23',
  weekday: 'short',
  hour: '2-digit',
  minute: '2-digit',
  timeZoneName: 'shortOffset',
});

function oracle(millis: number): { session: MarketSession; offset: number } {
  const parts = Object.fromEntries(NEW_YORK.formatToParts(new Date(millis)).map((p) => [p.type, p.value]));
  const offset = parts['timeZoneName'] === 'GMT-4' ? -240 : -300;
  const minute = Number(parts['hour']) * 60 + Number(parts['minute']);
  const weekend = parts['weekday'] === 'Sat' || parts['weekday'] === 'Sun';
  let session: MarketSession = 'closed';
  if (!weekend && minute >= 240 && minute < 570) session = 'pre-market';
  else if (!weekend && minute >= 570 && minute < 960) session = 'regular';
  else if (!weekend && minute >= 960 && minute < 1200) session = 'after-hours';
  return { session, offset };
}

const at = (iso: string): number => Date.parse(iso) * 1000;

describe('US equity market session in New York time', () => {
  it('agrees with Intl (ICU America/New_York) on offset and session for any instant 2008-2099', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2008, 0, 1), max: Date.UTC(2099, 11, 31) }), (millis) => {
        const expected = oracle(millis);
        expect(newYorkOffsetMinutes(millis * 1000)).toBe(expected.offset);
        expect(marketSessionAt(millis * 1000).session).toBe(expected.session);
      }),
      { numRuns: 20_000 },
    );
  });

  it('switches exactly at the DST changes (2024-03-10 07:00Z, 2024-11-03 06:00Z)', () => {
    expect(newYorkOffsetMinutes(at('2024-03-10T06:59:59.999999Z'))).toBe(-300);
    expect(newYorkOffsetMinutes(at('2024-03-10T07:00:00Z'))).toBe(-240);
    expect(newYorkOffsetMinutes(at('2024-11-03T05:59:59Z'))).toBe(-240);
    expect(newYorkOffsetMinutes(at('2024-11-03T06:00:00Z'))).toBe(-300);
  });

  it('has the session boundaries at 04:00, 09:30, 16:00 and 20:00 New York, summer and winter', () => {
    const sessions = (day: string, offset: string): MarketSession[] =>
      ['03:59', '04:00', '09:29', '09:30', '15:59', '16:00', '19:59', '20:00'].map(
        (time) => marketSessionAt(at(`${day}T${time}:00${offset}`)).session,
      );
    const expected = [
      'closed',
      'pre-market',
      'pre-market',
      'regular',
      'regular',
      'after-hours',
      'after-hours',
      'closed',
    ];
    expect(sessions('2024-07-24', '-04:00')).toEqual(expected);
    expect(sessions('2024-01-24', '-05:00')).toEqual(expected);
    expect(sessions('2024-07-27', '-04:00')).toEqual(Array(8).fill('closed')); // a Saturday
  });

  it('gives a window the session holds over, which never contains a boundary', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2010, 0, 1), max: Date.UTC(2040, 0, 1) }), (millis) => {
        const window = marketSessionAt(millis * 1000);
        expect(window.from).toBeLessThanOrEqual(millis * 1000);
        expect(window.until).toBeGreaterThan(millis * 1000);
        expect(marketSessionAt(window.from).session).toBe(window.session);
        expect(marketSessionAt(window.until - 1).session).toBe(window.session);
      }),
      { numRuns: 5000 },
    );
  });

  it('honours configured holidays and early closes (13:00, after-hours to 17:00)', () => {
    const calendar = { closedDates: ['2025-12-25'], earlyCloseDates: ['2025-11-28'] };
    expect(marketSessionAt(at('2025-12-25T15:00:00Z'), calendar).session).toBe('closed');
    expect(marketSessionAt(at('2025-12-25T15:00:00Z')).session).toBe('regular');
    expect(marketSessionAt(at('2025-11-28T12:59:00-05:00'), calendar).session).toBe('regular');
    expect(marketSessionAt(at('2025-11-28T13:00:00-05:00'), calendar).session).toBe('after-hours');
    expect(marketSessionAt(at('2025-11-28T16:59:00-05:00'), calendar).session).toBe('after-hours');
    expect(marketSessionAt(at('2025-11-28T17:00:00-05:00'), calendar).session).toBe('closed');
  });
});
