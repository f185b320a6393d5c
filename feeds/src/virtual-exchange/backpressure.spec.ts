import { afterEach, describe, expect, it } from 'vitest';
import { binanceDialect } from './binance';
import type { FrameSource, VenueFrame } from './frame-source';
import { Harness } from './test-support/harness';

const harness = new Harness();
afterEach(() => harness.cleanup());

const STREAM = 'btcusdt@trade';
const PAD = 'x'.repeat(16 * 1024);

/** `count` 16 KiB frames, `spacingMicros` apart: enough to fill any socket buffer. */
function bulkSource(count: number, spacingMicros: number): FrameSource {
  return {
    venue: 'binance',
    async *frames(): AsyncGenerator<VenueFrame> {
      for (let i = 0; i < count; i++) {
        yield await Promise.resolve({
          time: 1_000_000 + i * spacingMicros,
          stream: STREAM,
          data: `{"e":"trade","t":${i},"pad":"${PAD}"}`,
        });
      }
    },
  };
}

describe('backpressure', () => {
  it("'close' drops a client that stops reading and keeps serving the others", async () => {
    const count = 1000;
    const exchange = await harness.exchange({
      dialect: binanceDialect(),
      source: bulkSource(count, 1000),
      speed: 1,
      backpressure: { policy: 'close', highWaterBytes: 512 * 1024 },
    });
    const healthy = await harness.client(exchange.url(`/ws/${STREAM}`));
    const stuck = await harness.client(exchange.url(`/ws/${STREAM}`));
    stuck.pause();
    exchange.start();
    await exchange.finished;
    await healthy.waitFor(() => healthy.messages.length >= count, 'every frame at the healthy client', 10_000);
    expect(healthy.messages).toHaveLength(count);
    expect(exchange.stats().slowClientsClosed).toBe(1);
    stuck.resume();
    const closed = await stuck.closed;
    expect(closed).toMatchObject({ code: 1008, reason: 'slow consumer' });
    expect(stuck.messages.length).toBeLessThan(count);
  });

  it("'pause' stops reading the source while a client is behind, then delivers everything", async () => {
    const count = 1500;
    const exchange = await harness.exchange({
      dialect: binanceDialect(),
      source: bulkSource(count, 1),
      speed: 'max',
      backpressure: { policy: 'pause', highWaterBytes: 256 * 1024, maxPauseMs: 60_000 },
    });
    const slow = await harness.client(exchange.url(`/ws/${STREAM}`));
    slow.pause();
    exchange.start();
    await new Promise((resolve) => setTimeout(resolve, 400));
    const published = exchange.stats().framesPublished;
    // Stuck behind the paused reader: the source is not drained into memory.
    expect(published).toBeLessThan(count);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(exchange.stats().framesPublished).toBe(published);
    slow.resume();
    await exchange.finished;
    await slow.waitFor(() => slow.messages.length >= count, 'every frame after resuming', 10_000);
    const ids = slow.texts().map((text) => (JSON.parse(text) as { t: number }).t);
    expect(ids).toEqual(ids.map((_, i) => i));
    expect(exchange.stats().slowClientsClosed).toBe(0);
  });

  it("'pause' gives up on a client stuck longer than maxPauseMs", async () => {
    const count = 1500;
    const exchange = await harness.exchange({
      dialect: binanceDialect(),
      source: bulkSource(count, 1),
      speed: 'max',
      backpressure: { policy: 'pause', highWaterBytes: 256 * 1024, maxPauseMs: 300 },
    });
    const stuck = await harness.client(exchange.url(`/ws/${STREAM}`));
    stuck.pause();
    exchange.start();
    await exchange.finished;
    expect(exchange.stats().framesPublished).toBe(count);
    expect(exchange.stats().slowClientsClosed).toBe(1);
    stuck.resume();
    expect((await stuck.closed).code).toBe(1008);
  });
});
