import { InvalidArgumentError } from 'commander';

/** A time on the command line: ISO 8601 ("2021-10-12T00:28:40Z") or epoch microseconds. */
export function parseTimeArgument(text: string): number {
  if (/^\d{13,17}$/.test(text)) return Number(text);
  const millis = Date.parse(text);
  if (Number.isNaN(millis)) throw new InvalidArgumentError('expected ISO 8601 time or epoch microseconds');
  return millis * 1000;
}
