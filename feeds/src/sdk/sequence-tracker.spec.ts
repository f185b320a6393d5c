import { describe, expect, it } from 'vitest';
import { SequenceTracker } from './sequence-tracker';

describe('SequenceTracker', () => {
  it('applies consecutive updates after a snapshot, whatever seq the snapshot starts at', () => {
    const tracker = new SequenceTracker();
    tracker.acknowledged();
    expect(tracker.snapshot(41)).toBe(false);
    expect([tracker.update(42), tracker.update(43)]).toEqual(['apply', 'apply']);
    expect(tracker.lastSeq).toBe(43);
  });

  it('reports a gap once, then ignores updates until the fresh snapshot, which ends the resync', () => {
    const tracker = new SequenceTracker();
    tracker.acknowledged();
    tracker.snapshot(0);
    expect(tracker.update(2)).toBe('gap');
    expect(tracker.update(3)).toBe('ignore');
    tracker.subscribing();
    tracker.acknowledged();
    expect(tracker.update(4)).toBe('ignore');
    expect(tracker.snapshot(10)).toBe(true);
    expect(tracker.update(11)).toBe('apply');
  });

  it('ignores updates before the subscribe is acknowledged (in flight from an earlier subscription)', () => {
    const tracker = new SequenceTracker();
    expect(tracker.update(7)).toBe('ignore');
    tracker.acknowledged();
    expect(tracker.update(8)).toBe('gap');
  });

  it('accepts a snapshot that comes before the ack and stays live through the ack', () => {
    const tracker = new SequenceTracker();
    tracker.snapshot(3);
    tracker.acknowledged();
    expect(tracker.update(4)).toBe('apply');
  });

  it('takes a repeated or older seq as a gap', () => {
    const tracker = new SequenceTracker();
    tracker.acknowledged();
    tracker.snapshot(5);
    expect(tracker.update(5)).toBe('gap');
    tracker.snapshot(5);
    expect(tracker.update(4)).toBe('gap');
  });

  it('starts over on a new connection, keeping a pending resync pending', () => {
    const tracker = new SequenceTracker();
    tracker.acknowledged();
    tracker.snapshot(0);
    tracker.reset();
    expect(tracker.lastSeq).toBeUndefined();
    expect(tracker.update(1)).toBe('ignore');
    tracker.acknowledged();
    tracker.snapshot(9);
    expect(tracker.update(1)).toBe('gap');
    tracker.reset();
    tracker.acknowledged();
    expect(tracker.update(1)).toBe('ignore');
    expect(tracker.snapshot(20)).toBe(true);
  });
});
