import { afterEach, describe, expect, it } from 'vitest';
import { BinanceAdapter } from '../adapters/binance/binance-adapter';
import type { UpstreamSubscription } from '../adapters/venue-adapter';
import { createSimulatedVenue } from '../simulator';
import { binanceDialect } from '../virtual-exchange/binance';
import { createVirtualExchange, type VirtualExchange } from '../virtual-exchange/exchange';
import { streamName } from '../adapters/binance/binance-symbols';
import { UpstreamPool } from './upstream-pool';

async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A deterministic pseudo-random sequence for the churn (the test must be repeatable). */
function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

describe('UpstreamPool against the simulated venue', () => {
  let exchange: VirtualExchange | undefined;
  let pool: UpstreamPool | undefined;
  afterEach(async () => {
    await pool?.stop();
    await exchange?.close();
  });

  it('after churn the venue holds exactly the wanted streams, spread within the per-connection limit', async () => {
    exchange = await createVirtualExchange({
      dialect: binanceDialect({ market: 'spot' }),
      source: createSimulatedVenue({ seed: 3, generatedSymbols: 10, messagesPerSecond: 500 }),
      startOn: 'manual',
    });
    exchange.start();
    const base = exchange.url('').replace(/\/$/, '');
    const adapter = new BinanceAdapter({
      venue: 'binance',
      wsBase: base,
      restBase: exchange.httpUrl('/api/v3'),
      maxSubscriptionsPerConnection: 6,
    });
    pool = new UpstreamPool({ adapter, onEvent: () => undefined, requestSpacingMs: 50 });
    const symbols = Array.from({ length: 10 }, (_, i) => `SIM${String(i + 1).padStart(3, '0')}-USDT`);
    const all: UpstreamSubscription[] = symbols.flatMap((symbol) =>
      (['book', 'trades', 'bbo'] as const).map((channel) => ({ symbol, channel })),
    );
    const random = lcg(42);
    const wanted = new Map<string, UpstreamSubscription>();
    const churn = (rounds: number): void => {
      for (let round = 0; round < rounds; round++) {
        const batch = all.filter(() => random() < 0.15);
        if (random() < 0.55) {
          pool!.subscribe(batch);
          for (const s of batch) wanted.set(`${s.channel} ${s.symbol}`, s);
        } else {
          pool!.unsubscribe(batch);
          for (const s of batch) wanted.delete(`${s.channel} ${s.symbol}`);
        }
      }
    };
    // Churn while connections are still opening, then again on live connections (rate-limited sends).
    churn(40);
    await until(() => pool!.connections.length > 0 && pool!.connections.every((c) => c.isOpen));
    churn(20);
    const expected = [...wanted.values()].map((s) => streamName(s.symbol.replace('-', ''), s.channel, 'trade')).sort();
    const venueStreams = (): string[] => [...exchange!.subscriptions().values()].flat().sort();
    expect(expected.length).toBeGreaterThan(5);
    await until(() => JSON.stringify(venueStreams()) === JSON.stringify(expected));
    expect(pool.subscriptions).toHaveLength(wanted.size);
    for (const streams of exchange.subscriptions().values()) expect(streams.length).toBeLessThanOrEqual(6);
    // No idle socket: every open connection carries at least one stream.
    await until(() => [...exchange!.subscriptions().values()].every((streams) => streams.length > 0));
    expect(exchange.subscriptions().size).toBe(pool.connections.length);

    pool.unsubscribe(all);
    await until(() => exchange!.stats().connectionsOpen === 0);
    expect(pool.connections).toHaveLength(0);
  }, 60_000);
});
