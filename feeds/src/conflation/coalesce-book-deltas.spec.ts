import fc from 'fast-check';
import { Subject, tap, VirtualTimeScheduler } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { OrderBook } from '../book/order-book';
import { timedBookEvents } from '../book/test-support/book-arbitraries';
import { deltaEvent, snapshotEvent } from '../book/test-support/book-events';
import { type BookDeltaEvent, type BookSnapshotEvent, instrumentKey } from '../model';
import { coalesceBookDeltas } from './coalesce-book-deltas';

type BookEvent = BookSnapshotEvent | BookDeltaEvent;

const testScheduler = (): TestScheduler =>
  new TestScheduler((actual, expected) => {
    expect(actual).toEqual(expected);
  });

const a = deltaEvent([['100', '1']], [['101', '1']], { sequence: 1, firstSequence: 1, receiveTime: 10 });
const b = deltaEvent(
  [
    ['100', '2'],
    ['99', '5'],
  ],
  [['101', '0']],
  { sequence: 2, firstSequence: 2, receiveTime: 20 },
);
const c = deltaEvent([['99', '0']], [['102', '3']], { sequence: 3, firstSequence: 3, receiveTime: 30 });
const s = snapshotEvent([['90', '1']], [['95', '1']], { sequence: 10 });
const e = deltaEvent([['90', '2']], [], { sequence: 11, firstSequence: 11, receiveTime: 40 });
const f = deltaEvent([['91', '1']], [], { sequence: 12, firstSequence: 12, receiveTime: 50 });

/** a, b, c merged: last size per price, removals kept, c's header, a's firstSequence. */
const abc = deltaEvent(
  [
    ['100', '2'],
    ['99', '0'],
  ],
  [
    ['101', '0'],
    ['102', '3'],
  ],
  { sequence: 3, firstSequence: 1, receiveTime: 30 },
);

