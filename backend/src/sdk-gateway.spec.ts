import 'reflect-metadata';
import { type BookLevels, OrderBook } from '@tickwire/feeds';
import { BOOK, entriesOf, replay as replayKraken } from '@tickwire/feeds/adapters/kraken/test-support/kraken-replay';
import { sharedRecording } from '@tickwire/feeds/test-support/shared-recordings';
import { type BookView, type ConnectionState, TickwireClient } from '@tickwire/sdk';
import { firstValueFrom, filter } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type RunningGateway, simulatedConfig, startGateway } from './test-support/gateway-harness';

/* The SDK against the real gateway: its local book, reconnection across a gateway restart, failover. */

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function client(urls: string[]): TickwireClient {
  const sdk = new TickwireClient({ urls, WebSocket, reconnect: { baseMs: 50, maxMs: 200 } });
  cleanup.push(() => sdk.close());
  return sdk;
}

function untilState(sdk: TickwireClient, test: (state: ConnectionState) => boolean): Promise<ConnectionState> {
  return firstValueFrom(sdk.connectionState$.pipe(filter(test)));
}

describe('SDK against the gateway', () => {
  it('keeps a local book equal to feeds’ replay of the Kraken capture, with no gap', async () => {
    const run = await replayKraken(await entriesOf(BOOK));
    const symbol = run.subscriptions[0]!.symbol;
    const reference = new OrderBook();
    for (const event of run.sink.events) {
      if ((event.type === 'book_snapshot' || event.type === 'book_delta') && event.symbol === symbol)
        reference.applyEvent(event);
    }
    const expected: BookLevels = reference.toSnapshot(10);
    const gateway = await startGateway({
      feeds: [
        {
          kind: 'replay',
          venue: 'kraken',
          file: sharedRecording(BOOK),
          symbols: [symbol],
          speed: 'max',
          pinned: false,
        },
      ],
    });
    cleanup.push(() => gateway.close());
    const sdk = client([gateway.streamUrl]);
    const final = await firstValueFrom(
      sdk
        .book(`kraken:${symbol}`, { depth: 10, intervalMs: 0 })
        .pipe(
          filter((view: BookView) => JSON.stringify({ bids: view.bids, asks: view.asks }) === JSON.stringify(expected)),
        ),
    );
    expect(final.bids.length).toBe(10);
    expect(sdk.stats().gaps).toBe(0);
  }, 60_000);

  it('reconnects and resubscribes by itself when the gateway restarts', async () => {
    let gateway: RunningGateway = await startGateway(simulatedConfig());
    const port = Number(new URL(gateway.baseUrl).port);
    const sdk = client([gateway.streamUrl]);
    const views: BookView[] = [];
    const subscription = sdk
      .book('simulated:BTC-USDT', { depth: 5, intervalMs: 0 })
      .subscribe((view) => views.push(view));
    cleanup.push(() => {
      subscription.unsubscribe();
      return Promise.resolve();
    });
    await untilState(sdk, (state) => state.status === 'open');
    await firstValueFrom(
      sdk.book('simulated:BTC-USDT', { depth: 5, intervalMs: 0 }).pipe(filter((view) => view.bids.length === 5)),
    );
    const reconnecting = untilState(sdk, (state) => state.status === 'reconnecting');
    await gateway.close();
    const state = await reconnecting;
    expect(state.lastClose?.code).toBe(1001);
    const before = views.length;
    gateway = await startGateway(simulatedConfig(), port);
    cleanup.push(() => gateway.close());
    await untilState(sdk, (s) => s.status === 'open');
    // A fresh snapshot from the new gateway, then live updates again.
    await firstValueFrom(
      sdk.book('simulated:BTC-USDT', { depth: 5, intervalMs: 0 }).pipe(filter(() => views.length > before + 3)),
    );
    expect(views.slice(before).some((view) => view.type === 'snapshot')).toBe(true);
    expect(sdk.stats().reconnects).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('fails over to the next gateway URL when one dies', async () => {
    const a = await startGateway(simulatedConfig());
    const b = await startGateway(simulatedConfig());
    cleanup.push(() => b.close());
    const sdk = client([a.streamUrl, b.streamUrl]);
    const trades = sdk.trades('simulated:BTC-USDT').subscribe();
    cleanup.push(() => {
      trades.unsubscribe();
      return Promise.resolve();
    });
    await untilState(sdk, (state) => state.status === 'open' && state.url === a.streamUrl);
    await a.close();
    await untilState(sdk, (state) => state.status === 'open' && state.url === b.streamUrl);
    const message = await firstValueFrom(sdk.trades('simulated:BTC-USDT').pipe(filter((m) => m.type === 'update')));
    expect(message.instrument).toBe('simulated:BTC-USDT');
  }, 60_000);

  it('over SSE (transport "sse"): the same local book, no gap, and reconnection across a gateway restart', async () => {
    let gateway: RunningGateway = await startGateway(simulatedConfig());
    const port = Number(new URL(gateway.baseUrl).port);
    const sdk = new TickwireClient({
      urls: [gateway.streamUrl],
      transport: 'sse',
      reconnect: { baseMs: 50, maxMs: 200 },
    });
    cleanup.push(() => sdk.close());
    const open = await untilState(sdk, (state) => state.status === 'open');
    expect(open.transport).toBe('sse');
    const view = await firstValueFrom(
      sdk.book('simulated:BTC-USDT', { depth: 5, intervalMs: 0 }).pipe(filter((v) => v.seq > 5)),
    );
    expect(view.bids.length).toBe(5);
    expect(sdk.stats().gaps).toBe(0);
    const reconnecting = untilState(sdk, (state) => state.status === 'reconnecting');
    await gateway.close();
    await reconnecting;
    gateway = await startGateway(simulatedConfig(), port);
    cleanup.push(() => gateway.close());
    const reopened = await untilState(sdk, (state) => state.status === 'open');
    expect(reopened.transport).toBe('sse');
    const fresh = await firstValueFrom(
      sdk.book('simulated:BTC-USDT', { depth: 5, intervalMs: 0 }).pipe(filter((v) => v.type === 'update')),
    );
    expect(fresh.bids.length).toBe(5);
  }, 60_000);
});
