import { Buffer } from 'node:buffer';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { CollectingSink } from '../adapters/collecting-sink';
import { CoinbaseAdvancedTradeSession } from '../adapters/coinbase/advanced-trade-session';
import { CoinbaseAdapter } from '../adapters/coinbase/coinbase-adapter';
import { exchangeEntries, replayExchange } from '../adapters/coinbase/test-support/exchange-replay';
import type { UpstreamSubscription } from '../adapters/venue-adapter';
import { coinbaseAdvancedDialect, type CoinbaseAdvancedDialectOptions } from './coinbase-advanced';
import type { FaultSpec } from './faults';
import { Harness, sharedSource } from './test-support/harness';
import type { VirtualExchange } from './exchange';

const COINBASE = 'coinbase/coinbase-exchange-ws.ndjson';
const PRODUCTS = ['SKL-USD', 'SKL-BTC', 'DASH-BTC', 'BAND-GBP'];
const BOOKS: UpstreamSubscription[] = PRODUCTS.map((symbol) => ({ symbol, channel: 'book' }));

const harness = new Harness();
afterEach(() => harness.cleanup());

async function advancedExchange(
  faults: readonly FaultSpec[] = [],
  options: CoinbaseAdvancedDialectOptions = {},
): Promise<VirtualExchange> {
  const dialect = coinbaseAdvancedDialect({ heartbeatIntervalMs: 50, ...options });
  const source = await sharedSource(dialect, [COINBASE]);
  return harness.exchange({ dialect, source, speed: 'max', faults: [...faults] });
}

/** A SessionSink whose sends go to the socket. */
class SocketSink extends CollectingSink {
  socket: WebSocket | undefined;

  override send(text: string): void {
    super.send(text);
    this.socket?.send(text);
  }
}

interface LiveRun {
  readonly session: CoinbaseAdvancedTradeSession;
  readonly sink: SocketSink;
  readonly socket: WebSocket;
  lastFrameAt: number;
}

