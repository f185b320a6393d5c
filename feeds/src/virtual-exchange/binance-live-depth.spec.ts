import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { compareDecimals, toDecimal } from '../decimal';
import { binanceDialect } from './binance';
import type { VirtualExchange } from './exchange';
import type { FaultSpec } from './faults';
import {
  depthEvents,
  fetchDepth,
  syncBook,
  type Market,
  type RestDepth,
  type SyncedBook,
} from './test-support/binance-book-client';
import { Harness, sharedSource } from './test-support/harness';
import type { TestClient } from './test-support/test-client';
import { wireSides } from './test-support/venue-book-replays';

interface Capture {
  readonly market: Market;
  readonly ws: string;
  readonly rest: string;
  readonly path: string;
  /** The largest REST limit the market serves. */
  readonly maxLimit: number;
  readonly symbols: readonly string[];
}

const SPOT: Capture = {
  market: 'spot',
  ws: 'binance/binance-spot-ws.ndjson',
  rest: 'binance/binance-spot-rest-depth.ndjson',
  path: '/api/v3/depth',
  maxLimit: 5000,
  symbols: ['NKNUSDT', 'BLZETH', 'LRCBTC', 'RUNEEUR'],
};
const USDM: Capture = {
  market: 'usdm',
  ws: 'binance/binance-usdm-futures-ws.ndjson',
  rest: 'binance/binance-usdm-futures-rest-depth.ndjson',
  path: '/fapi/v1/depth',
  maxLimit: 1000,
  symbols: ['SUSHIUSDT', 'AKROUSDT', 'KEEPUSDT', 'CTKUSDT'],
};
/** 31 s of capture in about 1 s. */
const SPEED = 30;

const harness = new Harness();
afterEach(() => harness.cleanup());

async function captureExchange(capture: Capture, speed: number | 'max', faults: readonly FaultSpec[] = []) {
  const dialect = binanceDialect({ market: capture.market, maxIncomingPerSecond: 100 });
  const source = await sharedSource(dialect, [capture.ws], capture.rest);
  const exchange = await harness.exchange({ dialect, source, speed, faults });
  return { exchange, source };
}

function depthUrl(exchange: VirtualExchange, capture: Capture): string {
  return exchange.url(`/stream?streams=${capture.symbols.map((s) => `${s.toLowerCase()}@depth@100ms`).join('/')}`);
}

/**
 * Binance's procedure from step 2 on: with the stream open and buffering, wait for the symbol's
 * first event (or the end of the recording, when no event is left to come), then GET the snapshot.
 */
async function snapshotAfterFirstEvent(
  exchange: VirtualExchange,
  client: TestClient,
  capture: Capture,
  symbol: string,
): Promise<RestDepth> {
  let ended = false;
  void exchange.finished.then(() => {
    ended = true;
  });
  await client.waitFor(() => ended || depthEvents(client, symbol).length > 0, `a ${symbol} event`, 10_000);
  return fetchDepth(exchange.httpUrl(`${capture.path}?symbol=${symbol}&limit=${capture.maxLimit}`));
}

/** Waits until every frame sent before this call has arrived (the reply queues behind them). */
async function barrier(client: TestClient, id: number): Promise<void> {
  client.send({ method: 'LIST_SUBSCRIPTIONS', id });
  await client.next((text) => text.endsWith(`"id":${id}}`), 'the barrier reply');
}

/**
 * The late book must equal the early one. A REST answer cut at `limit` knows nothing below its
 * worst level, so a cut side is compared from its best level down to that price.
 */
function expectSameBook(early: SyncedBook, late: SyncedBook, limit: number, symbol: string): number {
  const earlySides = wireSides(early.book);
  const lateSides = wireSides(late.book);
  let cutSides = 0;
  for (const side of ['bid', 'ask'] as const) {
    const fetched = side === 'bid' ? late.snapshot.bids : late.snapshot.asks;
    const floor = fetched.length === limit ? fetched.at(-1)?.[0] : undefined;
    if (floor === undefined) {
      expect(lateSides[side], `${symbol} ${side}s`).toEqual(earlySides[side]);
      continue;
    }
    cutSides++;
    const within = (levels: string[][]): string[][] =>
      levels.filter(([price]) => {
        const order = compareDecimals(toDecimal(price ?? ''), toDecimal(floor));
        return side === 'bid' ? order >= 0 : order <= 0;
      });
    expect(within(lateSides[side]), `${symbol} ${side}s down to ${floor}`).toEqual(within(earlySides[side]));
  }
  return cutSides;
}

