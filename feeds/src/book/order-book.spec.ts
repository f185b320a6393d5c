import { describe, expect, it } from 'vitest';
import { DecimalFormatError, toDecimal } from '../decimal';
import type { BookDeltaEvent, BookSnapshotEvent, PriceLevel } from '../model';
import type { BookSide, WireLevel } from './book-level';
import { BookUpdateError } from './book-update-error';
import { OrderBook } from './order-book';

function bookWith(bids: readonly WireLevel[], asks: readonly WireLevel[]): OrderBook {
  const book = new OrderBook();
  book.applySnapshot(bids, asks);
  return book;
}

/** Every level of a side as the venue's text, best first. */
function wire(book: OrderBook, side: BookSide): string[][] {
  return book.top(side).map((level) => [level.wirePrice, level.wireSize]);
}

/** Full observable state: canonical levels and wire text of both sides. */
function state(book: OrderBook): unknown {
  return { canonical: book.toSnapshot(), bids: wire(book, 'bid'), asks: wire(book, 'ask') };
}

const level = (price: string, size: string): PriceLevel => [toDecimal(price), toDecimal(size)];

const header = { venue: 'kraken', symbol: 'BTC-USD', receiveTime: 1, venueTime: null, sequence: 7 } as const;

describe('OrderBook snapshots and deltas', () => {
  it('orders both sides best first, by value and not as text', () => {
    const book = bookWith(
      [
        ['99.99', '1'],
        ['1000', '2'],
        ['100', '3'],
        ['9.5', '4'],
      ],
      [
        ['1000', '1'],
        ['99.99', '2'],
        ['100.01', '3'],
        ['9.5', '4'],
      ],
    );
    expect(book.toSnapshot()).toEqual({
      bids: [
        ['1000', '2'],
        ['100', '3'],
        ['99.99', '1'],
        ['9.5', '4'],
      ],
      asks: [
        ['9.5', '4'],
        ['99.99', '2'],
        ['100.01', '3'],
        ['1000', '1'],
      ],
    });
  });

  it('replaces everything on a snapshot', () => {
    const book = bookWith([['100', '1']], [['101', '1']]);
    book.applySnapshot([['90', '5']], []);
    expect(book.toSnapshot()).toEqual({ bids: [['90', '5']], asks: [] });
    expect(book.stats.snapshots).toBe(2);
  });

  it('applies a snapshot in order: a later level for the same price wins, a zero skips', () => {
    const book = bookWith(
      [
        ['100', '1'],
        ['100.000', '2'],
        ['99', '0.00000000'],
      ],
      [],
    );
    expect(book.toSnapshot().bids).toEqual([['100', '2']]);
    expect(wire(book, 'bid')).toEqual([['100.000', '2']]);
  });

  it('sets, changes and removes levels with a delta', () => {
    const book = bookWith(
      [
        ['100', '1'],
        ['99', '1'],
      ],
      [['101', '1']],
    );
    book.applyDelta(
      [
        ['99', '0'],
        ['100', '3'],
        ['98', '4'],
      ],
      [['102', '5']],
    );
    expect(book.toSnapshot()).toEqual({
      bids: [
        ['100', '3'],
        ['98', '4'],
      ],
      asks: [
        ['101', '1'],
        ['102', '5'],
      ],
    });
    expect(book.stats.deltas).toBe(1);
  });

  it('applies delta levels in wire order: the later level for a price wins', () => {
    const book = bookWith([['100', '1']], []);
    book.applyDelta(
      [
        ['100', '0'],
        ['100', '7'],
        ['99', '2'],
        ['99', '0.0'],
      ],
      [],
    );
    expect(book.toSnapshot().bids).toEqual([['100', '7']]);
  });

  it.each(['0', '0.00000000', '0.0', '-0', '0e5', '.0'])('removes a level whose size is %j', (zero) => {
    const book = bookWith([['100', '1']], [['101', '1']]);
    book.applyDelta([['100', zero]], [['101.000', zero]]);
    expect(book.isEmpty).toBe(true);
    expect(book.stats.missingRemovals).toBe(0);
  });

  it('treats removing a missing level as a no-op and counts it', () => {
    const book = bookWith([['100', '1']], []);
    book.applyDelta([['99', '0']], [['101', '0.000']]);
    expect(book.toSnapshot()).toEqual({ bids: [['100', '1']], asks: [] });
    expect(book.stats.missingRemovals).toBe(2);
  });

  it('applies snapshot and delta events', () => {
    const book = new OrderBook();
    const snapshot: BookSnapshotEvent = {
      ...header,
      type: 'book_snapshot',
      bids: [level('100', '1')],
      asks: [level('101', '1')],
    };
    const delta: BookDeltaEvent = {
      ...header,
      type: 'book_delta',
      firstSequence: 8,
      bids: [level('100', '0')],
      asks: [level('100.5', '2')],
    };
    book.applyEvent(snapshot);
    book.applyEvent(delta);
    expect(book.toSnapshot()).toEqual({
      bids: [],
      asks: [
        ['100.5', '2'],
        ['101', '1'],
      ],
    });
    book.applyEvent(snapshot);
    expect(book.toSnapshot()).toEqual({ bids: [['100', '1']], asks: [['101', '1']] });
  });

  it('sets single levels', () => {
    const book = new OrderBook();
    book.setLevel('bid', '100.10', '1.50');
    book.setLevel('ask', '100.2', '2');
    book.setLevel('bid', '100.1', '3');
    expect(book.toSnapshot()).toEqual({ bids: [['100.1', '3']], asks: [['100.2', '2']] });
    book.setLevel('ask', '100.200', '0.000');
    expect(book.levelCount('ask')).toBe(0);
    book.setLevel('ask', '100.200', '0');
    expect(book.stats.missingRemovals).toBe(1);
  });
});

