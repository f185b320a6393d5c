import { afterEach, describe, expect, it } from 'vitest';
import { bitfinexDialect } from './bitfinex';
import { coinbaseDialect } from './coinbase';
import type { Dialect } from './dialect';
import { krakenDialect } from './kraken';
import { okxDialect } from './okx';
import { GatedSource } from './test-support/gated-source';
import { Harness, sharedSource } from './test-support/harness';
import type { TestClient } from './test-support/test-client';
import {
  replayBitfinex,
  replayCoinbase,
  replayKraken,
  replayOkx,
  wireSides,
  type Replay,
} from './test-support/venue-book-replays';

/*
 * A subscriber that arrives after a stream's recorded snapshot (here: halfway through the capture,
 * held there by a gated source at speed 'max') gets a snapshot of the exchange's current book and
 * then the live updates, and ends with the book of a client that was there from the start.
 */

const harness = new Harness();
afterEach(() => harness.cleanup());

async function halfwayExchange(dialect: Dialect, files: readonly string[]) {
  const recorded = await sharedSource(dialect, files);
  const gate = new GatedSource(recorded, Math.floor(recorded.frameCount / 2));
  const exchange = await harness.exchange({ dialect, source: gate, speed: 'max' });
  return { exchange, gate };
}

/** Sends `request` and waits for the reply that queues behind every frame sent before it. */
async function barrier(
  client: TestClient,
  request: object | string,
  isReply: (text: string) => boolean,
): Promise<void> {
  const from = client.messages.length;
  client.send(request);
  await client.next(isReply, 'the barrier reply', from);
}

function expectSameBooks(early: Replay, late: Replay, name: string): void {
  expect(late.snapshots, `${name}: late snapshots`).toBe(1);
  expect(late.beforeSnapshot, `${name}: updates before the late snapshot`).toBe(0);
  expect(wireSides(late.book), name).toEqual(wireSides(early.book));
  expect(late.book.isEmpty, name).toBe(false);
}

const count = (client: TestClient, predicate: (text: string) => boolean): number =>
  client.texts().filter(predicate).length;

