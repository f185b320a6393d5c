import { toDecimal } from '../../decimal';
import type { PriceLevel } from '../../model/events';
import type { BinanceLevel } from './binance-protocol';

/**
 * Canonical levels from Binance's ["7.6110","813"] pairs; throws DecimalFormatError for bad text
 * (the session accounts the frame as rejected before anything is applied).
 */
export function canonicalLevels(levels: readonly BinanceLevel[]): PriceLevel[] {
  const out: PriceLevel[] = new Array<PriceLevel>(levels.length);
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i] as BinanceLevel;
    out[i] = [toDecimal(level[0]), toDecimal(level[1])];
  }
  return out;
}