describe('OrderBook wire text', () => {
  it('keeps the venue text of price and size while keying and comparing canonically', () => {
    const book = bookWith([['5541.20000', '0.01000000']], [['5541.30000', '1.50000000']]);
    expect(book.bestBid()).toEqual({
      price: '5541.2',
      size: '0.01',
      wirePrice: '5541.20000',
      wireSize: '0.01000000',
    });
    // Another spelling of the same price is the same level; the latest text is kept.
    book.applyDelta([['5541.2', '0.02']], []);
    expect(book.levelCount('bid')).toBe(1);
    expect(book.bestBid()).toEqual({ price: '5541.2', size: '0.02', wirePrice: '5541.2', wireSize: '0.02' });
    expect(book.level('bid', '5541.200')?.wireSize).toBe('0.02');
    expect(book.level('ask', '5541.3')?.wirePrice).toBe('5541.30000');
    expect(book.level('ask', '5541.31')).toBeUndefined();
  });

  it('stores canonical venue text as is', () => {
    const book = bookWith([['0.00001234', '12.5']], []);
    const level = book.bestBid();
    expect(level?.wirePrice).toBe(level?.price);
    expect(level?.wireSize).toBe(level?.size);
  });
});

describe('OrderBook queries', () => {
  const book = bookWith(
    [
      ['0.00001234', '0.1'],
      ['0.00001233', '0.2'],
      ['0.00001232', '0.30000000'],
    ],
    [
      ['0.00001236', '123456789012.12345678'],
      ['0.00001237', '123456789012.12345678'],
      ['0.000012380', '0.00000001'],
    ],
  );

  it('gives the best levels, or undefined for an empty side', () => {
    expect(book.bestBid()?.price).toBe('0.00001234');
    expect(book.bestAsk()?.price).toBe('0.00001236');
    const empty = new OrderBook();
    expect(empty.bestBid()).toBeUndefined();
    expect(empty.bestAsk()).toBeUndefined();
    expect(empty.isEmpty).toBe(true);
  });

  it('gives the top n levels best first', () => {
    expect(book.top('bid', 2).map((level) => level.price)).toEqual(['0.00001234', '0.00001233']);
    expect(book.top('ask', 2).map((level) => level.price)).toEqual(['0.00001236', '0.00001237']);
    expect(book.top('ask', 10)).toHaveLength(3);
    expect(book.top('ask', 0)).toEqual([]);
    expect(book.top('bid')).toHaveLength(3);
  });

  it('rejects a level count that is not a non-negative integer', () => {
    expect(() => book.top('bid', -1)).toThrow(RangeError);
    expect(() => book.top('bid', 1.5)).toThrow(RangeError);
    expect(() => book.depth('bid', Number.NaN)).toThrow(RangeError);
    expect(() => book.trim(-1)).toThrow(RangeError);
  });

  it('sums depth exactly: 0.1 + 0.2 is 0.3', () => {
    expect(book.depth('bid')).toEqual([
      { price: '0.00001234', size: '0.1', cumulativeSize: '0.1' },
      { price: '0.00001233', size: '0.2', cumulativeSize: '0.3' },
      { price: '0.00001232', size: '0.3', cumulativeSize: '0.6' },
    ]);
    expect(book.depth('bid', 1)).toEqual([{ price: '0.00001234', size: '0.1', cumulativeSize: '0.1' }]);
  });

  it('sums depth exactly beyond 2^53 scaled units', () => {
    // 12,345,678,901,212,345,678 units at 8 places: no float can hold these sums.
    expect(book.depth('ask').map((level) => level.cumulativeSize)).toEqual([
      '123456789012.12345678',
      '246913578024.24691356',
      '246913578024.24691357',
    ]);
  });

  it('computes the spread and the exact mid', () => {
    expect(book.spread()).toBe('0.00000002');
    expect(book.mid()).toBe('0.00001235');
    const odd = bookWith([['100', '1']], [['100.01', '1']]);
    expect(odd.spread()).toBe('0.01');
    expect(odd.mid()).toBe('100.005');
    expect(bookWith([['0.1', '1']], [['0.2', '1']]).mid()).toBe('0.15');
    expect(bookWith([['100', '1']], []).spread()).toBeUndefined();
    expect(bookWith([], [['100', '1']]).mid()).toBeUndefined();
  });

  it('detects crossed and locked books', () => {
    expect(book.isCrossed()).toBe(false);
    const locked = bookWith([['100.0', '1']], [['100', '1']]);
    expect(locked.isCrossed()).toBe(true);
    expect(locked.spread()).toBe('0');
    const crossed = bookWith([['100.5', '1']], [['100', '1']]);
    expect(crossed.isCrossed()).toBe(true);
    expect(crossed.spread()).toBe('-0.5');
    expect(crossed.mid()).toBe('100.25');
    expect(bookWith([['100', '1']], []).isCrossed()).toBe(false);
  });

  it('counts levels per side', () => {
    expect(book.levelCount('bid')).toBe(3);
    expect(book.levelCount('ask')).toBe(3);
  });

  it('gives canonical snapshots to a depth', () => {
    expect(book.toSnapshot(1)).toEqual({
      bids: [['0.00001234', '0.1']],
      asks: [['0.00001236', '123456789012.12345678']],
    });
    expect(book.toSnapshot(0)).toEqual({ bids: [], asks: [] });
    expect(book.toSnapshot().bids[2]).toEqual(['0.00001232', '0.3']);
  });
});

