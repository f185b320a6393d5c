import { describe, expect, it } from 'vitest';
import { CoinbaseAdapter, type CoinbaseFeed } from '../adapters/coinbase/coinbase-adapter';
import {
  exchangeEntries,
  RECORDED_PRODUCTS,
  RECORDED_SUBSCRIPTIONS,
  replayExchange,
} from '../adapters/coinbase/test-support/exchange-replay';
import type { OrderBook } from '../book';
import type { FeedStatusEvent, MarketEvent } from '../model/events';
import { coinbaseDialect } from '../virtual-exchange/coinbase';
import { coinbaseAdvancedDialect } from '../virtual-exchange/coinbase-advanced';
import { createVirtualExchange } from '../virtual-exchange/exchange';
import type { FaultFrame, FaultSpec } from '../virtual-exchange/faults';
import { recordingFrameSource } from '../virtual-exchange/recording-source';
import { allLive, consumerBooks, settle, statuses } from './test-support/fault-harness';
import { UpstreamConnection } from './upstream-connection';

/*
 * The real Coinbase Exchange capture served live two ways: in its own (legacy Exchange) protocol,
 * whose level2 carries no sequence, and converted to Advanced Trade, whose per-connection
 * sequence_num makes a lost message visible. The book of the busiest product is the fault target.
 */

/** 31 s of recording in about 4 s. */
const SPEED = 8;
const BUSIEST = 'SKL-USD';
const SYMBOLS: readonly string[] = RECORDED_PRODUCTS;

let referenceOnce: Promise<Map<string, OrderBook>> | undefined;

/** Final books of the fault-free, in-process replay of the capture through the Exchange adapter. */
function reference(): Promise<Map<string, OrderBook>> {
  referenceOnce ??= (async () => consumerBooks((await replayExchange(await exchangeEntries())).sink.events))();
  return referenceOnce;
}

/** A fault predicate matching the `n`th data frame (1-based) of connection 1 that `test` accepts. */
function nth(n: number, test: (frame: FaultFrame) => boolean): (frame: FaultFrame) => boolean {
  let seen = 0;
  return (frame) => test(frame) && ++seen === n;
}

async function runLive(feed: CoinbaseFeed, faults: FaultSpec[]) {
  const dialect = feed === 'exchange' ? coinbaseDialect() : coinbaseAdvancedDialect();
  const exchange = await createVirtualExchange({
    dialect,
    source: await recordingFrameSource(dialect, await exchangeEntries()),
    speed: SPEED,
    startOn: 'connection',
    faults,
  });
  const adapter = new CoinbaseAdapter({ feed, wsUrl: exchange.url('/') });
  const events: MarketEvent[] = [];
  const upstream = new UpstreamConnection({
    adapter,
    subscriptions: RECORDED_SUBSCRIPTIONS,
    onEvent: (event) => events.push(event),
    reconnectBaseMs: 20,
    reconnectMaxMs: 100,
  });
  upstream.start();
  await exchange.finished;
  await settle(events, SYMBOLS);
  await upstream.stop();
  await exchange.close();
  return { events, upstream, exchange };
}

async function expectBooksEqualReference(events: readonly MarketEvent[]) {
  const expected = await reference();
  const books = consumerBooks(events);
  for (const symbol of SYMBOLS) {
    expect(expected.get(symbol)?.toSnapshot().bids.length, symbol).toBeGreaterThan(0);
    expect(books.get(symbol)?.isCrossed(), symbol).toBe(false);
    expect(books.get(symbol)?.toSnapshot(), symbol).toEqual(expected.get(symbol)?.toSnapshot());
  }
}

function resyncs(events: readonly MarketEvent[]): FeedStatusEvent[] {
  return statuses(events).filter((s) => s.symbol !== null && s.state === 'resyncing');
}

