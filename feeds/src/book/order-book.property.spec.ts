import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BOOK_SIDES, type BookSide, type WireLevel } from './book-level';
import { OrderBook } from './order-book';
import { wireLevel, wireLevels } from './test-support/book-arbitraries';
import { ReferenceBook } from './test-support/reference-book';

type BookOp =
  | { readonly kind: 'snapshot'; readonly bids: WireLevel[]; readonly asks: WireLevel[] }
  | { readonly kind: 'delta'; readonly bids: WireLevel[]; readonly asks: WireLevel[] }
  | { readonly kind: 'set'; readonly side: BookSide; readonly level: WireLevel }
  | { readonly kind: 'trim'; readonly max: number };

const side = fc.constantFrom<BookSide>('bid', 'ask');

const bookOp: fc.Arbitrary<BookOp> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('snapshot'), bids: wireLevels, asks: wireLevels }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('delta'), bids: wireLevels, asks: wireLevels }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('set'), side, level: wireLevel }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('trim'), max: fc.integer({ min: 0, max: 6 }) }) },
);

function apply(op: BookOp, book: OrderBook, reference: ReferenceBook): void {
  switch (op.kind) {
    case 'snapshot':
      book.applySnapshot(op.bids, op.asks);
      reference.snapshot(op.bids, op.asks);
      return;
    case 'delta':
      book.applyDelta(op.bids, op.asks);
      reference.delta(op.bids, op.asks);
      return;
    case 'set':
      book.setLevel(op.side, op.level[0], op.level[1]);
      reference.set(op.side, op.level[0], op.level[1]);
      return;
    case 'trim':
      book.trim(op.max);
      reference.trim(op.max);
      return;
  }
}

function expectSameBook(book: OrderBook, reference: ReferenceBook, n: number): void {
  for (const s of BOOK_SIDES) {
    const expected = reference.levels(s);
    // Full side, wire text included.
    expect(book.top(s)).toEqual(expected);
    expect(book.levelCount(s)).toBe(expected.length);
    expect(book.top(s, n)).toEqual(expected.slice(0, n));
    expect(book.depth(s, n).map((level) => level.cumulativeSize)).toEqual(reference.cumulativeSizes(s).slice(0, n));
  }
  const bids = reference.levels('bid');
  const asks = reference.levels('ask');
  expect(book.toSnapshot()).toEqual({
    bids: bids.map((level) => [level.price, level.size]),
    asks: asks.map((level) => [level.price, level.size]),
  });
  expect(book.bestBid()).toEqual(bids[0]);
  expect(book.bestAsk()).toEqual(asks[0]);
  expect(book.isCrossed()).toBe(reference.isCrossed());
  expect(book.spread()).toBe(reference.spread());
  expect(book.mid()).toBe(reference.mid());
}

describe('OrderBook against a reference model (property)', () => {
  it('matches a plain sorted Map after every snapshot, delta, set and trim', () => {
    fc.assert(
      fc.property(fc.array(bookOp, { maxLength: 40 }), fc.integer({ min: 0, max: 5 }), (ops, n) => {
        const book = new OrderBook();
        const reference = new ReferenceBook();
        for (const op of ops) {
          apply(op, book, reference);
          expectSameBook(book, reference, n);
        }
      }),
      { numRuns: 300 },
    );
  });
});
