import type { EpochMicros } from './events';

export const MICROS_PER_MILLI = 1000;
export const MICROS_PER_SECOND = 1_000_000;

export function millisToMicros(millis: number): EpochMicros {
  return Math.round(millis * MICROS_PER_MILLI);
}

export function microsToMillis(micros: EpochMicros): number {
  return Math.floor(micros / MICROS_PER_MILLI);
}

export function microsToIso(micros: EpochMicros): string {
  const millis = Math.floor(micros / MICROS_PER_MILLI);
  const rest = String(micros - millis * MICROS_PER_MILLI).padStart(3, '0');
  return new Date(millis).toISOString().replace('Z', `${rest}Z`);
}
