import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { concatMap, from, map, Subject, timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { batchTrades } from './batch-trades';

function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => {
    expect(actual).toEqual(expected);
  });
}

describe('batchTrades', () => {
  it('emits one batch per interval, opened by the first value', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot('  -abc------d-e--------|');
      const expected = '    ------x--------y-----|';
      expectObservable(source.pipe(batchTrades(5, undefined, scheduler))).toBe(expected, {
        x: ['a', 'b', 'c'],
        y: ['d', 'e'],
      });
      expectSubscriptions(source.subscriptions).toBe('^--------------------!');
    });
  });

  it('never emits an empty batch for a quiet interval', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, expectObservable }) => {
      const source = hot('  -a 30ms b 30ms |');
      const expected = '    -----x 30ms y 26ms |';
      expectObservable(source.pipe(batchTrades(4, undefined, scheduler))).toBe(expected, { x: ['a'], y: ['b'] });
    });
  });

  it('emits early, in order, when maxBatchSize is reached', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, expectObservable }) => {
      // a, b fill a batch at frame 2, c, d another at 4; e opens a new batch whose interval ends at 5 + 5.
      const source = hot('  -abcde-------|');
      const expected = '    --x-y-----z--|';
      expectObservable(source.pipe(batchTrades(5, 2, scheduler))).toBe(expected, {
        x: ['a', 'b'],
        y: ['c', 'd'],
        z: ['e'],
      });
    });
  });

  it('flushes the remainder on completion', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold('-ab|').pipe(batchTrades(10, undefined, scheduler))).toBe('---(x|)', { x: ['a', 'b'] });
      expectObservable(cold('---|').pipe(batchTrades(10, undefined, scheduler))).toBe('---|');
    });
  });

  it('flushes the remainder, then propagates an error', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const error = new Error('socket closed');
      const source = cold(' -ab#', undefined, error);
      expectObservable(source.pipe(batchTrades(10, undefined, scheduler))).toBe('---(x#)', { x: ['a', 'b'] }, error);
    });
  });

  it('cancels its timer and the source on unsubscribe', () => {
    const scheduler = testScheduler();
    const subject = new Subject<string>();
    const batches: string[][] = [];
    const subscription = subject.pipe(batchTrades(5, undefined, scheduler)).subscribe((batch) => batches.push(batch));
    subject.next('a');
    expect(scheduler.actions).toHaveLength(1);
    subscription.unsubscribe();
    expect(scheduler.actions).toHaveLength(0);
    expect(subject.observed).toBe(false);
    scheduler.flush();
    expect(batches).toEqual([]);
  });

  it('uses asyncScheduler by default (virtualized by TestScheduler.run)', () => {
    testScheduler().run(({ hot, expectObservable }) => {
      expectObservable(hot('-ab------|').pipe(batchTrades(3))).toBe('----x----|', { x: ['a', 'b'] });
    });
  });

  it('rejects bad arguments', () => {
    expect(() => batchTrades(-1)).toThrow(RangeError);
    expect(() => batchTrades(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => batchTrades(10, 0)).toThrow(RangeError);
    expect(() => batchTrades(10, 2.5)).toThrow(RangeError);
  });

  it('emits every input exactly once, in order, in bounded batches on time (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 12 }), { maxLength: 200 }), // gaps between inputs, in ms
        fc.integer({ min: 1, max: 10 }),
        fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
        (gaps, intervalMs, maxBatchSize) => {
          const scheduler = testScheduler();
          const arrivals: number[] = [];
          const batches: { at: number; values: number[] }[] = [];
          let completedAt = -1;
          scheduler.run(() => {
            from(gaps.map((gap, index) => ({ gap, index })))
              .pipe(
                concatMap(({ gap, index }) => timer(gap, scheduler).pipe(map(() => index))),
                map((index) => {
                  arrivals[index] = scheduler.now();
                  return index;
                }),
                batchTrades(intervalMs, maxBatchSize, scheduler),
              )
              .subscribe({
                next: (values) => batches.push({ at: scheduler.now(), values }),
                complete: () => (completedAt = scheduler.now()),
              });
          });
          const limit = maxBatchSize ?? Number.POSITIVE_INFINITY;
          expect(batches.flatMap((batch) => batch.values)).toEqual(gaps.map((_gap, index) => index));
          for (const { at, values } of batches) {
            const first = values[0] as number;
            const last = values.at(-1) as number;
            expect(values.length).toBeGreaterThan(0);
            expect(values.length).toBeLessThanOrEqual(limit);
            // A batch goes out when it is full, when its interval ends, or at completion: never later.
            const onTime =
              (values.length === limit && at === arrivals[last]) ||
              at === (arrivals[first] as number) + intervalMs ||
              at === completedAt;
            expect(onTime).toBe(true);
            expect(at).toBeLessThanOrEqual((arrivals[first] as number) + intervalMs);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
