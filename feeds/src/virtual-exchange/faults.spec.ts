import { afterEach, describe, expect, it } from 'vitest';
import { binanceDialect, type BinanceDialectOptions } from './binance';
import { bitfinexDialect } from './bitfinex';
import type { FaultSpec } from './faults';
import { krakenDialect } from './kraken';
import { okxDialect } from './okx';
import { Harness, sharedSource } from './test-support/harness';
import { recordedFrames } from './test-support/recorded-lines';
import type { TestClient } from './test-support/test-client';

const SPOT_WS = 'binance/binance-spot-ws.ndjson';
const DEPTH = 'nknusdt@depth@100ms';

const harness = new Harness();
afterEach(() => harness.cleanup());

async function spotExchange(
  faults: readonly FaultSpec[],
  speed: number | 'max' = 'max',
  options: BinanceDialectOptions = {},
) {
  const dialect = binanceDialect({ maxIncomingPerSecond: 10_000, ...options });
  const source = await sharedSource(dialect, [SPOT_WS]);
  return harness.exchange({ dialect, source, speed, faults });
}

const recordedDepth = recordedFrames(SPOT_WS).filter((frame) => frame.startsWith(`{"stream":"${DEPTH}"`));

interface DepthUpdate {
  readonly U: number;
  readonly u: number;
}

function updates(texts: readonly string[]): DepthUpdate[] {
  return texts.map((text) => (JSON.parse(text) as { data: DepthUpdate }).data);
}

/** Positions where a diff does not continue the previous one (Binance spot: U == previous u + 1). */
function gaps(texts: readonly string[]): number[] {
  const diffs = updates(texts);
  const found: number[] = [];
  for (let i = 1; i < diffs.length; i++) if (diffs[i]!.U !== diffs[i - 1]!.u + 1) found.push(i);
  return found;
}

async function depthClient(url: string): Promise<TestClient> {
  return harness.client(url);
}

