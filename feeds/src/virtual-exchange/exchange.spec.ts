import { afterEach, describe, expect, it } from 'vitest';
import { binanceDialect } from './binance';
import type { Dialect } from './dialect';
import { createVirtualExchange } from './exchange';
import type { FrameSource } from './frame-source';
import { okxDialect } from './okx';
import { Harness, sharedSource } from './test-support/harness';

const harness = new Harness();
afterEach(() => harness.cleanup());

const SPOT_WS = 'binance/binance-spot-ws.ndjson';

/** A dialect whose sessions throw on every client message: the exchange must contain it. */
function throwingDialect(): Dialect {
  return {
    venue: 'broken',
    classifyRecorded: () => ({ kind: 'control' }),
    acceptsPath: () => true,
    openSession: () => ({
      open: () => undefined,
      render: (frame) => frame.data,
      message: () => {
        throw new Error('dialect bug');
      },
    }),
  };
}

const emptySource: FrameSource = {
  venue: 'broken',
  // eslint-disable-next-line require-yield -- a source with no frames at all
  async *frames() {
    await Promise.resolve();
  },
};

describe('virtual exchange server', () => {
  it('binds loopback only', async () => {
    const dialect = binanceDialect();
    await expect(createVirtualExchange({ dialect, source: emptySource, host: '0.0.0.0' })).rejects.toThrow(RangeError);
    const exchange = await harness.exchange({ dialect, source: emptySource });
    expect(exchange.url('/ws')).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/ws$/);
    expect(exchange.port).toBeGreaterThan(0);
  });

  it('closes a connection whose dialect throws with 1011, counts it, and keeps serving others', async () => {
    const exchange = await harness.exchange({ dialect: throwingDialect(), source: emptySource });
    const victim = await harness.client(exchange.url('/'));
    const bystander = await harness.client(exchange.url('/'));
    victim.send('anything');
    expect((await victim.closed).code).toBe(1011);
    expect(exchange.stats().sessionErrors).toBe(1);
    expect(bystander.isClosed).toBe(false);
  });

  it('closes a client whose message exceeds maxPayload with 1009', async () => {
    const dialect = binanceDialect();
    const exchange = await harness.exchange({ dialect, source: emptySource, maxPayload: 1024 });
    const client = await harness.client(exchange.url('/ws'));
    client.send(`{"method":"SUBSCRIBE","params":["${'a'.repeat(2000)}"],"id":1}`);
    expect((await client.closed).code).toBe(1009);
    const next = await harness.client(exchange.url('/ws'));
    next.send({ method: 'LIST_SUBSCRIPTIONS', id: 1 });
    await next.next((text) => text === '{"result":[],"id":1}', 'a reply on a fresh connection');
  });

  it("startOn 'connection' starts the timeline with the first accepted WebSocket", async () => {
    const dialect = binanceDialect();
    const source = await sharedSource(dialect, [SPOT_WS]);
    const exchange = await harness.exchange({ dialect, source, speed: 'max', startOn: 'connection' });
    expect(exchange.stats().timeline).toBe('idle');
    const client = await harness.client(exchange.url('/stream?streams=nknusdt@depth@100ms'));
    await exchange.finished;
    expect(exchange.stats().timeline).toBe('finished');
    expect(exchange.stats().framesPublished).toBe(265);
    await client.waitFor(() => client.messages.length > 0, 'frames');
  });

  it("startOn 'subscription' waits for the first subscribed stream", async () => {
    const dialect = okxDialect();
    const source = await sharedSource(dialect, ['okx/okx-v5-public.ndjson']);
    const exchange = await harness.exchange({ dialect, source, speed: 'max', startOn: 'subscription' });
    const client = await harness.client(exchange.url('/ws/v5/public'));
    client.send('ping');
    await client.next((text) => text === 'pong', 'pong');
    expect(exchange.stats().timeline).toBe('idle');
    client.send({ op: 'subscribe', args: [{ channel: 'tickers', instId: 'BTC-USDT' }] });
    await exchange.finished;
    // Subscribed before the first frame was published: every recorded ticker arrives.
    await client.waitFor(() => client.texts().filter((text) => text.startsWith('{"arg"')).length >= 1, 'tickers');
    expect(exchange.stats().framesSent['tickers:BTC-USDT']).toBeGreaterThan(0);
  });

  it('answers unknown HTTP paths with 404 and counts requests', async () => {
    const dialect = binanceDialect();
    const exchange = await harness.exchange({ dialect, source: emptySource });
    const response = await fetch(exchange.httpUrl('/api/v3/ticker'));
    expect(response.status).toBe(404);
    await response.text();
    expect(exchange.stats().httpRequests).toBe(1);
  });

  it('reports a failing source through finished', async () => {
    const failing: FrameSource = {
      venue: 'binance',
      // eslint-disable-next-line require-yield -- fails before its first frame
      async *frames() {
        await Promise.resolve();
        throw new Error('disk on fire');
      },
    };
    const exchange = await harness.exchange({ dialect: binanceDialect(), source: failing });
    exchange.start();
    await expect(exchange.finished).rejects.toThrow('disk on fire');
    expect(exchange.stats().timeline).toBe('failed');
  });
});
