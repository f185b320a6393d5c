import fc from 'fast-check';
import { Subject, tap, VirtualTimeScheduler } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { BookUpdateError } from '../book/book-update-error';
import { OrderBook } from '../book/order-book';
import { timedBookEvents } from '../book/test-support/book-arbitraries';
import { deltaEvent, snapshotEvent } from '../book/test-support/book-events';
import { type BookDeltaEvent, type BookSnapshotEvent, instrumentKey } from '../model';
import { sampleTopN, type TopNSnapshotEvent } from './sample-top-n';

type BookEvent = BookSnapshotEvent | BookDeltaEvent;

const testScheduler = (): TestScheduler =>
  new TestScheduler((actual, expected) => {
    expect(actual).toEqual(expected);
  });

function topN(event: BookEvent, bids: [string, string][], asks: [string, string][]): TopNSnapshotEvent {
  const levels = snapshotEvent(bids, asks);
  const { venue, symbol, receiveTime, venueTime, sequence } = event;
  return { ...levels, venue, symbol, receiveTime, venueTime, sequence, depth: 2 };
}

const s = snapshotEvent(
  [
    ['100', '1'],
    ['99', '1'],
    ['98', '1'],
  ],
  [
    ['101', '1'],
    ['102', '1'],
    ['103', '1'],
  ],
  { sequence: 1 },
);
/** Changes level 3 only: below the top 2. */
const deep = deltaEvent([['98', '5']], [['104', '1']], { sequence: 2, receiveTime: 20 });
/** Changes the best bid's size. */
const best = deltaEvent([['100', '2']], [], { sequence: 3, receiveTime: 30 });
/** Sets the best bid to the size it already has, spelled differently. */
const same = deltaEvent([['100.0', '2.000']], [], { sequence: 4, receiveTime: 40 });

