import { describe, expect, it } from 'vitest';
import { Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { latestByKey } from './latest-by-key';

interface Quote {
  readonly symbol: string;
  readonly bid: string;
}

const values: Record<string, Quote> = {
  a: { symbol: 'BTC-USDT', bid: '100' },
  A: { symbol: 'BTC-USDT', bid: '101' },
  á: { symbol: 'BTC-USDT', bid: '102' },
  b: { symbol: 'ETH-USDT', bid: '3000' },
  B: { symbol: 'ETH-USDT', bid: '3001' },
  c: { symbol: 'SOL-USDT', bid: '150' },
};
const keyOf = (quote: Quote): string => quote.symbol;

function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => {
    expect(actual).toEqual(expected);
  });
}

describe('latestByKey', () => {
  it('emits the latest value per key at the end of the window, keys in first-arrival order', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      // Window of 5 opens at frame 1 (a) and flushes at 6: BTC first (overwritten by A, then á), ETH, SOL.
      const source = hot('  -abAcá-------|', values);
      const expected = '    ------(ábc)--|';
      expectObservable(source.pipe(latestByKey(keyOf, 5, scheduler))).toBe(expected, values);
      expectSubscriptions(source.subscriptions).toBe('^------------!');
    });
  });

  it('emits nothing for quiet windows and opens a new window with the next value', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, expectObservable }) => {
      // Windows [1, 6) and [25, 30); nothing in between, nothing after.
      const source = hot('  -a--A 20ms b-B--- 20ms |', values);
      const expected = '    ------A 19ms ----B 20ms |';
      expectObservable(source.pipe(latestByKey(keyOf, 5, scheduler))).toBe(expected, values);
    });
  });

  it('keeps the order of first arrival per window, not across windows', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, expectObservable }) => {
      const source = hot('  -ab------ba-----|', values);
      const expected = '    ---(ab)----(ba)-|';
      expectObservable(source.pipe(latestByKey(keyOf, 2, scheduler))).toBe(expected, values);
    });
  });

  it('flushes pending values on completion', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold(' -aAb|', values);
      const expected = '    ----(Ab|)';
      expectObservable(source.pipe(latestByKey(keyOf, 10, scheduler))).toBe(expected, values);
    });
  });

  it('flushes pending values, then propagates an error', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold(' -ab#', values, new Error('feed down'));
      const expected = '    ---(ab#)';
      expectObservable(source.pipe(latestByKey(keyOf, 10, scheduler))).toBe(expected, values, new Error('feed down'));
    });
  });

  it('errors when keyOf throws', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const failing = (quote: Quote): string => {
        if (quote.symbol === 'SOL-USDT') throw new Error('no key');
        return quote.symbol;
      };
      const source = cold(' -a-c-b|', values);
      // What arrived before the failure is still emitted.
      expectObservable(source.pipe(latestByKey(failing, 10, scheduler))).toBe('---(a#)', values, new Error('no key'));
    });
  });

  it('cancels the window timer and the source on unsubscribe', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot('  -a-b-----|', values);
      expectObservable(source.pipe(latestByKey(keyOf, 5, scheduler)), '^---!').toBe('-----', values);
      expectSubscriptions(source.subscriptions).toBe('^---!');
    });
  });

  it('holds a timer only while a window is open, and drops it on unsubscribe', () => {
    const scheduler = testScheduler();
    const subject = new Subject<Quote>();
    const seen: Quote[] = [];
    const subscription = subject.pipe(latestByKey(keyOf, 5, scheduler)).subscribe((quote) => seen.push(quote));
    expect(scheduler.actions).toHaveLength(0);
    subject.next(values['a'] as Quote);
    subject.next(values['b'] as Quote);
    expect(scheduler.actions).toHaveLength(1); // one timer per window, not per value
    scheduler.flush();
    expect(seen).toEqual([values['a'], values['b']]);
    expect(scheduler.actions).toHaveLength(0);
    subject.next(values['c'] as Quote);
    subscription.unsubscribe();
    expect(scheduler.actions).toHaveLength(0);
    expect(subject.observed).toBe(false);
    scheduler.flush();
    expect(seen).toHaveLength(2);
  });

  it('uses asyncScheduler by default (virtualized by TestScheduler.run)', () => {
    testScheduler().run(({ hot, expectObservable }) => {
      const source = hot('  -ab-------|', values);
      expectObservable(source.pipe(latestByKey(keyOf, 3))).toBe('----(ab)--|', values);
    });
  });

  it('rejects a negative or non-finite window', () => {
    expect(() => latestByKey(keyOf, -1)).toThrow(RangeError);
    expect(() => latestByKey(keyOf, Number.NaN)).toThrow(RangeError);
  });

  it('puts a value pushed back during a flush into the next window', () => {
    const scheduler = testScheduler();
    const subject = new Subject<Quote>();
    const seen: string[] = [];
    subject.pipe(latestByKey(keyOf, 5, scheduler)).subscribe((quote) => {
      seen.push(quote.bid);
      if (quote === values['a']) subject.next(values['A'] as Quote); // same key, while its window is emitting
    });
    subject.next(values['a'] as Quote);
    subject.next(values['b'] as Quote);
    scheduler.flush();
    expect(seen).toEqual(['100', '3000', '101']);
  });
});
