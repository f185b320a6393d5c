import { describe, expect, it } from 'vitest';
import { BinanceAdapter } from '../adapters/binance/binance-adapter';
import type { SessionSink, UpstreamSubscription, VenueAdapter, VenueSession } from '../adapters/venue-adapter';
import type { FeedStatusEvent, MarketEvent } from '../model/events';
import { binanceDialect } from '../virtual-exchange/binance';
import { createVirtualExchange } from '../virtual-exchange/exchange';
import { recordingFrameSource } from '../virtual-exchange/recording-source';
import { USDM_SUBSCRIPTIONS, USDM_SYMBOLS, usdmEntries, usdmReferenceBooks } from './test-support/binance-usdm-capture';
import { consumerBooks } from './test-support/fault-harness';
import { UpstreamConnection } from './upstream-connection';

/** 31 s of recording in about 4 s. */
const SPEED = 8;
/** The notice comes 1 s into the first connection; the venue would cut it 3 s later. */
const NOTICE_AFTER_MS = 1000;
const GRACE_MS = 3000;
/** Levels compared: well inside the 1000 levels of the replacement's REST snapshot. */
const REST_DEPTH_COMPARED = 900;

/** `inner` with its sessions' open and close recorded in order ("open 1", "close 1: <reason>"). */
function watched(inner: VenueAdapter): VenueAdapter & { readonly lifecycle: string[] } {
  const lifecycle: string[] = [];
  let sessions = 0;
  return {
    lifecycle,
    venue: inner.venue,
    maxSubscriptionsPerConnection: inner.maxSubscriptionsPerConnection,
    heartbeat: inner.heartbeat,
    ...(inner.maxMessagesPerSecond === undefined ? {} : { maxMessagesPerSecond: inner.maxMessagesPerSecond }),
    ...(inner.maxConnectionLifetimeMs === undefined ? {} : { maxConnectionLifetimeMs: inner.maxConnectionLifetimeMs }),
    url: (subscriptions) => inner.url(subscriptions),
    instrument: (symbol) => inner.instrument(symbol),
    createSession: (subscriptions: readonly UpstreamSubscription[], sink: SessionSink): VenueSession => {
      const id = ++sessions;
      const session = inner.createSession(subscriptions, sink);
      return {
        open: (time) => {
          lifecycle.push(`open ${id}`);
          session.open(time);
        },
        close: (time, reason) => {
          lifecycle.push(`close ${id}: ${reason}`);
          session.close(time, reason);
        },
        handleFrame: (text, time) => {
          session.handleFrame(text, time);
        },
        handleHttp: (url, status, body, time) => {
          session.handleHttp(url, status, body, time);
        },
        subscribe: (added) => {
          session.subscribe(added);
        },
        unsubscribe: (removed) => {
          session.unsubscribe(removed);
        },
      };
    },
  };
}

describe('Binance serverShutdown through the connection manager, against the virtual exchange (real USD-M capture)', () => {
  it('opens the replacement before the old connection closes: no disconnect, no reconnect, same final books', async () => {
    const recorded = await usdmEntries();
    const dialect = binanceDialect({
      market: 'usdm',
      pingIntervalMs: 200,
      pongTimeoutMs: 2000,
      serverShutdown: { afterMs: NOTICE_AFTER_MS, graceMs: GRACE_MS, connections: [1] },
    });
    const exchange = await createVirtualExchange({
      dialect,
      source: await recordingFrameSource(dialect, recorded),
      speed: SPEED,
      startOn: 'connection',
    });
    const adapter = watched(
      new BinanceAdapter({
        venue: 'binance-usdm',
        wsBase: exchange.url('').replace(/\/$/, ''),
        restBase: exchange.httpUrl('/fapi/v1'),
        pingIntervalMs: 250,
      }),
    );
    const events: MarketEvent[] = [];
    const upstream = new UpstreamConnection({
      adapter,
      subscriptions: USDM_SUBSCRIPTIONS,
      onEvent: (event) => events.push(event),
      reconnectBaseMs: 20,
      reconnectMaxMs: 100,
      requestSpacingMs: 20,
    });
    upstream.start();
    await exchange.finished;
    const afterRun = [...adapter.lifecycle];
    await upstream.stop();
    await exchange.close();

    // The notice was parsed and made the manager replace the link; the venue never had to cut it.
    expect(upstream.stats.outcomes.parsed['serverShutdown']).toBe(1);
    expect(upstream.stats).toMatchObject({ replacements: 1, reconnects: 0, connectionsOpened: 2, deadDeclared: 0 });
    expect(afterRun.slice(0, 3).map((step) => step.replace(/:.*/, ''))).toEqual(['open 1', 'open 2', 'close 1']);
    expect(afterRun[2]).not.toMatch(/1001/);
    expect(afterRun).toHaveLength(3);
    const connection = events.filter((e): e is FeedStatusEvent => e.type === 'status' && e.symbol === null);
    expect(connection.map((s) => s.state)).not.toContain('disconnected');
    expect(connection.some((s) => /replacing the connection: Binance announced serverShutdown/.test(s.reason))).toBe(
      true,
    );
    // Consumers saw every book stay live across the switch (the replacement's snapshot, then its diffs).
    for (const symbol of USDM_SYMBOLS) {
      const states = events.filter((e): e is FeedStatusEvent => e.type === 'status' && e.symbol === symbol);
      expect(
        states.map((s) => s.state),
        symbol,
      ).not.toContain('disconnected');
      expect(states.at(-1)?.state, symbol).toBe('live');
    }
    expect(upstream.stats.outcomes.rejected).toEqual({});
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
