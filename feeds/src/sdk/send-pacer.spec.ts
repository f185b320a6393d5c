import { describe, expect, it } from 'vitest';
import { SendPacer } from './send-pacer';
import { ManualClock } from './test-support/manual-clock';

function pacer(perSecond: number, burst: number): { clock: ManualClock; sent: [string, number][]; pacer: SendPacer } {
  const clock = new ManualClock();
  const sent: [string, number][] = [];
  return {
    clock,
    sent,
    pacer: new SendPacer({ perSecond, burst }, clock.now, clock, (text) => sent.push([text, clock.now()])),
  };
}

describe('SendPacer', () => {
  it('sends a burst at once, then one message per 1/rate seconds, in order', () => {
    const { clock, sent, pacer: p } = pacer(4, 3);
    for (const text of ['a', 'b', 'c', 'd', 'e', 'f']) p.send(text);
    expect(sent).toEqual([
      ['a', 0],
      ['b', 0],
      ['c', 0],
    ]);
    expect(p.waiting).toBe(3);
    clock.advance(1000);
    expect(sent.slice(3)).toEqual([
      ['d', 250],
      ['e', 500],
      ['f', 750],
    ]);
    expect(clock.pending).toBe(0);
  });

  it('refills while idle, up to the burst', () => {
    const { clock, sent, pacer: p } = pacer(10, 2);
    p.send('a');
    p.send('b');
    clock.advance(10_000);
    for (const text of ['c', 'd', 'e']) p.send(text);
    expect(sent.map(([text]) => text)).toEqual(['a', 'b', 'c', 'd']);
    clock.advance(100);
    expect(sent.at(-1)).toEqual(['e', 10_100]);
  });

  it('runs the callback when the message is written', () => {
    const { clock, pacer: p } = pacer(1, 1);
    const written: number[] = [];
    p.send('a', () => written.push(clock.now()));
    p.send('b', () => written.push(clock.now()));
    clock.advance(1000);
    expect(written).toEqual([0, 1000]);
  });

  it('drops what waits on reset and starts again with a full bucket', () => {
    const { clock, sent, pacer: p } = pacer(1, 1);
    p.send('a');
    p.send('b');
    p.reset();
    expect(clock.pending).toBe(0);
    p.send('c');
    clock.advance(5000);
    expect(sent.map(([text]) => text)).toEqual(['a', 'c']);
  });
});
