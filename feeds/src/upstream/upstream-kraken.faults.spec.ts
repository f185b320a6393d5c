import { describe, expect, it } from 'vitest';
import { KrakenAdapter } from '../adapters/kraken/kraken-adapter';
import { BOOK, editFrame, entriesOf, replay } from '../adapters/kraken/test-support/kraken-replay';
import type { HeartbeatPolicy, UpstreamSubscription } from '../adapters/venue-adapter';
import { OrderBook } from '../book';
import type { FeedStatusEvent, MarketEvent } from '../model/events';
import type { RecordingEntry } from '../recording/recording-entry';
import { createVirtualExchange } from '../virtual-exchange/exchange';
import type { FaultSpec } from '../virtual-exchange/faults';
import { krakenDialect } from '../virtual-exchange/kraken';
import { recordingFrameSource } from '../virtual-exchange/recording-source';
import { consumerBooks, statuses, allLive, settle } from './test-support/fault-harness';
import { UpstreamConnection } from './upstream-connection';

/** 31 s of recording in about 4 s. */
const SPEED = 8;
/** The exchange's idle heartbeat, well inside the adapter's expected interval below. */
const EXCHANGE_HEARTBEAT_MS = 100;
/** Declared dead after 3 × 250 ms of silence (the real adapter expects 1 s; too slow for a test). */
const EXPECTED_INTERVAL_MS = 250;

/** The real v1 adapter with a faster heartbeat expectation, so a stall is detected within a second. */
class FastHeartbeatKrakenAdapter extends KrakenAdapter {
  override readonly heartbeat: HeartbeatPolicy = { expectedIntervalMs: EXPECTED_INTERVAL_MS };
}

interface Recorded {
  readonly entries: RecordingEntry[];
  readonly subscriptions: UpstreamSubscription[];
  /** Final books of the fault-free, in-process replay through the same adapter. */
  readonly reference: Map<string, OrderBook>;
}

let recordedOnce: Promise<Recorded> | undefined;

function recorded(): Promise<Recorded> {
  recordedOnce ??= (async () => {
    const entries = await entriesOf(BOOK);
    const run = await replay(entries);
    return { entries, subscriptions: run.subscriptions, reference: consumerBooks(run.sink.events) };
  })();
  return recordedOnce;
}

/** The received book frames of `pair`, as recorded (data frames carry the pair last). */
function framesOf(entries: readonly RecordingEntry[], pair: string): RecordingEntry[] {
  return entries.filter(
    (e) => e.kind === 'recv' && typeof e.data === 'string' && e.data.endsWith(`"book-1000","${pair}"]`),
  );
}

function textOf(entry: RecordingEntry | undefined): string {
  if (entry?.kind !== 'recv' || typeof entry.data !== 'string') throw new Error('not a received text frame');
  return entry.data;
}

async function runLive(faults: FaultSpec[]) {
  const { entries, subscriptions } = await recorded();
  const symbols = subscriptions.map((s) => s.symbol);
  const dialect = krakenDialect({ heartbeatIntervalMs: EXCHANGE_HEARTBEAT_MS });
  const exchange = await createVirtualExchange({
    dialect,
    source: await recordingFrameSource(dialect, entries),
    speed: SPEED,
    startOn: 'connection',
    faults,
  });
  const adapter = new FastHeartbeatKrakenAdapter({ version: 'v1', bookDepth: 1000, wsUrl: exchange.url('/') });
  const events: MarketEvent[] = [];
  const upstream = new UpstreamConnection({
    adapter,
    subscriptions,
    onEvent: (event) => events.push(event),
    reconnectBaseMs: 20,
    reconnectMaxMs: 100,
  });
  const started = Date.now();
  upstream.start();
  await exchange.finished;
  await settle(events, symbols);
  await upstream.stop();
  await exchange.close();
  return { events, upstream, exchange, symbols, elapsedMs: Date.now() - started };
}

async function expectBooksEqualReference(events: readonly MarketEvent[], symbols: readonly string[]) {
  const { reference } = await recorded();
  const books = consumerBooks(events);
  for (const symbol of symbols) {
    const expected = reference.get(symbol)?.toSnapshot();
    expect(expected?.bids.length, symbol).toBeGreaterThan(0);
    expect(expected?.asks.length, symbol).toBeGreaterThan(0);
    expect(books.get(symbol)?.isCrossed(), symbol).toBe(false);
    expect(books.get(symbol)?.toSnapshot(), symbol).toEqual(expected);
  }
}

function resyncsOf(events: readonly MarketEvent[], symbol: string): FeedStatusEvent[] {
  return statuses(events).filter((s) => s.symbol === symbol && s.state === 'resyncing');
}

