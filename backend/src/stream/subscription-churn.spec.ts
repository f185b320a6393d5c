import 'reflect-metadata';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { API_SUBPROTOCOL } from '@tickwire/feeds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MarketService } from '../market/market.service';
import { type RunningGateway, startGateway } from '../test-support/gateway-harness';
import { rawText } from './raw-text';
import { SequenceChecker } from '../test-support/sequence-checker';
import { ChannelRegistry } from './channel-registry';

/*
 * 10,000 subscribe/unsubscribe cycles leave nothing behind: no channel streams, no listeners on the
 * instruments' subjects, exactly the wanted upstream subscriptions, and a heap after GC within a
 * few percent of the baseline.
 */

const CYCLES = 10_000;
/** Requests in flight at once (each cycle is a subscribe and an unsubscribe). */
const WINDOW = 50;
const BTC = 'simulated:BTC-USDT';
const ETH = 'simulated:ETH-USDT';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** The least heap after GC over a few samples: what is retained, not data in flight at one instant. */
async function heapAfterGc(): Promise<number> {
  let least = Number.POSITIVE_INFINITY;
  for (let sample = 0; sample < 10; sample++) {
    gc();
    least = Math.min(least, process.memoryUsage().heapUsed);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return least;
}

/** A client that only counts acks and errors (keeps no messages). */
class AckCounter {
  acks = 0;
  errors: string[] = [];
  private waiting: { target: number; resolve: () => void } | undefined;

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const text = rawText(data);
      if (text.startsWith('{"type":"ack"')) this.acks++;
      else if (text.startsWith('{"type":"error"')) this.errors.push(text);
      if (this.waiting !== undefined && this.acks >= this.waiting.target) {
        const { resolve } = this.waiting;
        this.waiting = undefined;
        resolve();
      }
    });
  }

  until(target: number): Promise<void> {
    if (this.acks >= target) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiting = { target, resolve };
    });
  }
}

/** The i-th cycle's request: book streams of many depths and intervals, trades, bbo and candles on both instruments. */
function request(i: number): Record<string, unknown> {
  const instrument = i % 2 === 0 ? BTC : ETH;
  switch (i % 4) {
    case 0:
      return { channel: 'book', instrument, depth: 1 + (i % 97), intervalMs: i % 3 === 0 ? 0 : 100 };
    case 1:
      return { channel: 'trades', instrument };
    case 2:
      return { channel: 'bbo', instrument, intervalMs: i % 8 === 2 ? 0 : 50 };
    default:
      return { channel: 'candles', instrument, interval: i % 8 === 3 ? '1s' : '1m' };
  }
}

async function churn(client: AckCounter, from: number, count: number): Promise<void> {
  for (let start = from; start < from + count; start += WINDOW) {
    const end = Math.min(start + WINDOW, from + count);
    const before = client.acks;
    for (let i = start; i < end; i++) {
      const message = request(i);
      client.socket.send(JSON.stringify({ op: 'subscribe', id: i, ...message }));
      client.socket.send(JSON.stringify({ op: 'unsubscribe', id: i, ...message }));
    }
    await client.until(before + (end - start) * 2);
  }
}

describe('subscription churn', () => {
  let gateway: RunningGateway;

  beforeAll(async () => {
    gateway = await startGateway({
      // Not pinned: upstream subscriptions exist only while some stream wants them.
      feeds: [{ kind: 'simulated', protocol: 'binance', seed: 11, messagesPerSecond: 50, pinned: false }],
      limits: { maxMessagesPerSecond: 10_000, messageBurst: 10_000, heartbeatMs: 60_000 },
    });
  });

  afterAll(async () => {
    await gateway.close();
  });

  it(`${CYCLES} subscribe/unsubscribe cycles leave no streams, listeners, upstream subscriptions or heap growth`, async () => {
    const market = gateway.app.get(MarketService);
    const registry = gateway.app.get(ChannelRegistry);
    // A steady subscriber keeps BTC's book live upstream throughout, as a trader's terminal would.
    const anchor = await SequenceChecker.open(gateway.streamUrl);
    anchor.send({ op: 'subscribe', channel: 'book', instrument: BTC, depth: 20, intervalMs: 1000 });
    const socket = new WebSocket(gateway.streamUrl, [API_SUBPROTOCOL]);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    const client = new AckCounter(socket);

    const wanted = (): string[] =>
      market
        .runningFeeds()
        .flatMap((feed) => feed.pool.subscriptions.map((s) => `${feed.id}:${s.symbol} ${s.channel}`))
        .sort();
    /** Which of the instruments' subjects have an observer (a channel stream following them). */
    const listeners = (): string[] =>
      [BTC, ETH].flatMap((key) => {
        const m = market.market(key)!;
        const subjects = { book: m.bookChanged$, trade: m.trade$, candle: m.candle$, bbo: m.bbo$, status: m.status$ };
        return Object.entries(subjects)
          .filter(([, subject]) => subject.observed)
          .map(([name]) => `${key} ${name}`);
      });

    // Warm-up as long as the measured run: code compiled, pools and caches at their steady size.
    await churn(client, 0, CYCLES);
    const baselineStreams = registry.size;
    const baselineListeners = listeners();
    const baselineUpstream = wanted();
    const baselineHeap = await heapAfterGc();

    await churn(client, CYCLES, CYCLES);
    expect(client.acks).toBe(CYCLES * 2 * 2);
    expect(client.errors).toEqual([]);

    // Upstream unsubscribes of the last cycles may still be settling in the pool: they are synchronous, so one tick is enough.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(registry.size).toBe(baselineStreams);
    expect(registry.size).toBe(1); // the anchor's book stream alone
    expect(listeners()).toEqual(baselineListeners);
    expect(listeners()).toEqual([`${BTC} book`]);
    expect(wanted()).toEqual(baselineUpstream);
    expect(wanted()).toEqual(['simulated:BTC-USDT book']);
    const heap = await heapAfterGc();
    const growth = (heap - baselineHeap) / baselineHeap;
    console.log(
      `churn: ${CYCLES} cycles; heap after GC ${(baselineHeap / 1048576).toFixed(1)} → ${(heap / 1048576).toFixed(1)} MiB (${(growth * 100).toFixed(1)}%)`,
    );
    expect(growth).toBeLessThan(0.05);
    expect(anchor.gaps).toBe(0);

    socket.close();
    await anchor.close();
  }, 180_000);
});
