import { describe, expect, it } from 'vitest';
import type { SimulatedVenueOptions } from './options';
import { createSimulatedVenue } from './simulated-venue';

/** Frames per simulated second over the first `seconds` seconds. */
function framesPerSecond(options: SimulatedVenueOptions, seconds: number): number[] {
  const venue = createSimulatedVenue(options);
  const counts = new Array<number>(seconds).fill(0);
  for (const frame of venue.framesSync()) {
    const second = Math.floor((frame.time - venue.config.startTime) / 1_000_000);
    if (second >= seconds) break;
    counts[second]! += 1;
  }
  return counts;
}

describe('message rate on the simulated clock', () => {
  it.each([
    [{ messagesPerSecond: 2000 }, 60],
    [{ messagesPerSecond: 5000, generatedSymbols: 10, seed: 3 }, 30],
    [{ messagesPerSecond: 300, symbols: [], generatedSymbols: 4, volatility: 'volatile' as const }, 60],
  ])('meets %j per simulated second (%i s)', { timeout: 60_000 }, (options, seconds) => {
    const counts = framesPerSecond(options, seconds);
    const target = options.messagesPerSecond;
    const total = counts.reduce((sum, count) => sum + count, 0);
    // The long-run rate is the target (integral control), within 2 %.
    expect(Math.abs(total / seconds / target - 1)).toBeLessThan(0.02);
    // Each second is close to it: Poisson events and bursts of trades leave some noise.
    const deviations = counts.map((count) => Math.abs(count / target - 1)).sort((a, b) => a - b);
    expect(deviations[Math.floor(0.9 * seconds)]).toBeLessThan(0.2);
    expect(deviations[seconds - 1]).toBeLessThan(0.5);
  });

  it('scales with the configured rate', { timeout: 60_000 }, () => {
    const slow = framesPerSecond({ messagesPerSecond: 100 }, 20).reduce((sum, count) => sum + count, 0);
    const fast = framesPerSecond({ messagesPerSecond: 10_000 }, 20).reduce((sum, count) => sum + count, 0);
    expect(fast / slow).toBeGreaterThan(90);
    expect(fast / slow).toBeLessThan(110);
  });
});
