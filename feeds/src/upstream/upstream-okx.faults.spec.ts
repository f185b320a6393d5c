import { describe, expect, it } from 'vitest';
import { OkxAdapter } from '../adapters/okx/okx-adapter';
import { subscriptionsFromRequests } from '../adapters/okx/okx-symbols';
import { RECORDED_INSTRUMENTS, recordedEntries, replay } from '../adapters/okx/test-support/okx-recording';
import type { HeartbeatPolicy, UpstreamSubscription } from '../adapters/venue-adapter';
import { OrderBook } from '../book';
import type { FeedStatusEvent, MarketEvent } from '../model/events';
import type { RecordingEntry } from '../recording/recording-entry';
import { createVirtualExchange } from '../virtual-exchange/exchange';
import type { FaultSpec } from '../virtual-exchange/faults';
import { okxDialect } from '../virtual-exchange/okx';
import { recordingFrameSource } from '../virtual-exchange/recording-source';
import { consumerBooks, statuses, allLive, settle } from './test-support/fault-harness';
import { UpstreamConnection } from './upstream-connection';

/** 12 s of recording in about 4 s. */
const SPEED = 3;
/** The client's text "ping" (answered "pong") when nothing was sent for this long. */
const CLIENT_PING_MS = 100;
/**
 * Declared dead after 3 × 300 ms of silence. The real adapter pings every 25 s and expects 30 s
 * (OKX's idle limit): far too slow for a test, so the same adapter runs with a faster policy.
 */
const EXPECTED_INTERVAL_MS = 300;

/** The real OKX adapter with a faster heartbeat, so a stall is detected within a second. */
class FastHeartbeatOkxAdapter extends OkxAdapter {
  override readonly heartbeat: HeartbeatPolicy = {
    clientPing: { text: 'ping', intervalMs: CLIENT_PING_MS },
    expectedIntervalMs: EXPECTED_INTERVAL_MS,
  };
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
    const entries = await recordedEntries();
    const run = await replay(entries);
    const sent = entries.flatMap((e) => (e.kind === 'sent' && typeof e.data === 'string' ? [e.data] : []));
    const subscriptions = subscriptionsFromRequests(sent, (instId) => run.adapter.symbolOf(instId));
    return { entries, subscriptions, reference: consumerBooks(run.sink.events) };
  })();
  return recordedOnce;
}

function bookSymbols(subscriptions: readonly UpstreamSubscription[]): string[] {
  return subscriptions.filter((s) => s.channel === 'book').map((s) => s.symbol);
}

/** The instId of a recorded `books` push, or undefined for other frames. */
function booksInstId(text: string): string | undefined {
  return /^\{"arg":\{"channel":"books","instId":"([^"]+)"\},"action":"update"/.exec(text)?.[1];
}

/** The received `books` updates of `instId`, as recorded. */
function updatesOf(entries: readonly RecordingEntry[], instId: string): RecordingEntry[] {
  return entries.filter((e) => e.kind === 'recv' && typeof e.data === 'string' && booksInstId(e.data) === instId);
}

/** `entries` with the received frames `a` and `b` (by identity) swapped. */
function swap(entries: readonly RecordingEntry[], a: RecordingEntry, b: RecordingEntry): RecordingEntry[] {
  return entries.map((e) => (e === a ? { ...a, data: textOf(b) } : e === b ? { ...b, data: textOf(a) } : e));
}

function textOf(entry: RecordingEntry | undefined): string {
  if (entry?.kind !== 'recv' || typeof entry.data !== 'string') throw new Error('not a received text frame');
  return entry.data;
}

