import { RateMeter } from './rate-meter';

describe('RateMeter', () => {
  it('averages complete seconds over its window and forgets old ones', () => {
    let now = 0;
    const meter = new RateMeter(2, () => now);
    meter.add(10);
    now = 1000;
    meter.add(20);
    now = 2000;
    expect(meter.perSecond()).toBe(15);
    now = 3000;
    expect(meter.perSecond()).toBe(10);
    now = 60_000;
    expect(meter.perSecond()).toBe(0);
  });
});