describe('UpstreamConnection + Kraken v1 adapter against the virtual exchange serving the real book-1000 capture', () => {
  it('fault-free: every book goes live and ends equal to the in-process replay', async () => {
    const { events, upstream, exchange, symbols } = await runLive([]);
    expect(allLive(events, symbols)).toBe(true);
    for (const symbol of symbols) expect(resyncsOf(events, symbol), symbol).toEqual([]);
    expect(upstream.stats.outcomes.rejected).toEqual({});
    expect(upstream.stats.reconnects).toBe(0);
    expect(upstream.stats.deadDeclared).toBe(0);
    expect(Object.values(exchange.stats().faultsApplied).every((n) => n === 0)).toBe(true);
    await expectBooksEqualReference(events, symbols);
  }, 60_000);

  it('corruptChecksum on one frame of one pair: only that pair resyncs, naming the checksum, and recovers', async () => {
    const { entries } = await recorded();
    const pair = 'XBT/CHF';
    const target = textOf(framesOf(entries, pair).filter((e) => textOf(e).includes('"c":"'))[40]);
    const { events, upstream, exchange, symbols } = await runLive([
      { kind: 'corruptChecksum', match: (frame) => frame.data === target, connections: 1 },
    ]);
    expect(exchange.stats().faultsApplied.corruptChecksum).toBe(1);
    const symbol = 'BTC-CHF';
    expect(symbols).toContain(symbol);
    const resyncs = resyncsOf(events, symbol);
    expect(resyncs.length).toBe(1);
    expect(resyncs[0]?.reason).toMatch(/checksum mismatch/);
    expect(upstream.stats.outcomes.parsed['book update checksum mismatch']).toBe(resyncs.length);
    for (const other of symbols.filter((s) => s !== symbol)) expect(resyncsOf(events, other), other).toEqual([]);
    expect(upstream.stats.reconnects).toBe(0);
    expect(allLive(events, symbols)).toBe(true);
    await expectBooksEqualReference(events, symbols);
  }, 60_000);

  it('reorder of two consecutive updates of one pair: detected as a checksum mismatch and recovered', async () => {
    const { entries } = await recorded();
    // Two consecutive updates of one pair whose swap the adapter must notice: the first one moves
    // that pair's top 10 (checked in-process on the swapped recording, before going live).
    const recv = entries.filter((e) => e.kind === 'recv' && typeof e.data === 'string');
    let swapped: { first: string; pair: string } | undefined;
    for (let i = Math.floor(recv.length * 0.3); i < recv.length - 1 && swapped === undefined; i++) {
      const first = textOf(recv[i]);
      const second = textOf(recv[i + 1]);
      const pair = /"book-1000","([^"]+)"\]$/.exec(first)?.[1];
      if (pair === undefined || !second.endsWith(`"book-1000","${pair}"]`)) continue;
      const edited = editFrame(editFrame(entries, recv[i]!, second), recv[i + 1]!, first);
      const run = await replay(edited);
      if (statuses(run.sink.events).some((s) => s.state === 'resyncing' && /checksum/i.test(s.reason))) {
        swapped = { first, pair };
      }
    }
    if (swapped === undefined) throw new Error('no detectable swap of consecutive updates in the capture');
    const { first, pair } = swapped;
    const { events, upstream, exchange, symbols } = await runLive([
      { kind: 'reorder', match: (frame) => frame.data === first, connections: 1 },
    ]);
    expect(exchange.stats().faultsApplied.reorder).toBe(1);
    const symbol = new KrakenAdapter({ version: 'v1' }).symbolOf(pair) ?? '';
    const resyncs = resyncsOf(events, symbol);
    expect(resyncs.length).toBeGreaterThanOrEqual(1);
    expect(resyncs[0]?.reason).toMatch(/checksum mismatch/);
    expect(upstream.stats.outcomes.parsed['book update checksum mismatch']).toBe(resyncs.length);
    for (const other of symbols.filter((s) => s !== symbol)) expect(resyncsOf(events, other), other).toEqual([]);
    expect(upstream.stats.reconnects).toBe(0);
    expect(allLive(events, symbols)).toBe(true);
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

  it('a stall longer than 3 heartbeat intervals: declared dead, reconnected, every book recovers', async () => {
    const { events, upstream, exchange, symbols } = await runLive([
      { kind: 'stall', after: 1000, duration: 4 * EXPECTED_INTERVAL_MS + 1000, connections: 1 },
    ]);
    expect(exchange.stats().faultsApplied.stall).toBe(1);
    expect(upstream.stats.deadDeclared).toBe(1);
    expect(upstream.stats.reconnects).toBe(1);
    expect(statuses(events).some((s) => s.symbol === null && s.state === 'stale')).toBe(true);
    expect(allLive(events, symbols)).toBe(true);
    await expectBooksEqualReference(events, symbols);
  }, 60_000);
});
