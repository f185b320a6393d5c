import { afterEach, describe, expect, it } from 'vitest';
import { bitfinexDialect, type BitfinexDialectOptions } from './bitfinex';
import { Harness, sharedSource } from './test-support/harness';
import { recordedFrames, recordedTimedFrames } from './test-support/recorded-lines';

const BITFINEX = 'bitfinex/bitfinex-v2-ws.ndjson';

const harness = new Harness();
afterEach(() => harness.cleanup());

async function bitfinexExchange(options: BitfinexDialectOptions = {}, speed: number | 'max' = 'max') {
  const dialect = bitfinexDialect({ heartbeatIntervalMs: 60_000, ...options });
  const source = await sharedSource(dialect, [BITFINEX]);
  return harness.exchange({ dialect, source, speed });
}

interface Subscribed {
  readonly event: string;
  readonly channel: string;
  readonly chanId: number;
  readonly symbol: string;
}

const recorded = recordedFrames(BITFINEX);

function subscribedEvent(channel: string, symbol: string): string {
  const found = recorded.find(
    (frame) =>
      frame.includes('"event":"subscribed"') &&
      frame.includes(`"channel":"${channel}"`) &&
      frame.includes(`"symbol":"${symbol}"`),
  );
  if (found === undefined) throw new Error(`no recorded subscription to ${channel} ${symbol}`);
  return found;
}

/** Recorded data frames of `chanIds` (heartbeats excluded) with the SEQ_ALL number cut off. */
function recordedData(chanIds: readonly number[]): string[] {
  return recorded
    .filter(
      (frame) =>
        frame.startsWith('[') && !frame.includes('"hb"') && chanIds.includes((JSON.parse(frame) as number[])[0]!),
    )
    .map((frame) => frame.replace(/,\d+\]$/, ']'));
}

const isChannelFrame = (text: string): boolean => text.startsWith('[');
const withoutSeq = (text: string): string => text.replace(/,\d+\]$/, ']');
const seqOf = (text: string): number => (JSON.parse(text) as number[]).at(-1)!;

