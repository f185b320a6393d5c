import type { WireLevel } from '../../book';
import { toDecimal } from '../../decimal';
import type { PriceLevel } from '../../model/events';
import type { OkxLevel } from './okx-protocol';

/**
 * [price, size] wire text of OKX's `[px, sz, "0", numOrders]` levels. The book keeps this text:
 * OKX's checksum hashes the strings as sent, so "30243.50" and "30243.5" must stay apart.
 */
export function wireLevels(levels: readonly OkxLevel[]): WireLevel[] {
  const out = new Array<WireLevel>(levels.length);
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i] as OkxLevel;
    out[i] = [level[0], level[1]];
  }
  return out;
}

/** Canonical levels for events; throws DecimalFormatError for text that is not a decimal. */
export function canonicalLevels(levels: readonly WireLevel[]): PriceLevel[] {
  const out = new Array<PriceLevel>(levels.length);
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i] as WireLevel;
    out[i] = [toDecimal(level[0]), toDecimal(level[1])];
  }
  return out;
}
