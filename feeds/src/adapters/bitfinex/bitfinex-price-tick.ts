import { compareDecimals, type DecimalString, fromDigits, toDecimal, ZERO } from '../../decimal';

/** "For all pairs on Bitfinex we use 5 significant digits" (docs.bitfinex.com, Price Precision). */
export const BITFINEX_PRICE_SIGNIFICANT_DIGITS = 5;

/**
 * The price step Bitfinex allows at `price`: the unit of its 5th significant digit, so 57123 → "1",
 * 1234.5 → "0.1", 1.1234 → "0.0001", 0.00012340 → "0.00000001", 123450 → "10". Bitfinex has no
 * fixed tick: the step changes with the price's magnitude. Exact, from the decimal text.
 */
export function bitfinexPriceTick(price: string): DecimalString {
  const value = toDecimal(price);
  if (compareDecimals(value, ZERO) <= 0) throw new RangeError(`a price must be positive, got ${price}`);
  const point = value.indexOf('.');
  const integer = point === -1 ? value : value.slice(0, point);
  let leading: number;
  if (integer !== '0') {
    leading = integer.length - 1;
  } else {
    let zeros = 0;
    while (value.charCodeAt(point + 1 + zeros) === 48) zeros++;
    leading = -(zeros + 1);
  }
  // 10^(leading - 4): a single digit 1 with the point after (leading - 4 + 1) digits.
  return fromDigits(false, '1', leading - (BITFINEX_PRICE_SIGNIFICANT_DIGITS - 1) + 1);
}