async function runLive(faults: FaultSpec[]) {
  const { entries, subscriptions } = await recorded();
  const symbols = bookSymbols(subscriptions);
  const dialect = okxDialect();
  const exchange = await createVirtualExchange({
    dialect,
    source: await recordingFrameSource(dialect, entries),
    speed: SPEED,
    startOn: 'connection',
    faults,
  });
  const adapter = new FastHeartbeatOkxAdapter({
    instruments: RECORDED_INSTRUMENTS,
    wsUrl: exchange.url('/ws/v5/public'),
    restBase: exchange.httpUrl('/'),
  });
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

describe('UpstreamConnection + OKX adapter against the virtual exchange serving the real v5 public capture', () => {
  it('fault-free: every book goes live and ends equal to the in-process replay', async () => {
    const { events, upstream, exchange, symbols } = await runLive([]);
    expect(symbols).toHaveLength(3);
    expect(allLive(events, symbols)).toBe(true);
    for (const symbol of symbols) expect(resyncsOf(events, symbol), symbol).toEqual([]);
    expect(upstream.stats.outcomes.rejected).toEqual({});
    expect(upstream.stats.reconnects).toBe(0);
    expect(upstream.stats.deadDeclared).toBe(0);
    expect(upstream.stats.httpRequests).toBe(0);
    expect(Object.values(exchange.stats().faultsApplied).every((n) => n === 0)).toBe(true);
    await expectBooksEqualReference(events, symbols);
  }, 60_000);

  it('corruptChecksum on one frame of one instrument: only that book resyncs, naming the checksum, and recovers', async () => {
    const { entries } = await recorded();
    const target = textOf(updatesOf(entries, 'UNI-USD-SWAP')[30]);
    const { events, upstream, exchange, symbols } = await runLive([
      { kind: 'corruptChecksum', match: (frame) => frame.data === target, connections: 1 },
    ]);
    expect(exchange.stats().faultsApplied.corruptChecksum).toBe(1);
    const symbol = 'UNI-USD';
    expect(symbols).toContain(symbol);
    const resyncs = resyncsOf(events, symbol);
    expect(resyncs.length).toBe(1);
    expect(resyncs[0]?.reason).toMatch(/checksum mismatch/);
    for (const other of symbols.filter((s) => s !== symbol)) expect(resyncsOf(events, other), other).toEqual([]);
    expect(upstream.stats.reconnects).toBe(0);
    expect(allLive(events, symbols)).toBe(true);
    await expectBooksEqualReference(events, symbols);
  }, 60_000);

  it('reorder of two consecutive updates of one instrument: detected and recovered', async () => {
    const { entries } = await recorded();
    // Two back-to-back `books` updates of one instrument (no other data frame between them on the
    // connection) whose swap the adapter must notice, checked in-process on the swapped recording.
    // The 2022 capture carries no seqId/prevSeqId, so the checksum is the only detector here.
    const recv = entries.filter((e) => e.kind === 'recv' && typeof e.data === 'string');
    let swapped: { first: string; instId: string } | undefined;
    for (let i = 0; i < recv.length - 1 && swapped === undefined; i++) {
      const instId = booksInstId(textOf(recv[i]));
      if (instId === undefined || booksInstId(textOf(recv[i + 1])) !== instId) continue;
      const run = await replay(swap(entries, recv[i]!, recv[i + 1]!));
      if (statuses(run.sink.events).some((s) => s.state === 'resyncing')) swapped = { first: textOf(recv[i]), instId };
    }
    if (swapped === undefined) throw new Error('no detectable swap of consecutive updates in the capture');
    const { first, instId } = swapped;
    const { events, upstream, exchange, symbols } = await runLive([
      { kind: 'reorder', match: (frame) => frame.data === first, connections: 1 },
    ]);
    expect(exchange.stats().faultsApplied.reorder).toBe(1);
    const symbol = RECORDED_INSTRUMENTS.find((i) => i.venueSymbol === instId)?.symbol ?? '';
    const resyncs = resyncsOf(events, symbol);
    expect(resyncs.length).toBeGreaterThanOrEqual(1);
    expect(resyncs[0]?.reason).toMatch(/checksum mismatch|sequence gap/);
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

  it('a half-open socket (no data, no pong to the client pings, TCP left open): dead within 3 intervals of the last frame, reconnected, every book recovers', async () => {
    const { events, upstream, exchange, symbols } = await runLive([{ kind: 'halfOpen', after: 1000, connections: 1 }]);
    expect(exchange.stats().faultsApplied.halfOpen).toBe(1);
    expect(upstream.stats.deadDeclared).toBe(1);
    expect(upstream.stats.reconnects).toBe(1);
    const staleAt = events.findIndex((e) => e.type === 'status' && e.symbol === null && e.state === 'stale');
    expect(staleAt).toBeGreaterThan(0);
    // The last frame of the half-open link came no earlier than the last event it produced.
    const lastData = events
      .slice(0, staleAt)
      .filter((e) => e.type !== 'status')
      .at(-1);
    const silentMs = ((events[staleAt]?.receiveTime ?? 0) - (lastData?.receiveTime ?? 0)) / 1000;
    expect(silentMs).toBeGreaterThanOrEqual(3 * EXPECTED_INTERVAL_MS);
    expect(silentMs).toBeLessThanOrEqual(3 * EXPECTED_INTERVAL_MS + 1000);
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