describe('coalesceBookDeltas (marbles)', () => {
  it('merges the deltas of one interval into one', () => {
    testScheduler().run(({ hot, expectObservable }) => {
      const source = hot('a-b-c---------|', { a, b, c });
      expectObservable(source.pipe(coalesceBookDeltas(10))).toBe('10ms m---|', { m: abc });
    });
  });

  it('emits nothing for an empty interval and starts an interval with its first event', () => {
    testScheduler().run(({ hot, expectObservable }) => {
      // a opens [0, 10); nothing arrives in [10, 25); b opens [25, 35) and c joins it.
      const source = hot('a 24ms b 5ms c 20ms |', { a, b, c });
      const bc = deltaEvent(
        [
          ['100', '2'],
          ['99', '0'],
        ],
        [
          ['101', '0'],
          ['102', '3'],
        ],
        { sequence: 3, firstSequence: 2, receiveTime: 30 },
      );
      expectObservable(source.pipe(coalesceBookDeltas(10))).toBe('10ms a 24ms m 16ms |', { a, m: bc });
    });
  });

  it('passes a lone delta through as the same object', () => {
    const scheduler = new VirtualTimeScheduler();
    const source = new Subject<BookEvent>();
    const output: BookEvent[] = [];
    source.pipe(coalesceBookDeltas(5, scheduler)).subscribe((event) => output.push(event));
    source.next(a);
    scheduler.flush();
    expect(output).toHaveLength(1);
    expect(output[0]).toBe(a);
  });

  it('lets a snapshot supersede what came before it and merges the deltas after it', () => {
    testScheduler().run(({ hot, expectObservable }) => {
      const source = hot('a-s-e-f-------|', { a, s, e, f });
      const ef = deltaEvent(
        [
          ['90', '2'],
          ['91', '1'],
        ],
        [],
        { sequence: 12, firstSequence: 11, receiveTime: 50 },
      );
      expectObservable(source.pipe(coalesceBookDeltas(10))).toBe('10ms (sm)|', { s, m: ef });
    });
  });

  it('keeps only the last snapshot of an interval', () => {
    testScheduler().run(({ hot, expectObservable }) => {
      const t = snapshotEvent([['80', '1']], [], { sequence: 20 });
      const source = hot('s-e-t----|', { s, e, t });
      expectObservable(source.pipe(coalesceBookDeltas(5))).toBe('5ms t---|', { t });
    });
  });

  it('coalesces each instrument on its own, flushing in order of first arrival', () => {
    testScheduler().run(({ hot, expectObservable }) => {
      const x = deltaEvent([['2000', '1']], [], { symbol: 'ETH-USD', sequence: 7, firstSequence: 7 });
      const y = deltaEvent([['2000', '0']], [], { symbol: 'ETH-USD', sequence: 8, firstSequence: 8 });
      const xy = deltaEvent([['2000', '0']], [], { symbol: 'ETH-USD', sequence: 8, firstSequence: 7 });
      const ab = deltaEvent(
        [
          ['100', '2'],
          ['99', '5'],
        ],
        [['101', '0']],
        { sequence: 2, firstSequence: 1, receiveTime: 20 },
      );
      const source = hot('x-a-y-b-----|', { a, b, x, y });
      expectObservable(source.pipe(coalesceBookDeltas(8))).toBe('8ms (pq)|', { p: xy, q: ab });
    });
  });

  it('flushes what is pending on completion', () => {
    testScheduler().run(({ hot, expectObservable }) => {
      const source = hot('a-b-c|', { a, b, c });
      expectObservable(source.pipe(coalesceBookDeltas(10))).toBe('-----(m|)', { m: abc });
    });
  });

  it('forwards an error at once and drops what is pending', () => {
    testScheduler().run(({ hot, expectObservable }) => {
      const source = hot('a-b-#', { a, b });
      expectObservable(source.pipe(coalesceBookDeltas(10))).toBe('----#');
    });
  });

  it('cancels its timer when unsubscribed', () => {
    testScheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot('a-b-c------|', { a, b, c });
      expectObservable(source.pipe(coalesceBookDeltas(10)), '^--!').toBe('');
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  it('uses the scheduler it is given', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold('a-b|', { a, b }).pipe(coalesceBookDeltas(1, scheduler))).toBe('-a-(b|)', { a, b });
    });
  });

  it('rejects an interval that is negative or not finite', () => {
    expect(() => coalesceBookDeltas(-1)).toThrow(RangeError);
    expect(() => coalesceBookDeltas(Number.NaN)).toThrow(RangeError);
    expect(() => coalesceBookDeltas(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('coalesceBookDeltas (property)', () => {
  it('gives the same books as the raw stream after every flush', () => {
    fc.assert(
      fc.property(timedBookEvents, fc.integer({ min: 1, max: 20 }), (stream, intervalMs) => {
        const scheduler = new VirtualTimeScheduler();
        const source = new Subject<BookEvent>();
        const emitted: { readonly event: BookEvent; readonly inputCount: number }[] = [];
        let inputCount = 0;
        source
          .pipe(
            tap(() => inputCount++),
            coalesceBookDeltas(intervalMs, scheduler),
          )
          .subscribe((event) => emitted.push({ event, inputCount }));
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

        const raw = new Books();
        const coalesced = new Books();
        let applied = 0;
        // Emissions of one flush share an inputCount; compare once all of them are applied.
        for (const [index, { event, inputCount: count }] of emitted.entries()) {
          coalesced.apply(event);
          if (emitted[index + 1]?.inputCount === count) continue;
          while (applied < count) raw.apply((stream[applied++] as (typeof stream)[number]).event);
          expect(coalesced.snapshot()).toEqual(raw.snapshot());
        }
        expect(applied).toBe(stream.length);
        // Never more output than input, and never an output without new input.
        expect(emitted.length).toBeLessThanOrEqual(stream.length);
      }),
      { numRuns: 300 },
    );
  });
});

/** One OrderBook per instrument. */
class Books {
  private readonly books = new Map<string, OrderBook>();

  apply(event: BookEvent): void {
    const key = instrumentKey(event);
    let book = this.books.get(key);
    if (book === undefined) {
      book = new OrderBook();
      this.books.set(key, book);
    }
    book.applyEvent(event);
  }

  snapshot(): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (const [key, book] of this.books) if (!book.isEmpty) result[key] = book.toSnapshot();
    return result;
  }
}
