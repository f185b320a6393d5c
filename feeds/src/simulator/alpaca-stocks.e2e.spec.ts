import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { AlpacaAdapter } from '../adapters/alpaca/alpaca-adapter';
import { AlpacaCredentials } from '../adapters/alpaca/alpaca-credentials';
import type { UpstreamSubscription } from '../adapters/venue-adapter';
import type { MarketEvent } from '../model/events';
import type { NormalizedSymbol } from '../model/instrument';
import { UpstreamConnection } from '../upstream/upstream-connection';
import { ALPACA_DEFAULT_KEY, ALPACA_DEFAULT_SECRET, alpacaDialect } from '../virtual-exchange/alpaca';
import { createVirtualExchange, type VirtualExchange } from '../virtual-exchange/exchange';
import { createSimulatedStocks } from './alpaca-stocks';

const AAPL = 'AAPL-USD' as NormalizedSymbol;
const TICKERS = ['AAPL', 'MSFT', 'NVDA', 'SPY'];
const SUBSCRIPTIONS: UpstreamSubscription[] = TICKERS.flatMap((ticker) => [
  { symbol: `${ticker}-USD`, channel: 'trades' },
  { symbol: `${ticker}-USD`, channel: 'bbo' },
]);

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe('simulated stocks through the virtual exchange and the Alpaca adapter', () => {
  it('the connection manager receives AAPL trades, bbo and trading halts', async () => {
    const exchange: VirtualExchange = await createVirtualExchange({
      dialect: alpacaDialect(),
      // Halts every ~2 simulated seconds (one symbol of four): AAPL's comes within a few.
      source: createSimulatedStocks({ seed: 42, messagesPerSecond: 200, haltEverySeconds: 2, haltSeconds: 1 }),
      speed: 20,
      startOn: 'subscription',
    });
    cleanup.push(() => exchange.close());
    const adapter = new AlpacaAdapter({
      credentials: new AlpacaCredentials(ALPACA_DEFAULT_KEY, ALPACA_DEFAULT_SECRET),
      wsBase: exchange.url(''),
    });
    const events: MarketEvent[] = [];
    const upstream = new UpstreamConnection({ adapter, subscriptions: SUBSCRIPTIONS, onEvent: (e) => events.push(e) });
    upstream.start();
    cleanup.push(() => upstream.stop());

    const aapl = (type: MarketEvent['type']): MarketEvent[] =>
      events.filter((event) => event.type === type && event.symbol === AAPL);
    const halts = (): MarketEvent[] =>
      aapl('status').filter((event) => event.type === 'status' && /^(halted|paused): /.test(event.reason));
    await until(() => aapl('trade').length > 0 && aapl('bbo').length > 0 && halts().length > 0, 'AAPL data and halt');

    expect(upstream.stats.outcomes.rejected).toEqual({});
    expect(aapl('trade').length).toBeGreaterThan(0);
    expect(aapl('bbo').length).toBeGreaterThan(0);
    const halt = halts()[0];
    expect(halt?.type === 'status' && halt.reason).toMatch(/^(halted|paused): (H|P|2) /);
    await until(
      () => aapl('status').some((event) => event.type === 'status' && event.reason.startsWith('resumed: ')),
      'AAPL resumed',
    );
  }, 30_000);
});