describe('Bitfinex v2 dialect', () => {
  it('greets with info, confirms SEQ_ALL, replays the recorded subscribed events and frames with a contiguous seq', async () => {
    const exchange = await bitfinexExchange();
    const client = await harness.client(exchange.url('/ws/2'));
    client.send({ event: 'conf', flags: 65536 });
    client.send({ event: 'subscribe', channel: 'book', symbol: 'tIOTETH', prec: 'P0', freq: 'F0', len: '100' });
    client.send({ event: 'subscribe', channel: 'trades', symbol: 'tSNGUSD' });
    await client.waitFor(() => client.messages.length >= 4, 'info, conf, two subscribed');
    const book = subscribedEvent('book', 'tIOTETH');
    const trades = subscribedEvent('trades', 'tSNGUSD');
    expect(client.texts()).toEqual([
      recorded.find((frame) => frame.includes('"event":"info"')),
      '{"event":"conf","status":"OK","flags":65536}',
      book,
      trades,
    ]);
    const chanIds = [book, trades].map((text) => (JSON.parse(text) as Subscribed).chanId);
    const expected = recordedData(chanIds);
    expect(expected.length).toBeGreaterThan(100);
    exchange.start();
    await exchange.finished;
    await client.waitFor(() => client.texts().filter(isChannelFrame).length >= expected.length, 'all frames');
    const frames = client.texts().filter(isChannelFrame);
    expect(frames.map(withoutSeq)).toEqual(expected);
    expect(frames.map(seqOf)).toEqual(frames.map((_, i) => i + 1));
  });

  it('sends frames without a sequence number when SEQ_ALL is off', async () => {
    const exchange = await bitfinexExchange();
    const client = await harness.client(exchange.url('/ws/2'));
    client.send({ event: 'subscribe', channel: 'ticker', symbol: 'tDOGUSD' });
    await client.waitFor(() => client.messages.length >= 2, 'subscribed');
    const chanId = (JSON.parse(client.texts()[1]!) as Subscribed).chanId;
    exchange.start();
    await exchange.finished;
    const expected = recordedData([chanId]);
    await client.waitFor(() => client.texts().filter(isChannelFrame).length >= expected.length, 'ticker frames');
    expect(client.texts().filter(isChannelFrame)).toEqual(expected);
  });

  it('answers bad subscriptions with Bitfinex error codes', async () => {
    const exchange = await bitfinexExchange();
    const client = await harness.client(exchange.url('/ws/2'));
    client.send({ event: 'subscribe', channel: 'book', symbol: 'tXYZABC' });
    client.send({ event: 'subscribe', channel: 'orders', symbol: 'tIOTETH' });
    client.send({ event: 'subscribe', channel: 'ticker', symbol: 'tIOTETH' });
    client.send({ event: 'subscribe', channel: 'ticker', symbol: 'tIOTETH' });
    client.send({ event: 'subscribe', channel: 'book', symbol: 'tIOTETH', len: '25' });
    client.send({ event: 'dance' });
    client.send('[[');
    await client.waitFor(() => client.messages.length >= 8, 'seven replies');
    const replies = client
      .texts()
      .slice(1)
      .map((text) => JSON.parse(text) as { event: string; code?: number; msg?: string });
    expect(replies.map((reply) => [reply.event, reply.code ?? null])).toEqual([
      ['error', 10300],
      ['error', 10302],
      ['subscribed', null],
      ['error', 10301],
      ['error', 10300],
      ['error', 10000],
      ['error', 10000],
    ]);
    expect(replies[0]).toMatchObject({ msg: 'symbol: invalid', channel: 'book', symbol: 'tXYZABC' });
    expect(replies[3]).toMatchObject({ msg: 'subscribe: dup' });
  });

  it('stops a channel on unsubscribe', async () => {
    const exchange = await bitfinexExchange({}, 40);
    const client = await harness.client(exchange.url('/ws/2'));
    client.send({ event: 'subscribe', channel: 'book', symbol: 'tIOTETH' });
    client.send({ event: 'subscribe', channel: 'book', symbol: 'tMNABTC' });
    await client.waitFor(() => client.messages.length >= 3, 'subscribed');
    const [iot, mna] = client
      .texts()
      .slice(1, 3)
      .map((text) => (JSON.parse(text) as Subscribed).chanId);
    exchange.start();
    const isIot = (text: string): boolean => text.startsWith(`[${iot},`);
    await client.waitFor(() => client.texts().filter(isIot).length >= 5, 'five book frames');
    client.send({ event: 'unsubscribe', chanId: iot });
    const ack = await client.next(
      (text) => text === `{"event":"unsubscribed","status":"OK","chanId":${iot}}`,
      'unsubscribed',
    );
    await exchange.finished;
    const after = client.texts().slice(client.messages.indexOf(ack) + 1);
    expect(after.filter(isIot)).toEqual([]);
    expect(after.some((text) => text.startsWith(`[${mna},`))).toBe(true);
    client.send({ event: 'unsubscribe', chanId: iot });
    await client.next((text) => text.includes('"code":10400'), 'error for a channel no longer subscribed');
  });

  it('sends [chanId,"hb",seq] on an idle channel and answers ping with pong', async () => {
    const exchange = await bitfinexExchange({ heartbeatIntervalMs: 50 });
    const client = await harness.client(exchange.url('/ws/2'));
    client.send({ event: 'conf', flags: 65536 });
    client.send({ event: 'subscribe', channel: 'ticker', symbol: 'tODEUSD' });
    client.send({ event: 'ping', cid: 1234 });
    await client.waitFor(() => client.messages.length >= 4, 'replies');
    const chanId = (JSON.parse(client.texts().find((text) => text.includes('"subscribed"'))!) as Subscribed).chanId;
    const pong = JSON.parse(client.texts().find((text) => text.includes('"pong"'))!) as { cid: number; ts: number };
    expect(pong.cid).toBe(1234);
    expect(Math.abs(pong.ts - recordedTimeOfFirstFrame())).toBeLessThanOrEqual(1);
    await client.waitFor(() => client.texts().filter((text) => text.includes('"hb"')).length >= 3, 'three heartbeats');
    const beats = client.texts().filter((text) => text.includes('"hb"'));
    expect(beats).toEqual([`[${chanId},"hb",1]`, `[${chanId},"hb",2]`, `[${chanId},"hb",3]`, ...beats.slice(3)]);
  });
});

/** Receive time (ms) of the first data frame: before it starts, the exchange sits at that time. */
function recordedTimeOfFirstFrame(): number {
  const first = recordedTimedFrames(BITFINEX).find(({ frame }) => frame.startsWith('[') && !frame.includes('"hb"'));
  if (first === undefined) throw new Error('no data frame recorded');
  return first.ts;
}
