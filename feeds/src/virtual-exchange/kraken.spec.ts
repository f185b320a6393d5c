import { afterEach, describe, expect, it } from 'vitest';
import { krakenDialect, type KrakenDialectOptions } from './kraken';
import { Harness, sharedSource } from './test-support/harness';
import { recordedFrames } from './test-support/recorded-lines';

const BOOK = 'kraken/kraken-v1-book1000.ndjson';
const TRADE = 'kraken/kraken-v1-trade.ndjson';
const TICKER = 'kraken/kraken-v1-ticker.ndjson';

const harness = new Harness();
afterEach(() => harness.cleanup());

async function krakenExchange(options: KrakenDialectOptions = {}, speed: number | 'max' = 'max') {
  const dialect = krakenDialect({ heartbeatIntervalMs: 60_000, ...options });
  const source = await sharedSource(dialect, [BOOK, TRADE, TICKER]);
  return harness.exchange({ dialect, source, speed });
}

/** Recorded array frames of `channelName` for `pairs`, from the raw capture. */
function recordedOf(file: string, channelName: string, pairs: readonly string[]): string[] {
  return recordedFrames(file).filter((frame) => {
    if (!frame.startsWith('[')) return false;
    const parts = JSON.parse(frame) as unknown[];
    return parts[parts.length - 2] === channelName && pairs.includes(parts[parts.length - 1] as string);
  });
}

const isData = (text: string): boolean => text.startsWith('[');

