import { describe, expect, it } from 'vitest';
import { ChangeJournal } from './change-journal';

describe('ChangeJournal', () => {
  it('undoes the changes after a time, newest first, and reports the first undone update id', () => {
    const journal = new ChangeJournal();
    journal.record(10, 1, 100, 0);
    journal.record(20, 2, 100, 5);
    journal.record(20, 2, -101, 7);
    journal.record(30, 3, 100, 6);
    const undone: [number, number][] = [];
    expect(journal.rollBack(15, (key, lots) => undone.push([key, lots]))).toBe(2);
    expect(undone).toEqual([
      [100, 6],
      [-101, 7],
      [100, 5],
    ]);
    expect(journal.rollBack(30, () => undefined)).toBe(0);
  });

  it('knows which times it can still roll back to after pruning, across growth', () => {
    const journal = new ChangeJournal();
    for (let time = 0; time < 5000; time++) journal.record(time, time + 1, 1, time);
    journal.prune(4000);
    expect(journal.canRollBackTo(3999)).toBe(true);
    expect(journal.canRollBackTo(3998)).toBe(false);
    for (let time = 5000; time < 9000; time++) journal.record(time, time + 1, 1, time);
    let oldestUndone = 0;
    expect(journal.rollBack(3999, (_, lots) => (oldestUndone = lots))).toBe(4001);
    expect(oldestUndone).toBe(4000);
  });
});
