import 'reflect-metadata';
import {
  type BookLevels,
  type CandleEvent,
  type MarketEvent,
  MultiIntervalCandleBuilder,
  OrderBook,
  type SnapshotMessage,
  type TradeEvent,
  type UpdateMessage,
  type WireBook,
  type WireCandle,
  type WireTrade,
} from '@tickwire/feeds';
import { exchangeEntries, replayExchange } from '@tickwire/feeds/adapters/coinbase/test-support/exchange-replay';
import { BOOK, entriesOf, replay as replayKraken } from '@tickwire/feeds/adapters/kraken/test-support/kraken-replay';
import { sharedRecording } from '@tickwire/feeds/test-support/shared-recordings';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningGateway, startGateway } from '../test-support/gateway-harness';
import { StreamClient } from '../test-support/stream-client';
import { wireCandle } from './channels/candles-channel';

/*
 * The real gateway on the virtual exchange replaying real captures: what a WebSocket client
 * receives for a channel equals what feeds computes in-process from the same recording through the
 * same adapter (the book after every update, every trade, the candles).
 */

const DEPTH = 10;

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** The top-`depth` views of a book after each event that changed them, starting from the empty book. */
function referenceViews(events: readonly MarketEvent[], symbol: string, depth: number): BookLevels[] {
  const book = new OrderBook();
  const views: BookLevels[] = [{ bids: [], asks: [] }];
  for (const event of events) {
    if (event.symbol !== symbol || (event.type !== 'book_snapshot' && event.type !== 'book_delta')) continue;
    book.applyEvent(event);
    const view = book.toSnapshot(depth);
    const last = views[views.length - 1]!;
    if (JSON.stringify(view) !== JSON.stringify(last)) views.push(view);
  }
  return views;
}

/**
 * The client side of the `book` channel, written from docs/api.md independently of the gateway:
 * a snapshot replaces the view; an update sets each level (size "0" removes it), then the view keeps
 * the best `depth` levels per side. Prices compare as exact decimals via OrderBook.
 */
class ClientBookView {
  readonly views: BookLevels[] = [];
  private book = new OrderBook();
  private seq = -1;
  gaps = 0;

  apply(message: SnapshotMessage<'book'> | UpdateMessage<'book'>): void {
    const data: WireBook = message.data;
    if (message.type === 'snapshot') {
      this.book = new OrderBook();
      this.book.applySnapshot(data.bids, data.asks);
    } else {
      if (message.seq !== this.seq + 1) this.gaps++;
      this.book.applyDelta(data.bids, data.asks);
      this.book.trim(DEPTH);
    }
    this.seq = message.seq;
    this.views.push(this.book.toSnapshot(DEPTH));
  }
}

function channelMessages<C extends 'book' | 'trades' | 'candles'>(
  client: StreamClient,
  channel: C,
): (SnapshotMessage<C> | UpdateMessage<C>)[] {
  return client.messages.filter(
    (message): message is SnapshotMessage<C> | UpdateMessage<C> =>
      (message.type === 'snapshot' || message.type === 'update') && message.channel === channel,
  );
}

function startCoinbaseReplay(): Promise<RunningGateway> {
  return startGateway({
    feeds: [
      {
        kind: 'replay',
        venue: 'coinbase',
        file: sharedRecording('coinbase/coinbase-exchange-ws.ndjson'),
        symbols: ['SKL-USD', 'DASH-BTC'],
        speed: 'max',
        pinned: false,
      },
    ],
    intervals: ['1s', '1m'],
  });
}

