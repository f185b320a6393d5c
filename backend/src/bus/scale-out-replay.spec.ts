import 'reflect-metadata';
import { compareDecimals, type DecimalString } from '@tickwire/feeds';
import { BOOK } from '@tickwire/feeds/adapters/kraken/test-support/kraken-replay';
import { sharedRecording } from '@tickwire/feeds/test-support/shared-recordings';
import { TickwireClient } from '@tickwire/sdk';
import { filter, firstValueFrom } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { simulatedConfig, startGateway } from '../test-support/gateway-harness';
import { TestNatsServer } from '../test-support/nats-server';
import { RawClient } from './bus-test-support';

/*
 * Scale-out against a single process on the same recording, and SDK failover between gateways
 * when one dies (real nats-server).
 */

const SYMBOL = 'XMR-USD';
const INSTRUMENT = `kraken:${SYMBOL}`;
const replayFeed = {
  kind: 'replay',
  venue: 'kraken',
  file: sharedRecording(BOOK),
  symbols: [SYMBOL],
  speed: 'max',
  pinned: false,
};

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** The book levels of every book message (seq, type and levels; receive times are each process's own). */
function bookLevels(client: RawClient): string[] {
  return client.of('book').map((m) => {
    const { bids, asks } = m.data as { bids: unknown; asks: unknown };
    return JSON.stringify([m.type, m.seq, bids, asks]);
  });
}

function levelsOf(message: { data: unknown }): { bids: [string, string][]; asks: [string, string][] } {
  const { bids, asks } = message.data as { bids: [string, string][]; asks: [string, string][] };
  return { bids, asks };
}

/** Applies a client's book messages (snapshot replaces, update sets/removes, keep best 10) and keeps the view at every seq. */
function viewsBySeq(client: RawClient): Map<number, { bids: [string, string][]; asks: [string, string][] }> {
  const views = new Map<number, { bids: [string, string][]; asks: [string, string][] }>();
  const sides = { bids: new Map<string, string>(), asks: new Map<string, string>() };
  for (const message of client.of('book')) {
    const levels = levelsOf(message);
    if (message.type === 'snapshot') {
      sides.bids.clear();
      sides.asks.clear();
    }
    for (const side of ['bids', 'asks'] as const) {
      for (const [price, size] of levels[side]) {
        if (size === '0') sides[side].delete(price);
        else sides[side].set(price, size);
      }
    }
    const sorted = (side: 'bids' | 'asks'): [string, string][] =>
      [...sides[side].entries()]
        .sort((x, y) => (side === 'bids' ? -1 : 1) * compareDecimals(x[0] as DecimalString, y[0] as DecimalString))
        .slice(0, 10);
    views.set(message.seq, { bids: sorted('bids'), asks: sorted('asks') });
  }
  return views;
}

/** Waits until no new book message arrived for a while (the replay ended). */
async function quiet(client: RawClient, minimum: number): Promise<void> {
  await client.until(() => client.of('book').length >= minimum, 'book messages', 60_000);
  let count = -1;
  while (client.of('book').length !== count) {
    count = client.of('book').length;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe('scale-out on NATS against a single process', () => {
  it('clients of two gateways get the same book stream as a client of a single-process gateway on the same recording', async () => {
    const nats = await TestNatsServer.start();
    cleanup.push(() => nats.dispose());
    const bus = (role: string) => ({ kind: 'nats', url: nats.url, role });
    const ingest = await startGateway({ feeds: [replayFeed], bus: bus('ingest') });
    cleanup.push(() => ingest.close());
    const gateways = [await startGateway({ bus: bus('gateway') }), await startGateway({ bus: bus('gateway') })];
    for (const gateway of gateways) cleanup.push(() => gateway.close());
    const single = await startGateway({ feeds: [replayFeed] });
    cleanup.push(() => single.close());

    const subscribe = { op: 'subscribe', channel: 'book', instrument: INSTRUMENT, depth: 10, intervalMs: 0 };
    // Both bus clients subscribe before the replay starts (it starts with the first upstream subscription).
    const [a, b] = await Promise.all(gateways.map((gateway) => RawClient.open(gateway.streamUrl)));
    a!.send(subscribe);
    b!.send(subscribe);
    const alone = await RawClient.open(single.streamUrl);
    alone.send(subscribe);
    await quiet(alone, 100);
    await quiet(a!, 100);
    await quiet(b!, 100);
    const expected = bookLevels(alone);
    expect(expected.length).toBeGreaterThan(100);
    // The single process's full top-10 view after each of its messages, by seq.
    const views = viewsBySeq(alone);
    for (const client of [a!, b!]) {
      const messages = client.of('book');
      const start = messages[0]!;
      expect(start.type).toBe('snapshot');
      // A gateway that joined after the replay started begins with a snapshot equal to the
      // single process's book at that seq; every update after it is the same, byte for byte in levels.
      expect(levelsOf(start)).toEqual(views.get(start.seq));
      expect(bookLevels(client).slice(1)).toEqual(
        expected.filter((_, index) => alone.of('book')[index]!.seq > start.seq),
      );
    }
    for (const client of [a!, b!, alone]) client.close();
  }, 90_000);

  it('SDK clients fail over to the other gateway when theirs dies, and keep a live book', async () => {
    const nats = await TestNatsServer.start();
    cleanup.push(() => nats.dispose());
    const bus = (role: string) => ({ kind: 'nats', url: nats.url, role });
    const ingest = await startGateway(simulatedConfig({ bus: bus('ingest') }, 300));
    cleanup.push(() => ingest.close());
    const first = await startGateway({ bus: bus('gateway') });
    const second = await startGateway({ bus: bus('gateway') });
    cleanup.push(() => second.close());
    const sdk = new TickwireClient({
      urls: [first.streamUrl, second.streamUrl],
      WebSocket,
      reconnect: { baseMs: 50, maxMs: 200 },
    });
    cleanup.push(() => sdk.close());
    const book = sdk.book('simulated:BTC-USDT', { depth: 5, intervalMs: 0 });
    await firstValueFrom(book.pipe(filter((view) => view.bids.length === 5 && view.asks.length === 5)));
    expect(sdk.connectionState.url).toBe(first.streamUrl);
    await first.close();
    await firstValueFrom(
      sdk.connectionState$.pipe(filter((state) => state.status === 'open' && state.url === second.streamUrl)),
    );
    const after = await firstValueFrom(book.pipe(filter((view) => view.type === 'update' && view.bids.length === 5)));
    expect(after.asks.length).toBe(5);
    expect(sdk.stats().reconnects).toBeGreaterThanOrEqual(1);
  }, 60_000);
});
