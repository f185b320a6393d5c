import { describe, expect, it } from 'vitest';
import type { VolatilityMode } from './regimes';
import { createSimulatedVenue } from './simulated-venue';

const BTC = { symbol: 'BTCUSDT', tickSize: '0.01', lotSize: '0.00001', startPrice: '60000' };

/**
 * How far the BTCUSDT mid moved each simulated second, in ticks, read from the bookTicker stream
 * only (what a client sees).
 */
function secondMoves(volatility: VolatilityMode, seconds: number, seed = 1): number[] {
  const venue = createSimulatedVenue({ seed, volatility, symbols: [BTC], messagesPerSecond: 100 });
  const start = venue.config.startTime;
  const midAtSecond = new Array<number | undefined>(seconds).fill(undefined);
  for (const frame of venue.framesSync()) {
    const second = Math.floor((frame.time - start) / 1_000_000);
    if (second >= seconds) break;
    if (!frame.stream.endsWith('@bookTicker')) continue;
    const ticker = JSON.parse(frame.data) as { b: string; a: string };
    // Sum of bid and ask in ticks: twice the mid, exact as integers.
    midAtSecond[second] = Math.round(Number(ticker.b) * 100) + Math.round(Number(ticker.a) * 100);
  }
  let mid = 2 * 6_000_000;
  return midAtSecond.map((next) => {
    const move = Math.abs((next ?? mid) - mid) / 2;
    mid = next ?? mid;
    return move;
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Mean move per 10 s window: 90th over 10th percentile across windows. */
function windowSpread(moves: readonly number[]): number {
  const windows: number[] = [];
  for (let i = 0; i + 10 <= moves.length; i += 10) windows.push(moves.slice(i, i + 10).reduce((a, b) => a + b) / 10);
  windows.sort((a, b) => a - b);
  const p10 = windows[Math.floor(0.1 * (windows.length - 1))] ?? 0;
  const p90 = windows[Math.floor(0.9 * (windows.length - 1))] ?? 0;
  return p90 / p10;
}

describe('volatility regimes', () => {
  it('move the price by clearly different steps: calm < normal < volatile', { timeout: 60_000 }, () => {
    const calm = median(secondMoves('calm', 120));
    const normal = median(secondMoves('normal', 120));
    const volatile = median(secondMoves('volatile', 120));
    // Measured over seeds 1-4: calm about 24 ticks/s, normal 76, volatile 240.
    expect(normal / calm).toBeGreaterThan(2);
    expect(volatile / normal).toBeGreaterThan(2);
  });

  it('switch during a run: its volatility varies far more than a pinned regime does', { timeout: 60_000 }, () => {
    // Measured over seeds 1-6 at this rate: switching runs give 4.2 to 11.3, pinned ones 1.8 to 2.1.
    const switching = windowSpread(secondMoves('switching', 900, 2));
    const pinned = windowSpread(secondMoves('normal', 900, 2));
    expect(switching).toBeGreaterThan(3.5);
    expect(pinned).toBeLessThan(2.5);
  });
});
