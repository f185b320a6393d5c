import { afterEach, describe, expect, it } from 'vitest';
import { coinbaseDialect, type CoinbaseDialectOptions } from './coinbase';
import { Harness, sharedSource } from './test-support/harness';
import { recordedFrames } from './test-support/recorded-lines';

const COINBASE = 'coinbase/coinbase-exchange-ws.ndjson';

const harness = new Harness();
afterEach(() => harness.cleanup());

async function coinbaseExchange(options: CoinbaseDialectOptions = {}, speed: number | 'max' = 'max') {
  const dialect = coinbaseDialect({ heartbeatIntervalMs: 60_000, ...options });
  const source = await sharedSource(dialect, [COINBASE]);
  return harness.exchange({ dialect, source, speed });
}

interface Message {
  readonly type: string;
  readonly product_id?: string;
  readonly trade_id?: number;
  readonly sequence?: number;
}

function recordedOf(types: readonly string[], products: readonly string[]): string[] {
  return recordedFrames(COINBASE).filter((frame) => {
    const message = JSON.parse(frame) as Message;
    return types.includes(message.type) && products.includes(message.product_id ?? '');
  });
}

describe('Coinbase Exchange dialect', () => {
  it('replies with the subscriptions list and sends exactly the recorded frames of the subscribed channels', async () => {
    const exchange = await coinbaseExchange();
    const client = await harness.client(exchange.url('/'));
    client.send({
      type: 'subscribe',
      product_ids: ['SKL-USD', 'DASH-BTC'],
      channels: ['level2', { name: 'matches', product_ids: ['SKL-BTC'] }],
    });
    await client.waitFor(() => client.messages.length >= 1, 'subscriptions');
    expect(client.texts()[0]).toBe(
      '{"type":"subscriptions","channels":[{"name":"level2","product_ids":["SKL-USD","DASH-BTC"]},{"name":"matches","product_ids":["SKL-BTC"]}]}',
    );
    const expected = recordedFrames(COINBASE).filter((frame) => {
      const message = JSON.parse(frame) as Message;
      const level2 =
        ['snapshot', 'l2update'].includes(message.type) && ['SKL-USD', 'DASH-BTC'].includes(message.product_id ?? '');
      const matches = ['match', 'last_match'].includes(message.type) && message.product_id === 'SKL-BTC';
      return level2 || matches;
    });
    expect(expected.length).toBeGreaterThan(4000);
    exchange.start();
    await exchange.finished;
    await client.waitFor(() => client.messages.length >= 1 + expected.length, 'all frames');
    expect(client.texts().slice(1)).toEqual(expected);
  });

  it('sends heartbeats per product each interval with the last trade id seen', async () => {
    const exchange = await coinbaseExchange({ heartbeatIntervalMs: 40 });
    const client = await harness.client(exchange.url('/'));
    client.send({ type: 'subscribe', product_ids: ['SKL-BTC'], channels: ['heartbeat'] });
    exchange.start();
    await exchange.finished;
    const lastTrade = recordedOf(['match', 'last_match'], ['SKL-BTC'])
      .map((frame) => JSON.parse(frame) as Message)
      .pop();
    const isBeat = (text: string): boolean => text.startsWith('{"type":"heartbeat"');
    const before = client.texts().filter(isBeat).length;
    await client.waitFor(() => client.texts().filter(isBeat).length >= before + 3, 'three more heartbeats');
    const beat = JSON.parse(client.texts().filter(isBeat).pop()!) as Message & { last_trade_id: number; time: string };
    expect(beat).toMatchObject({
      type: 'heartbeat',
      product_id: 'SKL-BTC',
      last_trade_id: lastTrade?.trade_id,
      sequence: lastTrade?.sequence,
    });
    expect(beat.time).toMatch(/^2021-04-17T16:4\d:\d\d\.\d{6}Z$/);
    // Only heartbeats and the subscriptions reply: no data channel was asked for.
    expect(client.texts().filter((text) => !isBeat(text))).toHaveLength(1);
  });

  it('stops a channel on unsubscribe and lists what is left', async () => {
    const exchange = await coinbaseExchange({}, 40);
    const client = await harness.client(exchange.url('/'));
    client.send({ type: 'subscribe', product_ids: ['SKL-USD'], channels: ['level2', 'ticker'] });
    exchange.start();
    const isLevel2 = (text: string): boolean => text.startsWith('{"type":"l2update","product_id":"SKL-USD"');
    await client.waitFor(() => client.texts().filter(isLevel2).length >= 50, '50 updates');
    client.send({ type: 'unsubscribe', product_ids: ['SKL-USD'], channels: ['level2'] });
    const reply = await client.next(
      (text) => text === '{"type":"subscriptions","channels":[{"name":"ticker","product_ids":["SKL-USD"]}]}',
      'subscriptions after unsubscribe',
    );
    await exchange.finished;
    expect(
      client
        .texts()
        .slice(client.messages.indexOf(reply) + 1)
        .filter(isLevel2),
    ).toEqual([]);
  });

  it('answers invalid products and channels with the venue error shape', async () => {
    const exchange = await coinbaseExchange();
    const client = await harness.client(exchange.url('/'));
    client.send({ type: 'subscribe', product_ids: ['GIBBERISH-USD'], channels: ['level2'] });
    client.send({ type: 'subscribe', product_ids: ['SKL-USD'], channels: ['level3'] });
    client.send({ type: 'subscribe', channels: ['heartbeat'] });
    client.send('{');
    await client.waitFor(() => client.messages.length >= 4, 'four errors');
    expect(client.texts()).toEqual([
      '{"type":"error","message":"Failed to subscribe","reason":"GIBBERISH-USD is not a valid product"}',
      '{"type":"error","message":"Failed to subscribe","reason":"level3 is not a valid channel"}',
      '{"type":"error","message":"Failed to subscribe","reason":"You need to specify at least one product ID for channel heartbeat"}',
      '{"type":"error","message":"Malformed JSON"}',
    ]);
  });

  it('disconnects a client that does not subscribe within the deadline', async () => {
    const exchange = await coinbaseExchange({ subscribeDeadlineMs: 150 });
    const lazy = await harness.client(exchange.url('/'));
    const prompt = await harness.client(exchange.url('/'));
    prompt.send({ type: 'subscribe', product_ids: ['SKL-USD'], channels: ['ticker'] });
    const closed = await lazy.closed;
    expect(closed.code).toBe(1008);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(prompt.isClosed).toBe(false);
  });
});
