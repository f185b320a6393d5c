import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SnapshotMessage, UpdateMessage, WireBook } from '../api/protocol';
import { applyBookSide, LocalBook } from './local-book';
import { bookScenario, playBookScenario } from './test-support/book-scenario';
import { bookData, levels } from './test-support/wire-data';

const BTC = 'binance:BTC-USDT';

function snapshotOf(data: WireBook, seq: number, conflated = false): SnapshotMessage<'book'> {
  return {
    type: 'snapshot',
    channel: 'book',
    instrument: BTC,
    seq,
    data,
    ...(conflated ? { conflated: true, skipped: 3 } : {}),
  };
}

function updateOf(data: WireBook, seq: number): UpdateMessage<'book'> {
  return { type: 'update', channel: 'book', instrument: BTC, seq, data };
}

describe('LocalBook', () => {
  it('applies an update: sets, removes, inserts in exact price order and trims to the depth', () => {
    const book = new LocalBook(BTC, 3, 0);
    book.snapshot(
      snapshotOf(bookData(levels(['0.00001234', '5'], ['0.0000123', '1']), levels(['0.000012341', '2'])), 0),
    );
    const view = book.update(
      updateOf(
        bookData(
          levels(['0.000012339999999', '7'], ['0.0000123', '0'], ['0.00001', '1'], ['0.000001234', '9']),
          levels(['0.00001234', '0.1'], ['0.0000123401', '3']),
        ),
        1,
      ),
    );
    expect(view.bids).toEqual(levels(['0.00001234', '5'], ['0.000012339999999', '7'], ['0.00001', '1']));
    expect(view.asks).toEqual(levels(['0.00001234', '0.1'], ['0.0000123401', '3'], ['0.000012341', '2']));
    expect(view).toMatchObject({ type: 'update', seq: 1, depth: 3, instrument: BTC });
  });

  it('compares by value, not by text length or float rounding', () => {
    const bids = applyBookSide(
      [],
      levels(['9.99999999999999999', '1'], ['10', '1'], ['100000000000000000001', '1'], ['100000000000000000000', '1']),
      true,
      10,
    );
    expect(bids.map(([price]) => price)).toEqual([
      '100000000000000000001',
      '100000000000000000000',
      '10',
      '9.99999999999999999',
    ]);
  });

  it('trims only after the whole update: a removal later in it can bring an earlier level into view', () => {
    const before = levels(['100', '1'], ['99', '1']);
    const after = applyBookSide(before, levels(['98', '5'], ['100', '0']), true, 2);
    expect(after).toEqual(levels(['99', '1'], ['98', '5']));
  });

  it('keeps an unchanged side as the same array and never changes a view it emitted', () => {
    const book = new LocalBook(BTC, 2, 100);
    const first = book.snapshot(snapshotOf(bookData(levels(['2', '1']), levels(['3', '1'])), 0));
    const second = book.update(updateOf(bookData(levels(['1', '4']), []), 1));
    expect(second.asks).toBe(first.asks);
    expect(first.bids).toEqual(levels(['2', '1']));
    expect(second.bids).toEqual(levels(['2', '1'], ['1', '4']));
    expect(book.current()).toBe(second);
  });

  it('takes a conflated snapshot as the new state and marks its view', () => {
    const book = new LocalBook(BTC, 5, 100);
    book.snapshot(snapshotOf(bookData(levels(['2', '1']), levels(['3', '1'])), 0));
    const view = book.snapshot(snapshotOf(bookData(levels(['5', '1']), []), 9, true));
    expect(view).toMatchObject({ type: 'snapshot', seq: 9, conflated: true, skipped: 3, asks: [] });
    expect(view.bids).toEqual(levels(['5', '1']));
    expect(book.update(updateOf(bookData([], levels(['6', '1'])), 10))).not.toHaveProperty('conflated');
  });

  it('cuts a snapshot deeper than its depth', () => {
    const book = new LocalBook(BTC, 1, 100);
    expect(book.snapshot(snapshotOf(bookData(levels(['2', '1'], ['1', '1']), []), 0)).bids).toEqual(levels(['2', '1']));
  });
});

// ---- property: the local book equals the gateway's view after every message ----

describe('LocalBook property', () => {
  it('equals the top-depth view of an independent full book after every snapshot and update', () => {
    fc.assert(
      fc.property(bookScenario, fc.nat(1_000_000), (scenario, firstSeq) => {
        const local = new LocalBook(BTC, scenario.depth, 0);
        for (const message of playBookScenario(scenario, firstSeq)) {
          const view =
            message.type === 'snapshot'
              ? local.snapshot(snapshotOf(message.data, message.seq, message.conflated))
              : local.update(updateOf(message.data, message.seq));
          expect(view.bids).toEqual(message.expected.bids);
          expect(view.asks).toEqual(message.expected.asks);
          expect(view.seq).toBe(message.seq);
        }
      }),
      { numRuns: 300 },
    );
  });
});
