import { describe, expect, it } from 'vitest';
import { BitfinexAdapter } from '../adapters/bitfinex/bitfinex-adapter';
import { subscriptionsFromSentMessages } from '../adapters/bitfinex/bitfinex-subscriptions';
import { recordingEntries, replayRecording } from '../adapters/bitfinex/test-support/bitfinex-frames';
import type { HeartbeatPolicy, UpstreamSubscription } from '../adapters/venue-adapter';
import type { OrderBook } from '../book';
import type { FeedStatusEvent, MarketEvent } from '../model/events';
import type { RecordingEntry } from '../recording/recording-entry';
import { bitfinexDialect } from '../virtual-exchange/bitfinex';
import { createVirtualExchange } from '../virtual-exchange/exchange';
import type { FaultFrame, FaultSpec } from '../virtual-exchange/faults';
import { recordingFrameSource } from '../virtual-exchange/recording-source';
import { allLive, consumerBooks, settle, statuses } from './test-support/fault-harness';
import { UpstreamConnection } from './upstream-connection';

/** 31 s of recording in about 4 s. */
const SPEED = 8;
/** Idle channels get [chanId,"hb"] after this (the venue: 15 s). */
const EXCHANGE_HEARTBEAT_MS = 100;

/** The real adapter expecting the faster heartbeat of the exchange above. */
class FastHeartbeatBitfinexAdapter extends BitfinexAdapter {
  override readonly heartbeat: HeartbeatPolicy = { expectedIntervalMs: 500 };
}

interface Recorded {
  readonly entries: RecordingEntry[];
  readonly subscriptions: UpstreamSubscription[];
  /** Final books of the fault-free, in-process replay through the same adapter. */
  readonly reference: Map<string, OrderBook>;
  /** Book streams ("book:tSNGUSD") by their number of recorded update frames, busiest first. */
  readonly busyBooks: string[];
}

let recordedOnce: Promise<Recorded> | undefined;

function recorded(): Promise<Recorded> {
  recordedOnce ??= (async () => {
    const entries = await recordingEntries();
    const run = await replayRecording(entries);
    const sent = entries.flatMap((e) => (e.kind === 'sent' && typeof e.data === 'string' ? [e.data] : []));
    const subscriptions = subscriptionsFromSentMessages(sent, (s) => run.adapter.symbolOf(s));
    return { entries, subscriptions, reference: consumerBooks(run.sink.events), busyBooks: busyBooks(entries) };
  })();
  return recordedOnce;
}

