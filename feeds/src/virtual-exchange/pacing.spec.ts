import { afterEach, describe, expect, it } from 'vitest';
import { binanceDialect } from './binance';
import { coinbaseDialect } from './coinbase';
import { Harness, sharedSource } from './test-support/harness';
import { recordedFrames, recordedTimedFrames } from './test-support/recorded-lines';

const SPOT_WS = 'binance/binance-spot-ws.ndjson';

const harness = new Harness();
afterEach(() => harness.cleanup());

describe('pacing on the shared timeline', () => {
  it('at speed N spreads the frames over the recorded span divided by N, in order', async () => {
    const speed = 40;
    const dialect = binanceDialect();
    const source = await sharedSource(dialect, [SPOT_WS]);
    const exchange = await harness.exchange({ dialect, source, speed });
    const recorded = recordedTimedFrames(SPOT_WS);
    const streams = [...new Set(recorded.map(({ frame }) => (JSON.parse(frame) as { stream: string }).stream))];
    const client = await harness.client(exchange.url(`/stream?streams=${streams.join('/')}`));
    const startedAt = performance.now();
    exchange.start();
    await exchange.finished;
    await client.waitFor(() => client.messages.length >= recorded.length, 'all frames');
    expect(client.texts()).toEqual(recorded.map(({ frame }) => frame));

    const recordedSpan = recorded.at(-1)!.ts - recorded[0]!.ts;
    const arrivalSpan = client.messages.at(-1)!.at - client.messages[0]!.at;
    expect(recordedSpan).toBeGreaterThan(29_000);
    // Never early: each frame arrives no sooner than its scaled recorded offset.
    for (let i = 0; i < recorded.length; i++) {
      const due = (recorded[i]!.ts - recorded[0]!.ts) / speed;
      expect(client.messages[i]!.at - startedAt).toBeGreaterThanOrEqual(due - 5);
    }
    expect(arrivalSpan).toBeGreaterThanOrEqual((recordedSpan / speed) * 0.95);
    // Generous upper bound: a loaded machine is slow, not this slow.
    expect(arrivalSpan).toBeLessThan((recordedSpan / speed) * 3 + 1000);
  });

  it("at 'max' sends a whole recording as fast as the socket drains", async () => {
    const dialect = coinbaseDialect({ heartbeatIntervalMs: 60_000 });
    const source = await sharedSource(dialect, ['coinbase/coinbase-exchange-ws.ndjson']);
    const exchange = await harness.exchange({ dialect, source, speed: 'max' });
    const client = await harness.client(exchange.url('/'));
    const products = [
      'SKL-USD',
      'SKL-BTC',
      'SKL-GBP',
      'BAND-GBP',
      'BAND-BTC',
      'NMR-EUR',
      'YFI-BTC',
      'DASH-BTC',
      'NU-GBP',
      'CRV-EUR',
    ];
    client.send({ type: 'subscribe', product_ids: products, channels: ['level2', 'ticker', 'matches'] });
    await client.waitFor(() => client.messages.length >= 1, 'subscriptions');
    const expected = recordedFrames('coinbase/coinbase-exchange-ws.ndjson').filter(
      (frame) => !frame.startsWith('{"type":"subscriptions"'),
    );
    const started = performance.now();
    exchange.start();
    await exchange.finished;
    await client.waitFor(() => client.messages.length >= 1 + expected.length, 'all 9943 frames', 20_000);
    const elapsed = performance.now() - started;
    expect(client.texts().slice(1)).toEqual(expected);
    // The recording spans 31 s; at 'max' it must take a small fraction of that.
    expect(elapsed).toBeLessThan(8000);
  });

  it('advances now() with the wall clock times the speed', async () => {
    const dialect = binanceDialect();
    const source = await sharedSource(dialect, [SPOT_WS]);
    const exchange = await harness.exchange({ dialect, source, speed: 10 });
    const start = source.startTime!;
    expect(exchange.now()).toBe(start);
    exchange.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const advanced = exchange.now() - start;
    expect(advanced).toBeGreaterThanOrEqual(300 * 10 * 1000 * 0.9);
    expect(advanced).toBeLessThan(300 * 10 * 1000 * 5);
  });
});
