import { describe, expect, it } from 'vitest';
import type { VenueFrame } from '../virtual-exchange/frame-source';
import { DEPTH_INTERVAL_MICROS } from './market-simulation';
import { createSimulatedVenue, type SimulatedVenue } from './simulated-venue';
import { canonicalLevels, ReplayViolation, restDepth, SymbolReplay } from './test-support/binance-replay';

/** Replays `count` frames (then up to the next depth boundary) into one checked client book per symbol. */
function replay(venue: SimulatedVenue, count: number): { replays: Map<string, SymbolReplay>; end: number } {
  const start = venue.config.startTime;
  const replays = new Map(
    venue.symbols.map((spec) => [
      spec.symbol,
      new SymbolReplay(spec.symbol, restDepth(venue, spec.symbol, start), spec.tickSize, spec.lotSize),
    ]),
  );
  let seen = 0;
  let previousTime = start;
  let end = Infinity;
  for (const frame of venue.framesSync()) {
    // Stop at a depth boundary, so every event before it is in a depth update we applied.
    if (frame.time > end) break;
    expect(frame.time).toBeGreaterThanOrEqual(previousTime);
    previousTime = frame.time;
    const symbol = venue.symbols.find((spec) => frame.stream.startsWith(`${spec.streamSymbol}@`))?.symbol;
    const target = symbol === undefined ? undefined : replays.get(symbol);
    if (target === undefined) throw new ReplayViolation(`frame of no configured symbol: ${frame.stream}`);
    target.apply(frame);
    if (++seen === count) end = (Math.floor(frame.time / DEPTH_INTERVAL_MICROS) + 1) * DEPTH_INTERVAL_MICROS;
  }
  return { replays, end };
}

describe('simulated venue invariants (frames replayed into OrderBook like a Binance client)', () => {
  it(
    'keeps a valid, uncrossed book with contiguous update ids over 50k frames of 5 symbols',
    { timeout: 60_000 },
    () => {
      const venue = createSimulatedVenue({
        seed: 42,
        messagesPerSecond: 3000,
        bookLevels: 60,
        generatedSymbols: 3,
      });
      const { replays, end } = replay(venue, 50_000);

      for (const [symbol, client] of replays) {
        // Every symbol took part: depth, trades and bookTicker all flowed.
        expect(client.depthUpdates, symbol).toBeGreaterThan(100);
        expect(client.trades, symbol).toBeGreaterThan(100);
        expect(client.tickers, symbol).toBeGreaterThan(100);
        // The client's book equals the venue's book as of the last applied update, level for level.
        const snapshot = restDepth(venue, symbol, end - 1);
        expect(snapshot.lastUpdateId, symbol).toBe(client.lastUpdateId);
        expect(client.book.toSnapshot(), symbol).toEqual({
          bids: canonicalLevels(snapshot.bids),
          asks: canonicalLevels(snapshot.asks),
        });
        expect(client.book.levelCount('bid'), symbol).toBeLessThanOrEqual(60);
      }
    },
  );

  it('holds under pinned volatile markets with a deep book', { timeout: 60_000 }, () => {
    const venue = createSimulatedVenue({ seed: 9, volatility: 'volatile', bookLevels: 500, messagesPerSecond: 5000 });
    const { replays } = replay(venue, 20_000);
    for (const client of replays.values()) expect(client.trades).toBeGreaterThan(500);
  });

  it('detects a corrupted frame (the checker can fail)', () => {
    const venue = createSimulatedVenue({ seed: 42 });
    const btc = venue.symbols[0]!;
    const client = new SymbolReplay(
      btc.symbol,
      restDepth(venue, btc.symbol, venue.config.startTime),
      '0.01',
      '0.00001',
    );
    let depthUpdates = 0;
    for (const frame of venue.framesSync()) {
      if (!frame.stream.startsWith('btcusdt@')) continue;
      if (frame.stream === 'btcusdt@depth@100ms' && ++depthUpdates === 2) {
        // Skipping an update id breaks U = previous u + 1.
        const gap: VenueFrame = {
          ...frame,
          data: frame.data.replace(/"U":(\d+)/, (_, u: string) => `"U":${Number(u) + 1}`),
        };
        expect(() => client.apply(gap)).toThrow(/does not follow/);
        // A price off the tick grid.
        const offGrid: VenueFrame = { ...frame, data: frame.data.replace(/\["(\d+\.\d\d)000000"/, '["$1500000"') };
        expect(() => client.apply(offGrid)).toThrow(/off the tick grid/);
        client.apply(frame);
        break;
      }
      client.apply(frame);
    }
    expect(client.depthUpdates).toBe(2);
  });
});