/** Book streams by recorded frame count, from the recorded "subscribed" events and channel ids. */
function busyBooks(entries: readonly RecordingEntry[]): string[] {
  const streamOf = new Map<number, string>();
  const counts = new Map<string, number>();
  for (const entry of entries) {
    if (entry.kind !== 'recv' || typeof entry.data !== 'string') continue;
    const frame = JSON.parse(entry.data) as unknown;
    if (!Array.isArray(frame)) {
      const event = frame as { event?: string; channel?: string; chanId?: number; symbol?: string };
      if (event.event === 'subscribed' && event.channel === 'book' && event.chanId !== undefined) {
        streamOf.set(event.chanId, `book:${String(event.symbol)}`);
      }
      continue;
    }
    const stream = streamOf.get(frame[0] as number);
    if (stream !== undefined && frame[1] !== 'hb') counts.set(stream, (counts.get(stream) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([stream]) => stream);
}

/** A fault predicate matching the `n`th data frame of `stream` (1-based) on connection 1. */
function nthFrameOf(stream: string, n: number): (frame: FaultFrame) => boolean {
  let seen = 0;
  return (frame) => frame.stream === stream && ++seen === n;
}

async function runLive(faults: FaultSpec[]) {
  const { entries, subscriptions } = await recorded();
  const symbols = subscriptions.filter((s) => s.channel === 'book').map((s) => s.symbol);
  const dialect = bitfinexDialect({ heartbeatIntervalMs: EXCHANGE_HEARTBEAT_MS });
  const exchange = await createVirtualExchange({
    dialect,
    source: await recordingFrameSource(dialect, entries),
    speed: SPEED,
    startOn: 'connection',
    faults,
  });
  const adapter = new FastHeartbeatBitfinexAdapter({ wsUrl: exchange.url('/ws/2') });
  const events: MarketEvent[] = [];
  const upstream = new UpstreamConnection({
    adapter,
    subscriptions,
    onEvent: (event) => events.push(event),
    reconnectBaseMs: 20,
    reconnectMaxMs: 100,
  });
  upstream.start();
  await exchange.finished;
  await settle(events, symbols);
  await upstream.stop();
  await exchange.close();
  return { events, upstream, exchange, symbols };
}

async function expectBooksEqualReference(events: readonly MarketEvent[], symbols: readonly string[]) {
  const { reference } = await recorded();
  const books = consumerBooks(events);
  for (const symbol of symbols) {
    const expected = reference.get(symbol)?.toSnapshot();
    expect(expected?.bids.length, symbol).toBeGreaterThan(0);
    expect(books.get(symbol)?.isCrossed(), symbol).toBe(false);
    expect(books.get(symbol)?.toSnapshot(), symbol).toEqual(expected);
  }
}

function resyncs(events: readonly MarketEvent[]): FeedStatusEvent[] {
  return statuses(events).filter((s) => s.symbol !== null && s.state === 'resyncing');
}

describe('UpstreamConnection + Bitfinex adapter against the virtual exchange serving the real v2 capture', () => {
  it('fault-free: every book goes live and ends equal to the in-process replay', async () => {
    const { events, upstream, exchange, symbols } = await runLive([]);
    expect(symbols).toHaveLength(7);
    expect(allLive(events, symbols)).toBe(true);
    expect(resyncs(events)).toEqual([]);
    expect(upstream.stats.outcomes.rejected).toEqual({});
    expect(upstream.stats.reconnects).toBe(0);
    expect(Object.values(exchange.stats().faultsApplied).every((n) => n === 0)).toBe(true);
    await expectBooksEqualReference(events, symbols);
  }, 60_000);

  it('a dropped book update: the SEQ_ALL gap is detected, the books resync, and recover', async () => {
    const { busyBooks: busy } = await recorded();
    const stream = busy[0]!;
    const { events, upstream, exchange, symbols } = await runLive([
      { kind: 'drop', match: nthFrameOf(stream, 200), connections: 1 },
    ]);
    expect(exchange.stats().faultsApplied.drop).toBe(1);
    const gap = resyncs(events).filter((s) => /sequence gap: expected \d+, got \d+ \(1 lost\)/.test(s.reason));
    expect(gap.length).toBeGreaterThanOrEqual(1);
    expect(upstream.stats.reconnects).toBe(0);
    expect(allLive(events, symbols)).toBe(true);
    await expectBooksEqualReference(events, symbols);
  }, 60_000);

  it('a duplicated book update: recognised by its sequence number and not applied twice; no resync', async () => {
    const { busyBooks: busy } = await recorded();
    const { events, upstream, exchange, symbols } = await runLive([
      { kind: 'duplicate', match: nthFrameOf(busy[1]!, 50), connections: 1 },
    ]);
    expect(exchange.stats().faultsApplied.duplicate).toBe(1);
    expect(upstream.stats.outcomes.ignored['duplicate sequence']).toBe(1);
    expect(upstream.stats.outcomes.rejected).toEqual({});
    expect(resyncs(events)).toEqual([]);
    expect(upstream.stats.reconnects).toBe(0);
    await expectBooksEqualReference(events, symbols);
  }, 60_000);

  it('closeEvery 1.2 s (first two connections): both reconnects counted, every book recovers', async () => {
    const { events, upstream, exchange, symbols } = await runLive([
      { kind: 'closeEvery', every: 1200, connections: [1, 2] },
    ]);
    expect(exchange.stats().faultsApplied.closeEvery).toBeGreaterThanOrEqual(2);
    expect(upstream.stats.reconnects).toBe(2);
    expect(upstream.stats.connectionsOpened).toBe(3);
    expect(statuses(events).filter((s) => s.symbol === null && s.state === 'disconnected')).toHaveLength(2);
    expect(allLive(events, symbols)).toBe(true);
    await expectBooksEqualReference(events, symbols);
  }, 60_000);
});
