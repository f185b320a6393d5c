import { RingBuffer } from './ring-buffer';

describe('RingBuffer', () => {
  it('keeps the newest items up to its capacity, newest first', () => {
    const ring = new RingBuffer<number>(3);
    expect(ring.newest(0)).toBeUndefined();
    for (const value of [1, 2, 3, 4, 5]) ring.push(value);
    expect(ring.size).toBe(3);
    expect(ring.toArray()).toEqual([5, 4, 3]);
    expect(ring.newest(2)).toBe(3);
    expect(ring.newest(3)).toBeUndefined();
    expect(ring.newest(-1)).toBeUndefined();
    expect(ring.totalPushed).toBe(5);
  });

  it('pushAll keeps only what fits and counts what it skipped', () => {
    const ring = new RingBuffer<number>(4);
    ring.push(0);
    ring.pushAll([1, 2, 3, 4, 5, 6, 7]);
    expect(ring.toArray()).toEqual([7, 6, 5, 4]);
    expect(ring.totalPushed).toBe(8);
    expect(ring.toArray(2)).toEqual([7, 6]);
  });

  it('memory stays bounded however much is pushed', () => {
    const ring = new RingBuffer<{ id: number }>(100);
    for (let id = 0; id < 100_000; id++) ring.push({ id });
    expect(ring.size).toBe(100);
    expect(ring.newest(0)?.id).toBe(99_999);
    expect(ring.newest(99)?.id).toBe(99_900);
  });

  it('clears', () => {
    const ring = new RingBuffer<string>(2);
    ring.push('a');
    ring.clear();
    expect(ring.size).toBe(0);
    expect(ring.toArray()).toEqual([]);
    ring.push('b');
    expect(ring.toArray()).toEqual(['b']);
  });

  it('refuses a capacity below 1', () => {
    expect(() => new RingBuffer(0)).toThrow(RangeError);
    expect(() => new RingBuffer(1.5)).toThrow(RangeError);
  });
});
