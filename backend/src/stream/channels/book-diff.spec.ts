import { OrderBook, type PriceLevel, toDecimal } from '@tickwire/feeds';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffSide } from './book-diff';

/** A random book side as canonical levels (prices with up to 8 places, e.g. 0.00001234). */
const side = fc
  .uniqueArray(fc.tuple(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 10 ** 9 })), {
    selector: ([price]) => price,
    maxLength: 40,
  })
  .map((levels) =>
    levels.map(
      ([price, size]) => [toDecimal(`0.0000${price}`), toDecimal(`${size}.00000001`)] as unknown as PriceLevel,
    ),
  );

describe('diffSide', () => {
  it('applying the diff of two top-N views to the first gives exactly the second', () => {
    fc.assert(
      fc.property(side, side, fc.integer({ min: 1, max: 40 }), (bidsA, bidsB, depth) => {
        const a = new OrderBook();
        a.applySnapshot(bidsA, []);
        const b = new OrderBook();
        b.applySnapshot(bidsB, []);
        const before = a.toSnapshot(depth).bids;
        const after = b.toSnapshot(depth).bids;
        const client = new OrderBook();
        client.applySnapshot(before, []);
        client.applyDelta(diffSide(before, after), []);
        client.trim(depth);
        expect(client.toSnapshot(depth).bids).toEqual(after);
      }),
    );
  });

  it('is empty for equal views and names removed prices with size "0"', () => {
    const level = (p: string, s: string): PriceLevel => [p, s] as unknown as PriceLevel;
    expect(diffSide([level('1.5', '2')], [level('1.5', '2')])).toEqual([]);
    expect(diffSide([level('1.5', '2'), level('1.4', '1')], [level('1.5', '3')])).toEqual([
      level('1.5', '3'),
      level('1.4', '0'),
    ]);
  });
});
