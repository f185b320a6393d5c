import { afterEach, describe, expect, it } from 'vitest';
import { binanceDialect } from './binance';
import { Harness, sharedSource } from './test-support/harness';

const SPOT_WS = 'binance/binance-spot-ws.ndjson';
const STREAM = 'nknusdt@depth@100ms';

const harness = new Harness();
afterEach(() => harness.cleanup());

describe('Binance dialect: serverShutdown notice', () => {
  it('announces the shutdown on the selected connection, then closes it after the grace period', async () => {
    const dialect = binanceDialect({ serverShutdown: { afterMs: 100, graceMs: 300, connections: [1] } });
    const source = await sharedSource(dialect, [SPOT_WS]);
    const exchange = await harness.exchange({ dialect, source, speed: 30 });
    const opened = performance.now();
    const first = await harness.client(exchange.url(`/stream?streams=${STREAM}`));
    const second = await harness.client(exchange.url(`/stream?streams=${STREAM}`));
    exchange.start();
    const notice = await first.next((text) => text.includes('serverShutdown'), 'the shutdown notice');
    expect(JSON.parse(notice.text)).toEqual({ e: 'serverShutdown', E: expect.any(Number) as unknown });
    expect(notice.at - opened).toBeGreaterThanOrEqual(95);
    // Data keeps flowing during the grace period.
    await first.next((text) => text.includes('depthUpdate'), 'a diff after the notice', first.messages.indexOf(notice));
    const closed = await first.closed;
    expect(closed).toMatchObject({ code: 1001, reason: 'Server shutdown' });
    expect(closed.at - notice.at).toBeGreaterThanOrEqual(290);
    expect(second.isClosed).toBe(false);
    expect(second.texts().some((text) => text.includes('serverShutdown'))).toBe(false);
  });

  it('refuses a notice that cannot work', () => {
    expect(() => binanceDialect({ serverShutdown: { afterMs: -1, graceMs: 10 } })).toThrow(RangeError);
    expect(() => binanceDialect({ serverShutdown: { afterMs: 0, graceMs: 0 } })).toThrow(RangeError);
  });
});
