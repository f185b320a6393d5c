import type { EpochMicros } from '../model';

/*
 * Text pieces of the simulated Alpaca stock stream, written from integers only: prices are
 * integer cents and become decimal text exactly (never through a float), timestamps are RFC-3339
 * with nanoseconds as Alpaca sends them ("2024-01-02T14:30:00.123456789Z").
 */

const CENTS = /^(0|[1-9][0-9]*)(?:\.([0-9]{1,2}))?$/;

/** Integer cents as the shortest exact decimal, as a JSON number prints it: 18925 → "189.25", 18920 → "189.2". */
export function centsText(cents: number): string {
  if (!Number.isSafeInteger(cents) || cents < 0) throw new RangeError(`cents must be a non-negative integer: ${cents}`);
  const whole = Math.floor(cents / 100);
  const fraction = cents - whole * 100;
  if (fraction === 0) return String(whole);
  if (fraction % 10 === 0) return `${whole}.${fraction / 10}`;
  return `${whole}.${fraction < 10 ? '0' : ''}${fraction}`;
}

/** A decimal price with at most two places ("189.25", "420") as integer cents, or undefined. */
export function parseCents(text: string): number | undefined {
  const match = CENTS.exec(text);
  if (match === null) return undefined;
  const whole = Number(match[1]);
  const fraction = (match[2] ?? '').padEnd(2, '0');
  const cents = whole * 100 + Number(fraction);
  return Number.isSafeInteger(cents) ? cents : undefined;
}

/**
 * RFC-3339 UTC with nine fraction digits: the microsecond `time` plus `extraNanos` (0-999) below
 * it. The whole-second part comes from `Date` on an integer millisecond value (exact, no wall clock).
 */
export class Rfc3339Writer {
  private cachedSecond = Number.NaN;
  private cachedPrefix = '';

  write(time: EpochMicros, extraNanos = 0): string {
    if (!Number.isSafeInteger(time) || time < 0) throw new RangeError(`time must be non-negative epoch µs: ${time}`);
    if (!Number.isInteger(extraNanos) || extraNanos < 0 || extraNanos > 999) {
      throw new RangeError(`extraNanos must be an integer in [0, 999]: ${extraNanos}`);
    }
    const second = Math.floor(time / 1_000_000);
    if (second !== this.cachedSecond) {
      this.cachedSecond = second;
      this.cachedPrefix = new Date(second * 1000).toISOString().slice(0, 19);
    }
    const micros = time - second * 1_000_000;
    const nanos = micros * 1000 + extraNanos;
    return `${this.cachedPrefix}.${String(nanos).padStart(9, '0')}Z`;
  }
}

/** One-off form of Rfc3339Writer.write. */
export function rfc3339Nanos(time: EpochMicros, extraNanos = 0): string {
  return new Rfc3339Writer().write(time, extraNanos);
}