describe('Binance REST depth from the live book', () => {
  it.each([SPOT, USDM])(
    "$market: a client that connects halfway through syncs from REST and ends with the early client's books",
    async (capture) => {
      const { exchange, source } = await captureExchange(capture, SPEED);
      const early = await harness.client(depthUrl(exchange, capture));
      exchange.start();
      const earlySnapshots = Promise.all(
        capture.symbols.map((symbol) => snapshotAfterFirstEvent(exchange, early, capture, symbol)),
      );
      const halfway = (source.startTime ?? 0) + ((source.endTime ?? 0) - (source.startTime ?? 0)) / 2;
      while (exchange.now() < halfway) await sleep(5);
      const late = await harness.client(depthUrl(exchange, capture));
      const lateSnapshots = await Promise.all(
        capture.symbols.map((symbol) => snapshotAfterFirstEvent(exchange, late, capture, symbol)),
      );
      await exchange.finished;
      await Promise.all([barrier(early, 1), barrier(late, 2)]);
      const fromStart = await earlySnapshots;
      let cutSides = 0;
      let lateEvents = 0;
      capture.symbols.forEach((symbol, i) => {
        const earlyBook = syncBook(capture.market, fromStart[i]!, depthEvents(early, symbol));
        const lateBook = syncBook(capture.market, lateSnapshots[i]!, depthEvents(late, symbol));
        // Halfway through, the REST answer is the live book: newer than any recorded snapshot.
        expect(lateBook.snapshot.lastUpdateId).toBeGreaterThan(earlyBook.snapshot.lastUpdateId);
        lateEvents += lateBook.applied;
        cutSides += expectSameBook(earlyBook, lateBook, capture.maxLimit, symbol);
      });
      expect(lateEvents).toBeGreaterThan(20);
      // Only the deepest usdm book (SUSHIUSDT) outgrows the 1000 levels a futures REST answer carries.
      expect(cutSides).toBeLessThanOrEqual(capture.market === 'spot' ? 0 : 2);
    },
    20_000,
  );

  it("a frame dropped for one connection leaves the exchange's book, and everyone else's REST answer, intact", async () => {
    const stream = 'nknusdt@depth@100ms';
    const { exchange } = await captureExchange(SPOT, 'max', [
      { kind: 'drop', connections: 1, count: 3, match: (frame) => frame.stream === stream && frame.index >= 40 },
    ]);
    const victim = await harness.client(exchange.url(`/stream?streams=${stream}`));
    const clean = await harness.client(exchange.url(`/stream?streams=${stream}`));
    const before = await fetchDepth(exchange.httpUrl('/api/v3/depth?symbol=NKNUSDT&limit=5000'));
    exchange.start();
    await exchange.finished;
    await Promise.all([barrier(victim, 1), barrier(clean, 2)]);
    expect(exchange.stats().faultsApplied.drop).toBe(3);
    expect(() => syncBook('spot', before, depthEvents(victim, 'NKNUSDT'))).toThrow(/gap/);
    const reference = syncBook('spot', before, depthEvents(clean, 'NKNUSDT'));
    const after = await fetchDepth(exchange.httpUrl('/api/v3/depth?symbol=NKNUSDT&limit=5000'));
    expect(after.lastUpdateId).toBe(depthEvents(clean, 'NKNUSDT').at(-1)?.u);
    expect({ bid: after.bids, ask: after.asks }).toEqual(wireSides(reference.book));
  });

  it('honours limit as Binance does: spot default 100, at most 5000; usdm default 500, at most 1000', async () => {
    const spot = await captureExchange(SPOT, 'max');
    const depth = (path: string): Promise<Response> => fetch(spot.exchange.httpUrl(path));
    // Before the first recorded snapshot is reached: that snapshot, cut to the limit.
    const recorded = await fetchDepth(spot.exchange.httpUrl('/api/v3/depth?symbol=NKNUSDT'));
    expect(recorded.lastUpdateId).toBe(499869752);
    expect([recorded.bids.length, recorded.asks.length]).toEqual([100, 100]);
    spot.exchange.start();
    await spot.exchange.finished;
    const live = await fetchDepth(spot.exchange.httpUrl('/api/v3/depth?symbol=NKNUSDT'));
    expect([live.bids.length, live.asks.length]).toEqual([100, 100]);
    const five = await fetchDepth(spot.exchange.httpUrl('/api/v3/depth?symbol=NKNUSDT&limit=5'));
    expect(five.bids).toEqual(live.bids.slice(0, 5));
    expect(five.asks).toEqual(live.asks.slice(0, 5));
    const all = await fetchDepth(spot.exchange.httpUrl('/api/v3/depth?symbol=NKNUSDT&limit=99999'));
    // Above 5000 the answer is cut to 5000: this whole book (994 asks) fits.
    expect(all.asks.length).toBeGreaterThan(900);
    expect(all.bids.slice(0, 100)).toEqual(live.bids);
    const bad = await depth('/api/v3/depth?symbol=NKNUSDT&limit=ten');
    expect([bad.status, ((await bad.json()) as { code: number }).code]).toEqual([400, -1100]);
    expect(((await (await depth('/api/v3/depth?symbol=NKNUSDT&limit=')).json()) as { code: number }).code).toBe(-1105);

    const usdm = await captureExchange(USDM, 'max');
    usdm.exchange.start();
    await usdm.exchange.finished;
    const futures = (await (
      await fetch(usdm.exchange.httpUrl('/fapi/v1/depth?symbol=SUSHIUSDT'))
    ).json()) as RestDepth & {
      E: number;
      T: number;
    };
    expect([futures.bids.length, futures.asks.length]).toEqual([500, 500]);
    expect(Object.keys(futures)).toEqual(['lastUpdateId', 'E', 'T', 'bids', 'asks']);
    expect(futures.E).toBe(Math.floor(usdm.exchange.now() / 1000));
    expect(futures.T).toBeGreaterThan(1626992740000);
    const most = await fetchDepth(usdm.exchange.httpUrl('/fapi/v1/depth?symbol=SUSHIUSDT&limit=5000'));
    expect(most.bids).toHaveLength(1000);
  });
});