describe('fault injection, observed by a real client', () => {
  it('closeAt: closes with the scripted code and reason after the given time', async () => {
    const exchange = await spotExchange([
      { kind: 'closeAt', after: 100, code: 4001, reason: 'scripted', connections: 1 },
    ]);
    const opened = performance.now();
    const first = await depthClient(exchange.url(`/stream?streams=${DEPTH}`));
    const second = await depthClient(exchange.url(`/stream?streams=${DEPTH}`));
    const closed = await first.closed;
    expect(closed).toMatchObject({ code: 4001, reason: 'scripted' });
    expect(closed.at - opened).toBeGreaterThanOrEqual(95);
    expect(second.isClosed).toBe(false);
    // Faults added at run time reach open connections too.
    exchange.addFaults([{ kind: 'closeAt', after: 0, code: 4002, connections: [2] }]);
    expect((await second.closed).code).toBe(4002);
    expect(exchange.stats().faultsApplied.closeAt).toBe(2);
  });

  it('closeAt with terminate: the socket drops without a close frame (1006)', async () => {
    const exchange = await spotExchange([{ kind: 'closeAt', after: 50, terminate: true }]);
    const client = await depthClient(exchange.url(`/stream?streams=${DEPTH}`));
    expect((await client.closed).code).toBe(1006);
  });

  it('closeAt afterFrames: a reconnecting client misses what the shared timeline sent meanwhile', async () => {
    const exchange = await spotExchange([{ kind: 'closeAt', afterFrames: 20, code: 1001, connections: 1 }], 30);
    const first = await depthClient(exchange.url(`/stream?streams=${DEPTH}`));
    exchange.start();
    expect((await first.closed).code).toBe(1001);
    expect(first.texts()).toEqual(recordedDepth.slice(0, 20));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const second = await depthClient(exchange.url(`/stream?streams=${DEPTH}`));
    await exchange.finished;
    await second.waitFor(() => second.texts().at(-1) === recordedDepth.at(-1), 'the last frame after reconnecting');
    const [lastBefore] = updates(first.texts().slice(-1));
    const [firstAfter] = updates(second.texts().slice(0, 1));
    expect(firstAfter!.U).toBeGreaterThan(lastBefore!.u + 1);
    expect(first.messages.length + second.messages.length).toBeLessThan(recordedDepth.length);
    // What the second connection got is the recording's tail, uninterrupted.
    expect(recordedDepth.slice(-second.messages.length)).toEqual(second.texts());
  });

  it('closeEvery: every open connection is closed each period', async () => {
    const exchange = await spotExchange([{ kind: 'closeEvery', every: 150, code: 1012, reason: 'restart' }]);
    const closes: number[] = [];
    for (let round = 0; round < 3; round++) {
      const client = await depthClient(exchange.url(`/stream?streams=${DEPTH}`));
      const closed = await client.closed;
      expect(closed).toMatchObject({ code: 1012, reason: 'restart' });
      closes.push(closed.at);
    }
    for (let i = 1; i < closes.length; i++) {
      expect(closes[i]! - closes[i - 1]!).toBeGreaterThanOrEqual(100);
      expect(closes[i]! - closes[i - 1]!).toBeLessThan(1000);
    }
    expect(exchange.stats().faultsApplied.closeEvery).toBeGreaterThanOrEqual(3);
  });

  it('stall: no message and no ping for the duration, then the held frames follow in order', async () => {
    const exchange = await spotExchange([{ kind: 'stall', after: 250, duration: 350 }], 30, {
      pingIntervalMs: 20,
      pongTimeoutMs: 60_000,
    });
    const client = await depthClient(exchange.url(`/stream?streams=${DEPTH}`));
    const opened = performance.now();
    exchange.start();
    await exchange.finished;
    await client.waitFor(() => client.messages.length >= recordedDepth.length, 'all frames after the stall');
    expect(client.texts()).toEqual(recordedDepth);
    const events = [...client.messages.map((message) => message.at), ...client.pings.map((ping) => ping.at)].sort(
      (a, b) => a - b,
    );
    let widest = { gap: 0, from: 0 };
    for (let i = 1; i < events.length; i++) {
      const gap = events[i]! - events[i - 1]!;
      if (gap > widest.gap) widest = { gap, from: events[i - 1]! - opened };
    }
    expect(widest.gap).toBeGreaterThanOrEqual(330);
    expect(widest.from).toBeGreaterThanOrEqual(200);
    expect(client.pings.some((ping) => ping.at - opened > 650)).toBe(true);
  });

  it('stall with discard: the frames of the stall are lost and the client sees a gap', async () => {
    const exchange = await spotExchange([{ kind: 'stall', after: 250, duration: 350, discard: true }], 30);
    const client = await depthClient(exchange.url(`/stream?streams=${DEPTH}`));
    exchange.start();
    await exchange.finished;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(client.messages.length).toBeLessThan(recordedDepth.length);
    expect(gaps(client.texts())).toHaveLength(1);
  });

  it('drop: the matching diff never arrives and the U/u chain has exactly one gap', async () => {
    const victim = updates(recordedDepth)[10]!;
    const exchange = await spotExchange([
      { kind: 'drop', match: (frame) => frame.stream === DEPTH && frame.data.includes(`"U":${victim.U},`) },
    ]);
    const client = await depthClient(exchange.url(`/stream?streams=${DEPTH}/nknusdt@bookTicker`));
    exchange.start();
    await exchange.finished;
    const expected = recordedFrames(SPOT_WS).filter(
      (frame) =>
        (frame.startsWith(`{"stream":"${DEPTH}"`) || frame.startsWith('{"stream":"nknusdt@bookTicker"')) &&
        !frame.includes(`"U":${victim.U},`),
    );
    await client.waitFor(() => client.messages.length >= expected.length, 'all other frames');
    expect(client.texts()).toEqual(expected);
    const depth = client.texts().filter((text) => text.startsWith(`{"stream":"${DEPTH}"`));
    expect(gaps(depth)).toEqual([10]);
    expect(gaps(recordedDepth)).toEqual([]);
    expect(exchange.stats().faultsApplied.drop).toBe(1);
  });

  it('drop on Bitfinex with SEQ_ALL: the sequence number of the dropped frame is missing', async () => {
    const dialect = bitfinexDialect({ heartbeatIntervalMs: 60_000 });
    const source = await sharedSource(dialect, ['bitfinex/bitfinex-v2-ws.ndjson']);
    const exchange = await harness.exchange({ dialect, source, speed: 'max', faults: [{ kind: 'drop', index: 5 }] });
    const client = await harness.client(exchange.url('/ws/2'));
    client.send({ event: 'conf', flags: 65536 });
    client.send({ event: 'subscribe', channel: 'book', symbol: 'tIOTETH' });
    await client.waitFor(() => client.messages.length >= 3, 'subscribed');
    exchange.start();
    await exchange.finished;
    await client.waitFor(() => client.texts().filter((text) => text.startsWith('[')).length >= 20, 'frames');
    const seqs = client
      .texts()
      .filter((text) => text.startsWith('['))
      .map((text) => (JSON.parse(text) as number[]).at(-1));
    expect(seqs.slice(0, 8)).toEqual([1, 2, 3, 4, 5, 7, 8, 9]);
  });

  it('duplicate: the frame arrives twice in a row', async () => {
    const exchange = await spotExchange([{ kind: 'duplicate', index: 3 }]);
    const client = await depthClient(exchange.url(`/stream?streams=${DEPTH}`));
    exchange.start();
    await exchange.finished;
    await client.waitFor(() => client.messages.length >= recordedDepth.length + 1, 'all frames and the copy');
    expect(client.texts()).toEqual([...recordedDepth.slice(0, 4), recordedDepth[3], ...recordedDepth.slice(4)]);
    const [third, copy] = updates(client.texts().slice(3, 5));
    expect(copy!.u).toBe(third!.u);
  });

  it('reorder: a matching frame arrives right after the next one, everything else in recorded order', async () => {
    const exchange = await spotExchange([
      { kind: 'reorder', index: 3, connections: 1 },
      {
        kind: 'reorder',
        match: (frame) => frame.data.includes(`"u":${updates(recordedDepth)[10]!.u},`),
        connections: 1,
      },
      // With no frame after it, a held frame still goes out once maxHoldMs has passed.
      { kind: 'reorder', index: recordedDepth.length - 1, maxHoldMs: 100, connections: 2 },
    ]);
    const swapped = await depthClient(exchange.url(`/stream?streams=${DEPTH}`));
    const tail = await depthClient(exchange.url(`/stream?streams=${DEPTH}`));
    exchange.start();
    await exchange.finished;
    await swapped.waitFor(() => swapped.messages.length >= recordedDepth.length, 'all frames');
    const r = recordedDepth;
    expect(swapped.texts()).toEqual([...r.slice(0, 3), r[4], r[3], ...r.slice(5, 10), r[11], r[10], ...r.slice(12)]);
    const differing = swapped.texts().flatMap((text, i) => (text === r[i] ? [] : [i]));
    expect(differing).toEqual([3, 4, 10, 11]);
    // The client sees the diff chain go backwards exactly there.
    expect(gaps(swapped.texts())).toEqual([3, 4, 5, 10, 11, 12]);
    await tail.waitFor(() => tail.messages.length >= r.length, 'the held last frame');
    expect(tail.texts()).toEqual(r);
    expect(tail.messages.at(-1)!.at - tail.messages.at(-2)!.at).toBeGreaterThanOrEqual(90);
    expect(exchange.stats().faultsApplied.reorder).toBe(3);
  });

  it('corruptChecksum on Kraken: one update carries another "c" and nothing else changes', async () => {
    const dialect = krakenDialect({ heartbeatIntervalMs: 60_000 });
    const source = await sharedSource(dialect, ['kraken/kraken-v1-book1000.ndjson']);
    const exchange = await harness.exchange({
      dialect,
      source,
      speed: 'max',
      faults: [{ kind: 'corruptChecksum', match: (frame) => frame.stream === 'book-1000:XBT/CHF', count: 1 }],
    });
    const client = await harness.client(exchange.url('/'));
    client.send({ event: 'subscribe', pair: ['XBT/CHF'], subscription: { name: 'book', depth: 1000 } });
    await client.waitFor(() => client.messages.length >= 2, 'subscribed');
    exchange.start();
    await exchange.finished;
    const expected = recordedFrames('kraken/kraken-v1-book1000.ndjson').filter((frame) => frame.endsWith('"XBT/CHF"]'));
    await client.waitFor(
      () => client.texts().filter((text) => text.startsWith('[')).length >= expected.length,
      'frames',
    );
    const received = client.texts().filter((text) => text.startsWith('['));
    const differing = received.flatMap((text, i) => (text === expected[i] ? [] : [i]));
    expect(differing).toHaveLength(1);
    const i = differing[0]!;
    const checksum = (text: string): string | undefined => /"c":"(\d+)"/.exec(text)?.[1];
    expect(checksum(received[i]!)).not.toBe(checksum(expected[i]!));
    expect(received[i]!.replace(/"c":"\d+"/, '')).toBe(expected[i]!.replace(/"c":"\d+"/, ''));
    // The snapshot has no checksum: the fault waited for the first update that has one.
    expect(i).toBe(1);
  });

  it('corruptChecksum on OKX: the checksum field differs from the recording', async () => {
    const dialect = okxDialect();
    const source = await sharedSource(dialect, ['okx/okx-v5-public.ndjson']);
    const exchange = await harness.exchange({
      dialect,
      source,
      speed: 'max',
      faults: [{ kind: 'corruptChecksum', index: 4 }],
    });
    const client = await harness.client(exchange.url('/ws/v5/public'));
    client.send({ op: 'subscribe', args: [{ channel: 'books', instId: 'UNI-USD-SWAP' }] });
    await client.waitFor(() => client.messages.length >= 1, 'ack');
    exchange.start();
    await exchange.finished;
    const expected = recordedFrames('okx/okx-v5-public.ndjson').filter((frame) =>
      frame.startsWith('{"arg":{"channel":"books","instId":"UNI-USD-SWAP"}'),
    );
    await client.waitFor(() => client.messages.length >= 1 + expected.length, 'frames');
    const received = client.texts().slice(1);
    const checksum = (text: string): number => Number(/"checksum":(-?\d+)/.exec(text)?.[1]);
    expect(checksum(received[4]!)).not.toBe(checksum(expected[4]!));
    expect(received[4]!.replace(/"checksum":-?\d+/, '')).toBe(expected[4]!.replace(/"checksum":-?\d+/, ''));
    expect(received.filter((text, i) => text !== expected[i])).toHaveLength(1);
  });

  it('delay: the frame arrives at least the delay later, and frames behind it keep their order', async () => {
    const exchange = await spotExchange([{ kind: 'delay', ms: 250, index: 5 }]);
    const client = await depthClient(exchange.url(`/stream?streams=${DEPTH}`));
    exchange.start();
    await exchange.finished;
    await client.waitFor(() => client.messages.length >= recordedDepth.length, 'all frames');
    expect(client.texts()).toEqual(recordedDepth);
    const [fourth, fifth] = [client.messages[4]!, client.messages[5]!];
    expect(fifth.at - fourth.at).toBeGreaterThanOrEqual(240);
    expect(exchange.stats().faultsApplied.delay).toBe(1);
  });

  it('refuses faults that cannot work', async () => {
    await expect(spotExchange([{ kind: 'closeAt' }])).rejects.toThrow(RangeError);
    await expect(spotExchange([{ kind: 'closeAt', after: 1, code: 1006 }])).rejects.toThrow('cannot be sent');
    await expect(spotExchange([{ kind: 'stall', after: 1, duration: 0 }])).rejects.toThrow(RangeError);
    await expect(spotExchange([{ kind: 'reorder', maxHoldMs: 0 }])).rejects.toThrow('maxHoldMs');
  });
});
