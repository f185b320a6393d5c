import { DecimalFormatError, type DecimalString, isNegativeDecimal, isZeroDecimal, toDecimal } from '../../decimal';
import type { EpochMicros, PriceLevel, TakerSide } from '../../model/events';
import { rfc3339ToMicros } from './coinbase-time';

/** Canonical price or size that must be above zero (trade prices and sizes, best prices). */
export function positiveDecimal(text: string): DecimalString {
  const value = toDecimal(text);
  if (isNegativeDecimal(value) || isZeroDecimal(value)) throw new DecimalFormatError(text, 'must be positive');
  return value;
}

/** Canonical size that must not be negative (a best level's size; "0" means no level). */
export function sizeDecimal(text: string): DecimalString {
  const value = toDecimal(text);
  if (isNegativeDecimal(value)) throw new DecimalFormatError(text, 'must not be negative');
  return value;
}

/** A best level from price and size text; null when the size is zero (that side is empty). */
export function bestLevel(price: string, size: string): PriceLevel | null {
  const canonicalSize = sizeDecimal(size);
  return isZeroDecimal(canonicalSize) ? null : [positiveDecimal(price), canonicalSize];
}

/** The taker's side when the venue names the maker's side ("buy" maker = "sell" taker). */
export function takerFromMaker(makerSide: 'buy' | 'sell'): TakerSide {
  return makerSide === 'buy' ? 'sell' : 'buy';
}

/** A timestamp field that is not RFC 3339 text: the frame is rejected. */
export class TimeFormatError extends Error {
  override readonly name = 'TimeFormatError';
}

export function requiredTime(text: string, field: string): EpochMicros {
  const micros = rfc3339ToMicros(text);
  if (micros === undefined)
    throw new TimeFormatError(`${field} is not an RFC 3339 time: ${JSON.stringify(text.slice(0, 64))}`);
  return micros;
}

/** A product id that names no configured instrument and is not BASE-QUOTE: the frame is rejected. */
export class UnknownProductError extends Error {
  override readonly name = 'UnknownProductError';
  constructor(productId: string) {
    super(`unknown product ${JSON.stringify(productId.slice(0, 40))}`);
  }
}
