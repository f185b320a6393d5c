import type { PriceLevel } from '@tickwire/feeds';

/**
 * The levels that turn view `before` into view `after` (one side): every level of `after` that is
 * new or has another size, and [price, "0"] for every price of `before` that is gone. Canonical
 * decimals are equal exactly when their strings are, so no arithmetic is needed.
 */
export function diffSide(before: readonly PriceLevel[], after: readonly PriceLevel[]): PriceLevel[] {
  const previous = new Map<string, string>();
  for (const [price, size] of before) previous.set(price, size);
  const changes: PriceLevel[] = [];
  for (const level of after) {
    const size = previous.get(level[0]);
    if (size !== level[1]) changes.push(level);
    previous.delete(level[0]);
  }
  for (const price of previous.keys()) changes.push([price, '0'] as unknown as PriceLevel);
  return changes;
}