/** The Advanced Trade adapter on a real socket to the exchange: a minimal upstream loop. */
async function connectAdapter(exchange: VirtualExchange, subscriptions: readonly UpstreamSubscription[]) {
  const adapter = new CoinbaseAdapter({ feed: 'advanced-trade', wsUrl: exchange.url('/') });
  const sink = new SocketSink();
  const session = adapter.createSession(subscriptions, sink);
  if (!(session instanceof CoinbaseAdvancedTradeSession)) throw new Error('expected an Advanced Trade session');
  const socket = new WebSocket(adapter.url());
  sink.socket = socket;
  const run: LiveRun = { session, sink, socket, lastFrameAt: Date.now() };
  socket.on('message', (data: WebSocket.RawData) => {
    const text = rawText(data);
    // Heartbeats go on after the capture ends: only data marks the socket busy.
    if (!text.startsWith('{"channel":"heartbeats"')) run.lastFrameAt = Date.now();
    session.handleFrame(text, Date.now() * 1000);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  session.open(Date.now() * 1000);
  return run;
}

function rawText(data: WebSocket.RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

async function until(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Runs the whole capture and waits until no data has arrived for a while. */
async function runToEnd(exchange: VirtualExchange, run: LiveRun): Promise<void> {
  exchange.start();
  await exchange.finished;
  await until(() => Date.now() - run.lastFrameAt > 300, 'the socket to go quiet');
}

async function expectBooksEqualToLegacy(run: LiveRun): Promise<void> {
  const legacy = await replayExchange(await exchangeEntries());
  for (const product of PRODUCTS) {
    const expected = legacy.session.bookSync(product);
    const actual = run.session.bookSync(product);
    expect(expected?.isLive, product).toBe(true);
    expect(actual?.isLive, product).toBe(true);
    expect(actual?.book.toSnapshot(), product).toEqual(expected?.book.toSnapshot());
  }
}

describe('Coinbase Advanced Trade dialect', () => {
  it('acks each subscribe with every current subscription in the envelope shape', async () => {
    const exchange = await advancedExchange([], { heartbeatIntervalMs: 60_000 });
    const client = await harness.client(exchange.url('/'));
    client.send({ type: 'subscribe', channel: 'heartbeats' });
    client.send({ type: 'subscribe', product_ids: ['SKL-USD', 'DASH-BTC'], channel: 'level2' });
    client.send({ type: 'subscribe', product_ids: ['GIBBERISH-USD'], channel: 'level2' });
    client.send({ type: 'subscribe', product_ids: ['SKL-USD'], channel: 'level3' });
    await client.waitFor(() => client.messages.length >= 4, 'two acks and two errors');
    const [first, second, ...errors] = client.texts();
    const timestamp = '"timestamp":"2021-04-17T16:43:\\d\\d\\.\\d{6}Z"';
    expect(first).toMatch(
      new RegExp(
        `^\\{"channel":"subscriptions","client_id":"",${timestamp},"sequence_num":0,` +
          '"events":\\[\\{"subscriptions":\\{"heartbeats":\\["heartbeats"\\]\\}\\}\\]\\}$',
      ),
    );
    expect(JSON.parse(second!)).toMatchObject({
      channel: 'subscriptions',
      client_id: '',
      sequence_num: 1,
      events: [{ subscriptions: { heartbeats: ['heartbeats'], level2: ['SKL-USD', 'DASH-BTC'] } }],
    });
    expect(errors).toEqual([
      '{"type":"error","message":"Failed to subscribe: GIBBERISH-USD is not a valid product"}',
      '{"type":"error","message":"Failed to subscribe: level3 is not a valid channel"}',
    ]);
    exchange.start();
    const isL2 = (text: string): boolean => text.startsWith('{"channel":"l2_data"');
    await client.waitFor(() => client.texts().filter(isL2).length >= 20, 'l2_data messages');
    const [snapshot, ...updates] = client
      .texts()
      .filter(isL2)
      .map((text) => JSON.parse(text) as { sequence_num: number; events: { type: string; product_id: string }[] });
    expect(snapshot).toMatchObject({ channel: 'l2_data', client_id: '', sequence_num: 2 });
    expect(snapshot?.events[0]).toMatchObject({
      type: 'snapshot',
      updates: expect.arrayContaining([
        expect.objectContaining({ side: 'bid' }),
        expect.objectContaining({ side: 'offer' }),
      ]) as unknown,
    });
    expect(updates.find((message) => message.events[0]?.type === 'update')?.events[0]).toMatchObject({
      type: 'update',
      updates: [
        {
          side: expect.stringMatching(/^(bid|offer)$/) as unknown,
          event_time: expect.stringMatching(/^2021-04-17T16:4\d:\d\d\.\d{6}Z$/) as unknown,
          price_level: expect.any(String) as unknown,
          new_quantity: expect.any(String) as unknown,
        },
      ],
    });
  });

  it('serves level2 as l2_data with contiguous sequence_num, and the adapter ends with the legacy books', async () => {
    const exchange = await advancedExchange();
    const run = await connectAdapter(exchange, BOOKS);
    await until(() => (run.sink.counts.ignored['subscriptions'] ?? 0) >= 2, 'both subscriptions acks');
    await runToEnd(exchange, run);
    expect(run.session.sequence.stats).toEqual({ gaps: 0, missed: 0, stale: 0 });
    expect(run.sink.counts.rejected).toEqual({});
    expect(run.sink.counts.parsed['l2_data snapshot']).toBe(PRODUCTS.length);
    expect(run.sink.counts.parsed['l2_data update']).toBeGreaterThan(1000);
    expect(run.sink.counts.parsed['heartbeats']).toBeGreaterThan(0);
    await expectBooksEqualToLegacy(run);
  }, 30_000);

  it('a dropped frame is a sequence_num gap: the adapter resyncs from a fresh snapshot and the books still match', async () => {
    const exchange = await advancedExchange([{ kind: 'drop', index: 400 }]);
    const run = await connectAdapter(exchange, BOOKS);
    await until(() => (run.sink.counts.ignored['subscriptions'] ?? 0) >= 2, 'both subscriptions acks');
    await runToEnd(exchange, run);
    expect(exchange.stats().faultsApplied).toMatchObject({ drop: 1 });
    expect(run.session.sequence.stats).toMatchObject({ gaps: 1, missed: 1 });
    for (const product of PRODUCTS) expect(run.session.bookSync(product)?.stats.resyncs, product).toBe(1);
    // The resubscribe was answered with a snapshot of the exchange's current book per product.
    expect(run.sink.counts.parsed['l2_data snapshot']).toBe(2 * PRODUCTS.length);
    expect(run.sink.counts.rejected).toEqual({});
    await expectBooksEqualToLegacy(run);
  }, 30_000);

  it('converts trades and tickers to market_trades and ticker events', async () => {
    const exchange = await advancedExchange([], { heartbeatIntervalMs: 60_000 });
    const client = await harness.client(exchange.url('/'));
    client.send({ type: 'subscribe', product_ids: ['SKL-BTC'], channel: 'market_trades' });
    client.send({ type: 'subscribe', product_ids: ['SKL-BTC'], channel: 'ticker' });
    await client.waitFor(() => client.messages.length >= 2, 'acks');
    exchange.start();
    await exchange.finished;
    await client.waitFor(
      () => client.texts().some((text) => text.startsWith('{"channel":"ticker"')),
      'a ticker message',
    );
    const messages = client.texts().map((text) => JSON.parse(text) as { channel: string; sequence_num: number });
    expect(messages.map((message) => message.sequence_num)).toEqual(messages.map((_, i) => i));
    const trade = messages.find((message) => message.channel === 'market_trades');
    expect(trade).toMatchObject({
      events: [
        {
          type: expect.stringMatching(/^(snapshot|update)$/) as unknown,
          trades: [{ product_id: 'SKL-BTC', side: expect.stringMatching(/^(BUY|SELL)$/) as unknown }],
        },
      ],
    });
    const ticker = messages.find((message) => message.channel === 'ticker');
    expect(ticker).toMatchObject({
      events: [{ type: 'update', tickers: [{ type: 'ticker', product_id: 'SKL-BTC' }] }],
    });
  });
});
