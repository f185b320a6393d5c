import { describe, expect, it } from 'vitest';
import { BinanceAdapter } from '../adapters/binance/binance-adapter';
import type { FeedStatusEvent, MarketEvent } from '../model/events';
import type { RecordingEntry } from '../recording/recording-entry';
import { binanceDialect } from '../virtual-exchange/binance';
import { createVirtualExchange } from '../virtual-exchange/exchange';
import type { FaultSpec } from '../virtual-exchange/faults';
import { recordingFrameSource } from '../virtual-exchange/recording-source';
import { USDM_SUBSCRIPTIONS, USDM_SYMBOLS, usdmEntries, usdmReferenceBooks } from './test-support/binance-usdm-capture';
import { consumerBooks } from './test-support/fault-harness';
import { UpstreamConnection } from './upstream-connection';

/** Levels compared after a resync: well inside the 1000 levels a USD-M REST snapshot carries. */
const REST_DEPTH_COMPARED = 900;
/** 31 s of recording in about 4 s. */
const SPEED = 8;

async function runLive(recorded: RecordingEntry[], faults: FaultSpec[]) {
  const dialect = binanceDialect({ market: 'usdm', pingIntervalMs: 200, pongTimeoutMs: 2000 });
  const exchange = await createVirtualExchange({
    dialect,
    source: await recordingFrameSource(dialect, recorded),
    speed: SPEED,
    startOn: 'connection',
    faults,
  });
  const adapter = new BinanceAdapter({
    venue: 'binance-usdm',
    wsBase: exchange.url('').replace(/\/$/, ''),
    restBase: exchange.httpUrl('/fapi/v1'),
    pingIntervalMs: 250,
  });
  const subscriptions = USDM_SUBSCRIPTIONS;
  const events: MarketEvent[] = [];
  const upstream = new UpstreamConnection({
    adapter,
    subscriptions,
    onEvent: (event) => events.push(event),
    reconnectBaseMs: 20,
    reconnectMaxMs: 100,
    requestSpacingMs: 20,
  });
  upstream.start();
  await exchange.finished;
  await upstream.stop();
  await exchange.close();
  return { events, upstream, exchange };
}

describe('UpstreamConnection + Binance adapter against the virtual exchange serving the real capture', () => {
  it('fault-free: every book syncs and ends equal to the in-process replay', async () => {
    const recorded = await usdmEntries();
    const { events, upstream } = await runLive(recorded, []);
    const reference = await usdmReferenceBooks(recorded);
    const books = consumerBooks(events);
    for (const symbol of USDM_SYMBOLS) {
      expect(books.get(symbol)?.toSnapshot(), symbol).toEqual(reference.get(symbol)?.toSnapshot());
    }
    expect(upstream.stats.outcomes.rejected).toEqual({});
    expect(upstream.stats.reconnects).toBe(0);
  }, 60_000);

  it('with drops, duplicates, disconnects and a stall: every fault is seen, every book recovers to the same final state', async () => {
    const recorded = await usdmEntries();
    // Late diffs (after every reconnect below has settled), picked by their recorded payload.
    const lateDiff = (stream: string, fraction: number): string => {
      const diffs = recorded.filter((e) => e.kind === 'recv' && String(e.data).includes(`"stream":"${stream}"`));
      const frame = diffs[Math.floor(diffs.length * fraction)];
      return (
        JSON.parse(String(frame?.kind === 'recv' ? frame.data : '{}')) as { data: { u: number } }
      ).data.u.toString();
    };
    const droppedU = lateDiff('sushiusdt@depth@100ms', 0.8);
    const duplicatedU = lateDiff('ctkusdt@depth@100ms', 0.8);
    const faults: FaultSpec[] = [
      { kind: 'drop', match: (frame) => frame.data.includes(`"u":${droppedU},`) },
      { kind: 'duplicate', match: (frame) => frame.data.includes(`"u":${duplicatedU},`) },
      { kind: 'closeAt', after: 1200, terminate: true, connections: 1 },
      { kind: 'stall', after: 800, duration: 1500, connections: 2 },
    ];
    const { events, upstream, exchange } = await runLive(recorded, faults);
    const statuses = events.filter((e): e is FeedStatusEvent => e.type === 'status');
    // The drop broke SUSHI's pu chain: that book (only) resynced.
    expect(statuses.some((s) => s.symbol === 'SUSHI-USDT' && s.state === 'resyncing' && /pu=/.test(s.reason))).toBe(
      true,
    );
    // Duplicates are stale by sequence and ignored, never applied twice.
    expect(upstream.stats.outcomes.ignored['depthUpdate stale']).toBeGreaterThanOrEqual(1);
    // The terminated socket and the silent one were both dropped and reconnected.
    expect(upstream.stats.deadDeclared).toBeGreaterThanOrEqual(1);
    expect(upstream.stats.reconnects).toBeGreaterThanOrEqual(2);
    const applied = exchange.stats().faultsApplied;
    expect(applied.drop).toBeGreaterThanOrEqual(1);
    expect(applied.duplicate).toBeGreaterThanOrEqual(1);
    // A resync takes a fresh REST snapshot, which USD-M caps at 1000 levels: the books agree over
    // that range (levels beyond it reappear only as the venue updates them).
    const reference = await usdmReferenceBooks(recorded);
    const books = consumerBooks(events);
    for (const symbol of USDM_SYMBOLS) {
      expect(books.get(symbol)?.isCrossed(), symbol).toBe(false);
      expect(books.get(symbol)?.toSnapshot(REST_DEPTH_COMPARED), symbol).toEqual(
        reference.get(symbol)?.toSnapshot(REST_DEPTH_COMPARED),
      );
    }
  }, 60_000);
});