describe('OrderBook trim and clear', () => {
  it('keeps the best levels of each side', () => {
    const book = bookWith(
      [
        ['100', '1'],
        ['98', '1'],
        ['99', '1'],
      ],
      [
        ['103', '1'],
        ['101', '1'],
        ['102', '1'],
      ],
    );
    expect(book.trim(2)).toBe(2);
    expect(book.toSnapshot()).toEqual({
      bids: [
        ['100', '1'],
        ['99', '1'],
      ],
      asks: [
        ['101', '1'],
        ['102', '1'],
      ],
    });
    expect(book.trim(2)).toBe(0);
    expect(book.trim(0)).toBe(4);
    expect(book.isEmpty).toBe(true);
    expect(book.stats.trimmedLevels).toBe(6);
  });

  it('clears both sides', () => {
    const book = bookWith([['100', '1']], [['101', '1']]);
    book.clear();
    expect(book.toSnapshot()).toEqual({ bids: [], asks: [] });
    expect(book.mid()).toBeUndefined();
  });
});

describe('OrderBook invalid updates', () => {
  const bids: WireLevel[] = [
    ['100.50', '1.0'],
    ['100', '2'],
  ];
  const asks: WireLevel[] = [['101', '3']];

  it.each<[string, WireLevel, RegExp]>([
    ['invalid price text', ['1,5', '1'], /invalid decimal/],
    ['invalid size text', ['102', 'abc'], /invalid decimal/],
    ['a number instead of text', ['102', 5 as unknown as string], /not a string/],
    ['a negative size', ['102', '-0.1'], /size must not be negative/],
    ['a zero price', ['0.000', '1'], /price must be positive/],
    ['a negative price', ['-102', '1'], /price must be positive/],
  ])('rejects a delta with %s without changing the book', (_, bad, message) => {
    const book = bookWith(bids, asks);
    const before = state(book);
    // Valid levels come first on both sides: they must not be applied either.
    const update = (): void => {
      book.applyDelta(
        [
          ['100.50', '0'],
          ['99', '5'],
        ],
        [['101', '0'], bad],
      );
    };
    expect(update).toThrow(BookUpdateError);
    expect(update).toThrow(message);
    expect(state(book)).toEqual(before);
    // Two attempts above, both refused.
    expect(book.stats).toMatchObject({ deltas: 0, rejectedUpdates: 2 });
  });

  it('rejects a snapshot without clearing the book', () => {
    const book = bookWith(bids, asks);
    const before = state(book);
    expect(() => {
      book.applySnapshot([['1', '1']], [['2', 'x']]);
    }).toThrow(BookUpdateError);
    expect(state(book)).toEqual(before);
    expect(book.stats.snapshots).toBe(1);
  });

  it('rejects a single level', () => {
    const book = bookWith(bids, asks);
    const before = state(book);
    expect(() => {
      book.setLevel('ask', '101', '-3');
    }).toThrow(BookUpdateError);
    expect(state(book)).toEqual(before);
  });

  it('says where the bad level is and why', () => {
    const book = new OrderBook();
    let caught: unknown;
    try {
      book.applyDelta(
        [['100', '1']],
        [
          ['101', '1'],
          ['102', '1e999'],
        ],
      );
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(BookUpdateError);
    const error = caught as BookUpdateError;
    expect(error).toMatchObject({ name: 'BookUpdateError', side: 'ask', index: 1, level: ['102', '1e999'] });
    expect(error.cause).toBeInstanceOf(DecimalFormatError);
    expect(error.message).toContain('ask level 1 ["102","1e999"]');
    expect(book.isEmpty).toBe(true);
  });
});