describe('sampleTopN (marbles)', () => {
  it('emits at a tick only when the top n changed', () => {
    testScheduler().run(({ hot, expectObservable }) => {
      // Ticks at 10, 20, 30, 40, 50: s → emit; deep → nothing; best → emit; same → nothing; idle → nothing.
      const source = hot('s 11ms d 12ms b 7ms x 21ms |', { s, d: deep, b: best, x: same });
      const first = topN(
        s,
        [
          ['100', '1'],
          ['99', '1'],
        ],
        [
          ['101', '1'],
          ['102', '1'],
        ],
      );
      const second = topN(
        best,
        [
          ['100', '2'],
          ['99', '1'],
        ],
        [
          ['101', '1'],
          ['102', '1'],
        ],
      );
      expectObservable(source.pipe(sampleTopN(2, 10))).toBe('10ms f 19ms g 24ms |', { f: first, g: second });
    });
  });

  it('emits nothing when only level n + 1 changes', () => {
    testScheduler().run(({ hot, expectObservable }) => {
      const source = hot('s 14ms d 4ms d 20ms |', { s, d: deep });
      const first = topN(
        s,
        [
          ['100', '1'],
          ['99', '1'],
        ],
        [
          ['101', '1'],
          ['102', '1'],
        ],
      );
      expectObservable(source.pipe(sampleTopN(2, 10))).toBe('10ms f 30ms |', { f: first });
    });
  });

  it('emits nothing when a change is undone within a tick', () => {
    testScheduler().run(({ hot, expectObservable }) => {
      const undo = deltaEvent([['100', '1']], [], { sequence: 5 });
      const source = hot('s 14ms b 1ms u 10ms |', { s, b: best, u: undo });
      const first = topN(
        s,
        [
          ['100', '1'],
          ['99', '1'],
        ],
        [
          ['101', '1'],
          ['102', '1'],
        ],
      );
      expectObservable(source.pipe(sampleTopN(2, 10))).toBe('10ms f 17ms |', { f: first });
    });
  });

  it('emits when a level enters the top n and when the book empties', () => {
    testScheduler().run(({ hot, expectObservable }) => {
      const better = deltaEvent([], [['100.5', '3']], { sequence: 6 });
      const empty = snapshotEvent([], [], { sequence: 7 });
      const source = hot('s 14ms b 9ms e 5ms |', { s, b: better, e: empty });
      const first = topN(
        s,
        [
          ['100', '1'],
          ['99', '1'],
        ],
        [
          ['101', '1'],
          ['102', '1'],
        ],
      );
      const second = topN(
        better,
        [
          ['100', '1'],
          ['99', '1'],
        ],
        [
          ['100.5', '3'],
          ['101', '1'],
        ],
      );
      expectObservable(source.pipe(sampleTopN(2, 10))).toBe('10ms f 9ms g 9ms h |', {
        f: first,
        g: second,
        h: topN(empty, [], []),
      });
    });
  });

  it('samples each instrument on its own', () => {
    testScheduler().run(({ hot, expectObservable }) => {
      const eth = snapshotEvent([['2000', '1']], [['2001', '1']], { symbol: 'ETH-USD', sequence: 9 });
      const ethMove = deltaEvent([['2000', '0']], [], { symbol: 'ETH-USD', sequence: 10 });
      const source = hot('e-s 12ms m 9ms |', { e: eth, s, m: ethMove });
      const btc = topN(
        s,
        [
          ['100', '1'],
          ['99', '1'],
        ],
        [
          ['101', '1'],
          ['102', '1'],
        ],
      );
      expectObservable(source.pipe(sampleTopN(2, 10))).toBe('10ms (xb) 6ms y 4ms |', {
        x: topN(eth, [['2000', '1']], [['2001', '1']]),
        b: btc,
        y: topN(ethMove, [], [['2001', '1']]),
      });
    });
  });

  it('takes a last sample on completion', () => {
    testScheduler().run(({ hot, expectObservable }) => {
      const source = hot('s 4ms |', { s });
      const first = topN(
        s,
        [
          ['100', '1'],
          ['99', '1'],
        ],
        [
          ['101', '1'],
          ['102', '1'],
        ],
      );
      expectObservable(source.pipe(sampleTopN(2, 10))).toBe('5ms (f|)', { f: first });
    });
  });

  it('forwards errors, including a book update that is invalid', () => {
    testScheduler().run(({ hot, expectObservable }) => {
      expectObservable(hot('s-#', { s }).pipe(sampleTopN(2, 10))).toBe('--#');
      const negative = deltaEvent([['100', '-1']], []);
      expectObservable(hot('s-n-', { s, n: negative }).pipe(sampleTopN(2, 10))).toBe(
        '--#',
        undefined,
        expect.any(BookUpdateError),
      );
    });
  });

  it('stops ticking when unsubscribed', () => {
    testScheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot('s---------------|', { s });
      expectObservable(source.pipe(sampleTopN(2, 10)), '^--!').toBe('');
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  it('rejects a depth or interval that is not positive', () => {
    expect(() => sampleTopN(0, 10)).toThrow(RangeError);
    expect(() => sampleTopN(1.5, 10)).toThrow(RangeError);
    expect(() => sampleTopN(5, 0)).toThrow(RangeError);
    expect(() => sampleTopN(5, Number.NaN)).toThrow(RangeError);
  });
});

describe('sampleTopN (property)', () => {
  it('emits the true top n, with the latest header, and only when it changed', () => {
    fc.assert(
      fc.property(timedBookEvents, fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 4 }), (stream, ms, n) => {
        const scheduler = new VirtualTimeScheduler();
        const source = new Subject<BookEvent>();
        const books = new Map<string, OrderBook>();
        const latest = new Map<string, BookEvent>();
        // What was emitted next to what the reference books said at that moment. Asserted after
        // the run: an assertion thrown inside subscribe() would be reported by RxJS, not thrown.
        const emitted: { readonly actual: TopNSnapshotEvent; readonly expected: TopNSnapshotEvent }[] = [];
        source
          .pipe(
            // Reference books, updated before the operator sees the event.
            tap((event) => {
              const key = instrumentKey(event);
              const book = books.get(key) ?? new OrderBook();
              book.applyEvent(event);
              books.set(key, book);
              latest.set(key, event);
            }),
            sampleTopN(n, ms, scheduler),
          )
          .subscribe((actual) => {
            const key = instrumentKey(actual);
            const { venue, symbol, receiveTime, venueTime, sequence } = latest.get(key) as BookEvent;
            const top = (books.get(key) as OrderBook).toSnapshot(n);
            const expected = {
              type: 'book_snapshot',
              venue,
              symbol,
              receiveTime,
              venueTime,
              sequence,
              depth: n,
              ...top,
            } as const;
            emitted.push({ actual, expected });
          });
        let time = 0;
        for (const { gap, event } of stream) {
          time += gap;
          scheduler.schedule(() => {
            source.next(event);
          }, time);
        }
        scheduler.schedule(() => {
          source.complete();
        }, time + 1);
        scheduler.flush();

        const previous = new Map<string, TopNSnapshotEvent>();
        for (const { actual, expected } of emitted) {
          expect(actual).toEqual(expected);
          const key = instrumentKey(actual);
          const before = previous.get(key);
          if (before !== undefined) expect([actual.bids, actual.asks]).not.toEqual([before.bids, before.asks]);
          previous.set(key, actual);
        }
        // Every instrument seen is sampled at least once (its first sample always emits).
        expect(previous.size).toBe(books.size);
        expect(emitted.length).toBeLessThanOrEqual(stream.length);
      }),
      { numRuns: 200 },
    );
  });
});