describe('a late subscriber gets a fresh snapshot of the current book', () => {
  it('Kraken v1: snapshot, then every checksum verifies, and the book ends as the early one', async () => {
    const pairs = [
      'WAVES/EUR',
      'XMR/USD',
      'KSM/XBT',
      'GRT/ETH',
      'SC/EUR',
      'ETH/CHF',
      'OCEAN/XBT',
      'OMG/USD',
      'XBT/CHF',
      'ADA/XBT',
    ];
    const subscribe = { event: 'subscribe', pair: pairs, subscription: { name: 'book', depth: 1000 } };
    const isSnapshot = (text: string): boolean => text.includes(',{"as":[');
    const { exchange, gate } = await halfwayExchange(krakenDialect({ heartbeatIntervalMs: 60_000 }), [
      'kraken/kraken-v1-book1000.ndjson',
    ]);
    const early = await harness.client(exchange.url('/'));
    early.send(subscribe);
    await early.waitFor(() => count(early, (text) => text.includes('"status":"subscribed"')) === 10, 'subscribed');
    exchange.start();
    await gate.reached;
    const late = await harness.client(exchange.url('/'));
    late.send(subscribe);
    await late.waitFor(() => count(late, isSnapshot) === 10, 'ten snapshots');
    // A resubscribe (unsubscribe, subscribe) after a checksum mismatch gets a snapshot too.
    const xbtChf = { pair: ['XBT/CHF'], subscription: { name: 'book', depth: 1000 } };
    early.send({ event: 'unsubscribe', ...xbtChf });
    early.send({ event: 'subscribe', ...xbtChf });
    await early.waitFor(() => count(early, isSnapshot) === 11, 'the resubscription snapshot');
    gate.release();
    await exchange.finished;
    for (const [i, client] of [early, late].entries()) {
      await barrier(client, { event: 'ping', reqid: 70 + i }, (text) => text === `{"event":"pong","reqid":${70 + i}}`);
    }
    let verified = 0;
    for (const pair of pairs) {
      const fromStart = replayKraken(early.texts(), 1000, pair);
      const fromHalfway = replayKraken(late.texts(), 1000, pair);
      expect(fromStart.mismatches, pair).toBe(0);
      expect(fromHalfway.mismatches, pair).toBe(0);
      verified += fromHalfway.checksums;
      expectSameBooks(fromStart, fromHalfway, pair);
    }
    expect(verified).toBeGreaterThan(1000);
    expect(exchange.stats().framesSent['book-1000:XBT/CHF']).toBeGreaterThan(0);
  });

  it('OKX: the snapshot carries a correct checksum, every update after it verifies, books end equal', async () => {
    const instIds = ['BTC-USD-220527', 'UNI-USD-SWAP', 'BTC-USDT'];
    const subscribe = { op: 'subscribe', args: instIds.map((instId) => ({ channel: 'books', instId })) };
    const isSnapshot = (text: string): boolean => text.includes('"action":"snapshot"');
    const { exchange, gate } = await halfwayExchange(okxDialect(), ['okx/okx-v5-public.ndjson']);
    const early = await harness.client(exchange.url('/ws/v5/public'));
    early.send(subscribe);
    await early.waitFor(() => early.messages.length >= 3, 'three acks');
    exchange.start();
    await gate.reached;
    const late = await harness.client(exchange.url('/ws/v5/public'));
    late.send(subscribe);
    await late.waitFor(() => count(late, isSnapshot) === 3, 'three snapshots');
    // A repeated subscribe is acked again and, the recorded snapshot being past, gets a snapshot.
    early.send({ op: 'subscribe', args: [{ channel: 'books', instId: 'BTC-USDT' }] });
    await early.waitFor(() => count(early, isSnapshot) === 4, 'the resubscription snapshot');
    gate.release();
    await exchange.finished;
    for (const client of [early, late]) await barrier(client, 'ping', (text) => text === 'pong');
    let verified = 0;
    for (const instId of instIds) {
      const fromStart = replayOkx(early.texts(), 'books', instId);
      const fromHalfway = replayOkx(late.texts(), 'books', instId);
      expect(fromStart.mismatches, instId).toBe(0);
      expect(fromHalfway.mismatches, instId).toBe(0);
      verified += fromHalfway.checksums;
      expectSameBooks(fromStart, fromHalfway, instId);
    }
    expect(verified).toBeGreaterThan(100);
  });

  it('Coinbase level2: the late book ends equal to the early one', async () => {
    const products = [
      'BAND-GBP',
      'SKL-GBP',
      'NU-GBP',
      'YFI-BTC',
      'SKL-BTC',
      'CRV-EUR',
      'BAND-BTC',
      'DASH-BTC',
      'NMR-EUR',
      'SKL-USD',
    ];
    const subscribe = { type: 'subscribe', product_ids: products, channels: ['level2'] };
    const isSnapshot = (text: string): boolean => text.startsWith('{"type":"snapshot"');
    const { exchange, gate } = await halfwayExchange(coinbaseDialect({ heartbeatIntervalMs: 60_000 }), [
      'coinbase/coinbase-exchange-ws.ndjson',
    ]);
    const early = await harness.client(exchange.url('/'));
    early.send(subscribe);
    await early.waitFor(() => early.messages.length >= 1, 'subscriptions');
    exchange.start();
    await gate.reached;
    const late = await harness.client(exchange.url('/'));
    late.send(subscribe);
    await late.waitFor(() => count(late, isSnapshot) === 10, 'ten snapshots');
    expect(late.texts()[0]).toMatch(/^\{"type":"subscriptions"/);
    gate.release();
    await exchange.finished;
    // Unsubscribing a channel one does not have changes nothing and is answered in order.
    const noop = { type: 'unsubscribe', product_ids: ['SKL-USD'], channels: ['heartbeat'] };
    for (const client of [early, late]) {
      await barrier(client, noop, (text) => text.startsWith('{"type":"subscriptions"'));
    }
    let updates = 0;
    for (const product of products) {
      const fromHalfway = replayCoinbase(late.texts(), product);
      expectSameBooks(replayCoinbase(early.texts(), product), fromHalfway, product);
      updates += count(late, (text) => text.startsWith(`{"type":"l2update","product_id":"${product}"`));
    }
    expect(updates).toBeGreaterThan(1000);
  });

  it('Bitfinex: the snapshot takes its SEQ_ALL number in line, and the late book ends equal', async () => {
    const symbols = ['tTESTBTC:TESTUSD', 'tDOGUSD', 'tODEUSD', 'tIOTETH', 'tMNABTC', 'tBFTUSD', 'tSNGUSD'];
    const { exchange, gate } = await halfwayExchange(bitfinexDialect({ heartbeatIntervalMs: 60_000 }), [
      'bitfinex/bitfinex-v2-ws.ndjson',
    ]);
    const subscribeAll = (client: TestClient): void => {
      client.send({ event: 'conf', flags: 65536 });
      for (const symbol of symbols) {
        client.send({ event: 'subscribe', channel: 'book', symbol, prec: 'P0', freq: 'F0', len: '100' });
      }
    };
    const chanIds = (client: TestClient): Map<string, number> =>
      new Map(
        client
          .texts()
          .filter((text) => text.includes('"event":"subscribed"'))
          .map((text) => JSON.parse(text) as { symbol: string; chanId: number })
          .map((event) => [event.symbol, event.chanId]),
      );
    const early = await harness.client(exchange.url('/ws/2'));
    subscribeAll(early);
    await early.waitFor(() => chanIds(early).size === symbols.length, 'subscribed');
    exchange.start();
    await gate.reached;
    const late = await harness.client(exchange.url('/ws/2'));
    subscribeAll(late);
    const isSnapshot = (text: string): boolean => /^\[\d+,\[\[/.test(text);
    await late.waitFor(() => count(late, isSnapshot) === symbols.length, 'seven snapshots');
    gate.release();
    await exchange.finished;
    for (const [i, client] of [early, late].entries()) {
      await barrier(client, { event: 'ping', cid: 90 + i }, (text) => text.includes(`"cid":${90 + i}`));
    }
    for (const symbol of symbols) {
      const chanId = chanIds(early).get(symbol)!;
      expectSameBooks(replayBitfinex(early.texts(), chanId), replayBitfinex(late.texts(), chanId), symbol);
    }
    const seqs = late
      .texts()
      .filter((text) => text.startsWith('['))
      .map((text) => Number(/,(\d+)\]$/.exec(text)?.[1]));
    expect(seqs.length).toBeGreaterThan(symbols.length);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });
});