describe('gateway on the replayed Coinbase Exchange capture', () => {
  it('book (every update), trades and 1s candles equal the in-process replay of the same recording', async () => {
    const { sink } = await replayExchange(await exchangeEntries());
    const instrument = 'coinbase:SKL-USD';
    const expectedViews = referenceViews(sink.events, 'SKL-USD', DEPTH);
    const expectedTrades = sink.events.filter((e): e is TradeEvent => e.type === 'trade' && e.symbol === 'SKL-USD');
    expect(expectedViews.length).toBeGreaterThan(100);
    expect(expectedTrades.length).toBeGreaterThan(40);
    const expectedCandles: CandleEvent[] = [];
    const builder = new MultiIntervalCandleBuilder({
      venue: 'coinbase',
      symbol: 'SKL-USD',
      intervals: ['1s'],
      closeDelayMicros: 250_000,
      emit: (candle) => expectedCandles.push(candle),
    });
    for (const trade of expectedTrades) builder.addTrade(trade);

    const gateway = await startCoinbaseReplay();
    cleanup.push(() => gateway.close());
    const client = await StreamClient.open(gateway.streamUrl);
    cleanup.push(() => client.close());
    // All three in one go: the replay starts with the first upstream subscription, which carries them all.
    client.send({ op: 'subscribe', id: 1, channel: 'book', instrument, depth: DEPTH, intervalMs: 0 });
    client.send({ op: 'subscribe', id: 2, channel: 'trades', instrument });
    client.send({ op: 'subscribe', id: 3, channel: 'candles', instrument, interval: '1s' });

    const received = (): WireTrade[] => channelMessages(client, 'trades').flatMap((message) => message.data);
    const finalView = expectedViews[expectedViews.length - 1]!;
    const view = new ClientBookView();
    await client.until(() => received().length >= expectedTrades.length, 'every trade', 60_000);
    await client.until(
      () => {
        const books = channelMessages(client, 'book');
        const latest = new ClientBookView();
        for (const message of books) latest.apply(message);
        return JSON.stringify(latest.views[latest.views.length - 1]) === JSON.stringify(finalView);
      },
      'the final book',
      60_000,
    );

    for (const message of channelMessages(client, 'book')) view.apply(message);
    expect(view.gaps).toBe(0);
    // Every view the client held is exactly the book's top 10 after the corresponding update.
    expect(view.views).toEqual(expectedViews);

    expect(received().map((t) => [t.id, t.side, t.price, t.size, t.time])).toEqual(
      expectedTrades.map((t) => [t.tradeId, t.side, t.price, t.size, t.venueTime]),
    );

    // Candles: the last value the client got for each interval equals the reference's last one.
    // receiveTime differs between the two runs (it is the local clock); everything else must not.
    const strip = (candle: WireCandle): Partial<WireCandle> =>
      Object.fromEntries(Object.entries(candle).filter(([field]) => field !== 'receiveTime'));
    const clientCandles = (): Partial<WireCandle>[] => {
      const lastByOpen = new Map<number, WireCandle>();
      for (const message of channelMessages(client, 'candles')) {
        const candles = message.type === 'snapshot' ? message.data : [message.data];
        for (const candle of candles) lastByOpen.set(candle.openTime, candle);
      }
      return [...lastByOpen.values()].sort((a, b) => a.openTime - b.openTime).map(strip);
    };
    const expectedByOpen = new Map<number, WireCandle>();
    for (const candle of expectedCandles) expectedByOpen.set(candle.openTime, wireCandle(candle));
    const expectedFinal = [...expectedByOpen.values()].sort((a, b) => a.openTime - b.openTime).map(strip);
    expect(expectedFinal.filter((candle) => (candle.tradeCount ?? 0) > 0).length).toBeGreaterThan(5);
    await client.until(() => clientCandles().length === expectedFinal.length, 'every candle', 30_000);
    await client.until(
      () => JSON.stringify(clientCandles().at(-1)) === JSON.stringify(expectedFinal.at(-1)),
      'the last candle update',
      30_000,
    );
    expect(clientCandles()).toEqual(expectedFinal);

    // The book is live and REST agrees with the stream.
    const rest = (await (
      await fetch(`${gateway.baseUrl}/api/v1/instruments/${instrument}/book?depth=${DEPTH}`)
    ).json()) as WireBook;
    expect({ bids: rest.bids, asks: rest.asks }).toEqual(finalView);
  }, 120_000);
});

describe('gateway on the replayed Kraken v1 book-1000 capture (checksums verified upstream)', () => {
  it('every pair’s book stream equals the in-process replay, update by update, with no resync', async () => {
    const entries = await entriesOf(BOOK);
    const run = await replayKraken(entries);
    const symbols = [...new Set(run.subscriptions.map((s) => s.symbol))].slice(0, 3);
    const gateway = await startGateway({
      feeds: [{ kind: 'replay', venue: 'kraken', file: sharedRecording(BOOK), symbols, speed: 'max', pinned: false }],
    });
    cleanup.push(() => gateway.close());
    const client = await StreamClient.open(gateway.streamUrl);
    cleanup.push(() => client.close());
    for (const [index, symbol] of symbols.entries()) {
      client.send({
        op: 'subscribe',
        id: index,
        channel: 'book',
        instrument: `kraken:${symbol}`,
        depth: DEPTH,
        intervalMs: 0,
      });
      client.send({ op: 'subscribe', id: 100 + index, channel: 'status', instrument: `kraken:${symbol}` });
    }
    const expected = new Map(symbols.map((symbol) => [symbol, referenceViews(run.sink.events, symbol, DEPTH)]));
    const viewsOf = (symbol: string): BookLevels[] => {
      const view = new ClientBookView();
      for (const message of channelMessages(client, 'book'))
        if (message.instrument === `kraken:${symbol}`) view.apply(message);
      return view.views;
    };
    for (const symbol of symbols) {
      const views = expected.get(symbol)!;
      expect(views.length, symbol).toBeGreaterThan(10);
      await client.until(
        () => JSON.stringify(viewsOf(symbol).at(-1)) === JSON.stringify(views.at(-1)),
        `${symbol} final book`,
        60_000,
      );
      expect(viewsOf(symbol), symbol).toEqual(views);
    }
    const statuses = client.messages.filter(
      (m) => m.type === 'update' && m.channel === 'status' && (m.data as { state: string }).state === 'resyncing',
    );
    expect(statuses).toEqual([]);
  }, 120_000);
});