describe('UpstreamConnection + Coinbase adapter against the virtual exchange serving the real Exchange capture', () => {
  it('Exchange feed, fault-free: every book goes live and ends equal to the in-process replay', async () => {
    const { events, upstream, exchange } = await runLive('exchange', []);
    expect(allLive(events, SYMBOLS)).toBe(true);
    expect(resyncs(events)).toEqual([]);
    expect(upstream.stats.outcomes.rejected).toEqual({});
    expect(upstream.stats.reconnects).toBe(0);
    expect(Object.values(exchange.stats().faultsApplied).every((n) => n === 0)).toBe(true);
    await expectBooksEqualReference(events);
  }, 60_000);

  it('Exchange feed, closeEvery 1.2 s (first two connections): both reconnects counted, every book recovers', async () => {
    const { events, upstream, exchange } = await runLive('exchange', [
      { kind: 'closeEvery', every: 1200, connections: [1, 2] },
    ]);
    expect(exchange.stats().faultsApplied.closeEvery).toBeGreaterThanOrEqual(2);
    expect(upstream.stats.reconnects).toBe(2);
    expect(upstream.stats.connectionsOpened).toBe(3);
    expect(statuses(events).filter((s) => s.symbol === null && s.state === 'disconnected')).toHaveLength(2);
    expect(allLive(events, SYMBOLS)).toBe(true);
    await expectBooksEqualReference(events);
  }, 60_000);

  it('Exchange feed, a duplicated match and l2update, a dropped match: duplicates ignored by sequence or harmless (absolute sizes), the lost trade seen as a trade_id gap', async () => {
    const { events, upstream, exchange } = await runLive('exchange', [
      { kind: 'duplicate', match: nth(5, (f) => f.data.includes('"type":"match"')), connections: 1 },
      { kind: 'drop', match: nth(40, (f) => f.data.includes('"type":"match"')), connections: 1 },
      {
        kind: 'duplicate',
        match: nth(1000, (f) => f.stream === `level2:${BUSIEST}` && f.data.includes('"type":"l2update"')),
        connections: 1,
      },
    ]);
    expect(exchange.stats().faultsApplied).toMatchObject({ duplicate: 2, drop: 1 });
    expect(upstream.stats.outcomes.ignored['match with an older sequence or trade_id']).toBe(1);
    // level2 has no sequence on this feed: a lost trade is visible, a lost book update would not be.
    expect(upstream.stats.outcomes.parsed['match after a trade_id gap']).toBe(1);
    expect(resyncs(events)).toEqual([]);
    expect(upstream.stats.reconnects).toBe(0);
    await expectBooksEqualReference(events);
  }, 60_000);

  it('Advanced Trade, a dropped level2 message: the sequence_num gap is detected, every book resyncs and recovers', async () => {
    const { events, upstream, exchange } = await runLive('advanced-trade', [
      { kind: 'drop', match: nth(1000, (f) => f.stream === `level2:${BUSIEST}`), connections: 1 },
    ]);
    expect(exchange.stats().faultsApplied.drop).toBe(1);
    const gap = resyncs(events);
    expect(new Set(gap.map((s) => s.symbol))).toEqual(new Set(SYMBOLS));
    expect(gap.every((s) => /sequence/i.test(s.reason))).toBe(true);
    expect(upstream.stats.reconnects).toBe(0);
    expect(allLive(events, SYMBOLS)).toBe(true);
    await expectBooksEqualReference(events);
  }, 60_000);

  it('Advanced Trade, a duplicated level2 message: ignored by its sequence_num, no resync', async () => {
    const { events, upstream, exchange } = await runLive('advanced-trade', [
      { kind: 'duplicate', match: nth(1000, (f) => f.stream === `level2:${BUSIEST}`), connections: 1 },
    ]);
    expect(exchange.stats().faultsApplied.duplicate).toBe(1);
    expect(upstream.stats.outcomes.ignored['sequence_num not above the last one']).toBe(1);
    expect(resyncs(events)).toEqual([]);
    await expectBooksEqualReference(events);
  }, 60_000);
});