describe('Kraken v1 dialect', () => {
  it('greets with the recorded systemStatus, its big connectionID intact', async () => {
    const exchange = await krakenExchange();
    const client = await harness.client(exchange.url('/'));
    await client.waitFor(() => client.messages.length >= 1, 'systemStatus');
    const recorded = recordedFrames(BOOK).find((frame) => frame.includes('systemStatus'));
    expect(client.texts()[0]).toBe(recorded);
    expect(client.texts()[0]).toContain('"connectionID":17843232920108168701');
  });

  it('answers subscribe per pair with the recorded channelID and sends exactly the recorded frames', async () => {
    const exchange = await krakenExchange();
    const client = await harness.client(exchange.url('/'));
    client.send({
      event: 'subscribe',
      reqid: 9,
      pair: ['XBT/CHF', 'ADA/XBT'],
      subscription: { name: 'book', depth: 1000 },
    });
    client.send({ event: 'subscribe', pair: ['XMR/USD'], subscription: { name: 'trade' } });
    await client.waitFor(() => client.messages.length >= 4, 'three subscriptionStatus');
    expect(client.texts().slice(1, 4)).toEqual([
      '{"channelID":464,"channelName":"book-1000","event":"subscriptionStatus","pair":"XBT/CHF","reqid":9,"status":"subscribed","subscription":{"depth":1000,"name":"book"}}',
      '{"channelID":1360,"channelName":"book-1000","event":"subscriptionStatus","pair":"ADA/XBT","reqid":9,"status":"subscribed","subscription":{"depth":1000,"name":"book"}}',
      '{"channelID":993,"channelName":"trade","event":"subscriptionStatus","pair":"XMR/USD","status":"subscribed","subscription":{"name":"trade"}}',
    ]);
    const book = recordedOf(BOOK, 'book-1000', ['XBT/CHF', 'ADA/XBT']);
    const trades = recordedOf(TRADE, 'trade', ['XMR/USD']);
    exchange.start();
    await exchange.finished;
    await client.waitFor(() => client.texts().filter(isData).length >= book.length + trades.length, 'all frames');
    const received = client.texts().filter(isData);
    expect(received.filter((text) => text.includes('"book-1000"'))).toEqual(book);
    expect(received.filter((text) => text.includes('"trade"'))).toEqual(trades);
    expect(received).toHaveLength(book.length + trades.length);
  });

  it('stops a pair on unsubscribe', async () => {
    const exchange = await krakenExchange({}, 40);
    const client = await harness.client(exchange.url('/'));
    client.send({ event: 'subscribe', pair: ['XMR/USD', 'ETH/CHF'], subscription: { name: 'book', depth: 1000 } });
    exchange.start();
    const isXmr = (text: string): boolean => text.endsWith('"XMR/USD"]');
    await client.waitFor(() => client.texts().filter(isXmr).length >= 20, '20 XMR/USD frames');
    client.send({ event: 'unsubscribe', reqid: 3, pair: ['XMR/USD'], subscription: { name: 'book', depth: 1000 } });
    const ack = await client.next((text) => text.includes('"status":"unsubscribed"'), 'unsubscribed');
    expect(ack.text).toBe(
      '{"channelID":992,"channelName":"book-1000","event":"subscriptionStatus","pair":"XMR/USD","reqid":3,"status":"unsubscribed","subscription":{"depth":1000,"name":"book"}}',
    );
    await exchange.finished;
    const after = client.texts().slice(client.messages.indexOf(ack) + 1);
    expect(after.filter(isXmr)).toEqual([]);
    expect(after.some((text) => text.endsWith('"ETH/CHF"]'))).toBe(true);
  });

  it('answers bad requests the way Kraken does', async () => {
    const exchange = await krakenExchange();
    const client = await harness.client(exchange.url('/'));
    client.send({ event: 'subscribe', pair: ['FOO/BAR'], subscription: { name: 'book', depth: 1000 } });
    client.send({ event: 'subscribe', pair: ['XBT/CHF'], subscription: { name: 'book', depth: 7 } });
    client.send({ event: 'subscribe', pair: ['XBTCHF'], subscription: { name: 'ticker' } });
    client.send({ event: 'subscribe', pair: ['XBT/CHF'], subscription: { name: 'trades' } });
    client.send({ event: 'subscribe', pair: ['XBT/CHF'], subscription: { name: 'book', depth: 10 } });
    client.send('{"event":');
    client.send({ event: 'dance', reqid: 4 });
    await client.waitFor(() => client.messages.length >= 8, 'seven replies');
    expect(client.texts().slice(1)).toEqual([
      '{"errorMessage":"Currency pair not supported FOO/BAR","event":"subscriptionStatus","pair":"FOO/BAR","status":"error","subscription":{"depth":1000,"name":"book"}}',
      '{"errorMessage":"Subscription depth not supported","event":"subscriptionStatus","pair":"XBT/CHF","status":"error","subscription":{"depth":7,"name":"book"}}',
      '{"errorMessage":"Currency pair not in ISO 4217-A3 format XBTCHF","event":"subscriptionStatus","pair":"XBTCHF","status":"error","subscription":{"name":"ticker"}}',
      '{"errorMessage":"Subscription name invalid","event":"subscriptionStatus","pair":"XBT/CHF","status":"error","subscription":{"name":"trades"}}',
      // The capture has book-1000 only: another depth is refused rather than silently empty.
      '{"errorMessage":"Subscription depth not supported","event":"subscriptionStatus","pair":"XBT/CHF","status":"error","subscription":{"depth":10,"name":"book"}}',
      '{"errorMessage":"Malformed request","event":"error"}',
      '{"errorMessage":"Unsupported event","event":"error","reqid":4}',
    ]);
    expect(exchange.stats().clientErrors).toBe(7);
    expect(client.isClosed).toBe(false);
  });

  it('refuses a second subscription to the same channel', async () => {
    const exchange = await krakenExchange();
    const client = await harness.client(exchange.url('/'));
    const request = { event: 'subscribe', pair: ['XBT/CHF'], subscription: { name: 'ticker' } };
    client.send(request);
    client.send(request);
    await client.waitFor(() => client.messages.length >= 3, 'two replies');
    expect(JSON.parse(client.texts()[1]!)).toMatchObject({ status: 'subscribed', channelName: 'ticker' });
    expect(JSON.parse(client.texts()[2]!)).toMatchObject({ status: 'error', errorMessage: 'Already subscribed' });
  });

  it('answers ping with pong carrying the reqid', async () => {
    const exchange = await krakenExchange();
    const client = await harness.client(exchange.url('/'));
    client.send({ event: 'ping', reqid: 42 });
    await client.next((text) => text === '{"event":"pong","reqid":42}', 'pong');
  });

  it('sends heartbeats about every interval when a subscribed connection is idle, none without a subscription', async () => {
    const exchange = await krakenExchange({ heartbeatIntervalMs: 50 });
    const subscribed = await harness.client(exchange.url('/'));
    const bare = await harness.client(exchange.url('/'));
    subscribed.send({ event: 'subscribe', pair: ['XBT/CHF'], subscription: { name: 'ticker' } });
    const heartbeats = (): number => subscribed.texts().filter((text) => text === '{"event":"heartbeat"}').length;
    await subscribed.waitFor(() => heartbeats() >= 4, 'four heartbeats');
    const beats = subscribed.messages.filter((message) => message.text === '{"event":"heartbeat"}');
    for (let i = 1; i < beats.length; i++) expect(beats[i]!.at - beats[i - 1]!.at).toBeGreaterThanOrEqual(45);
    expect(bare.texts()).toHaveLength(1); // systemStatus only
  });
});
