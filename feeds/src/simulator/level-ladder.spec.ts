import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LevelLadder } from './level-ladder';

/** Best-first [tick, lots] of a Map-based reference. */
function sorted(levels: Map<number, number>, isBid: boolean): [number, number][] {
  return [...levels].sort(([a], [b]) => (isBid ? b - a : a - b));
}

function contents(ladder: LevelLadder): [number, number][] {
  return Array.from({ length: ladder.count }, (_, depth): [number, number] => [
    ladder.tickAt(depth),
    ladder.lotsAt(depth),
  ]);
}

describe('LevelLadder', () => {
  it('keeps levels sorted best first under any writes, like a Map (property)', () => {
    // Writes cluster like the model's: at the touch, at the far end and anywhere in between.
    const write = fc.tuple(
      fc.integer({ min: 1, max: 400 }),
      fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1e12 })),
    );
    fc.assert(
      fc.property(fc.boolean(), fc.array(write, { maxLength: 600 }), (isBid, writes) => {
        const ladder = new LevelLadder(isBid);
        const reference = new Map<number, number>();
        for (const [tick, lots] of writes) {
          expect(ladder.set(tick, lots)).toBe(reference.get(tick) ?? 0);
          if (lots === 0) reference.delete(tick);
          else reference.set(tick, lots);
        }
        const expected = sorted(reference, isBid);
        expect(contents(ladder)).toEqual(expected);
        expect(ladder.count).toBe(reference.size);
        const [best] = expected;
        expect(ladder.bestTick()).toBe(best === undefined ? (isBid ? -Infinity : Infinity) : best[0]);
        expect(ladder.bestLots()).toBe(best?.[1] ?? 0);
        if (expected.length > 0) expect(ladder.worstTick()).toBe(expected[expected.length - 1]![0]);
        for (let tick = 0; tick <= 401; tick += 7) expect(ladder.lotsAtTick(tick)).toBe(reference.get(tick) ?? 0);
      }),
      { numRuns: 300 },
    );
  });

  it('grows past its initial capacity from either end', () => {
    const ladder = new LevelLadder(false);
    for (let tick = 1000; tick < 1300; tick++) ladder.set(tick, tick);
    for (let tick = 999; tick > 700; tick--) ladder.set(tick, tick);
    expect(ladder.count).toBe(599);
    expect(ladder.bestTick()).toBe(701);
    expect(ladder.worstTick()).toBe(1299);
    expect(contents(ladder).every(([tick, lots], depth) => tick === 701 + depth && lots === tick)).toBe(true);
  });
});
