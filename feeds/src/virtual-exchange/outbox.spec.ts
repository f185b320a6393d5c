import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { Outbox, type OutboxItem } from './outbox';
import { TimerSet } from './timer-set';

const timerSets: TimerSet[] = [];
afterEach(() => {
  for (const timers of timerSets.splice(0)) timers.clear();
});

function outbox(): { box: Outbox; written: (OutboxItem & { at: number })[] } {
  const written: (OutboxItem & { at: number })[] = [];
  const timers = new TimerSet();
  timerSets.push(timers);
  const box = new Outbox(
    (item) => written.push({ ...item, at: performance.now() }),
    timers,
    () => performance.now(),
  );
  return { box, written };
}

async function until(predicate: () => boolean): Promise<void> {
  const deadline = performance.now() + 2000;
  while (!predicate() && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 2));
}

describe('Outbox', () => {
  it('writes at once when nothing is held', () => {
    const { box, written } = outbox();
    box.push('a', 'reply', undefined);
    box.push('b', 'data', 's');
    expect(written.map((item) => item.text)).toEqual(['a', 'b']);
    expect(box.pendingFrames).toBe(0);
  });

  it('keeps order behind a delayed frame, as one TCP stream would', async () => {
    const { box, written } = outbox();
    const start = performance.now();
    box.push('first', 'data', 's');
    box.push('late', 'data', 's', 60);
    box.push('behind', 'data', 's');
    expect(written.map((item) => item.text)).toEqual(['first']);
    expect(box.pendingBytes).toBe('late'.length + 'behind'.length);
    await until(() => written.length === 3);
    expect(written.map((item) => item.text)).toEqual(['first', 'late', 'behind']);
    expect(written[1]!.at - start).toBeGreaterThanOrEqual(59);
  });

  it('holds everything during a stall; with discard it drops data but keeps replies', async () => {
    const { box, written } = outbox();
    box.hold(performance.now() + 50, true);
    expect(box.held).toBe(true);
    expect(box.push('lost', 'data', 's')).toBe(false);
    expect(box.push('ack', 'reply', undefined)).toBe(true);
    expect(written).toEqual([]);
    await until(() => written.length === 1);
    expect(written.map((item) => item.text)).toEqual(['ack']);
    box.push('after', 'data', 's');
    expect(written.map((item) => item.text)).toEqual(['ack', 'after']);
  });

  it('clear drops what is queued and cancels its timer', async () => {
    const { box, written } = outbox();
    box.push('late', 'data', 's', 20);
    box.clear();
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(written).toEqual([]);
    expect(box.pendingBytes).toBe(0);
  });
});
