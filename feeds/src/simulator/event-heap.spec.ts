import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventHeap } from './event-heap';

describe('EventHeap', () => {
  it('pops in time order, equal times by index (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 200 }),
        (initial, delays) => {
          const heap = new EventHeap(initial);
          const times = [...initial];
          for (const delay of delays) {
            // The reference: the smallest (time, index).
            let best = 0;
            for (let i = 1; i < times.length; i++) if (times[i]! < times[best]!) best = i;
            expect([heap.topTime, heap.topId]).toEqual([times[best], best]);
            times[best] = times[best]! + delay;
            heap.replaceTop(times[best]!);
          }
        },
      ),
    );
  });
});
