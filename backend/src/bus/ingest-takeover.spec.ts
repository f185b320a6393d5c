import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningGateway, simulatedConfig, startGateway } from '../test-support/gateway-harness';
import { TestNatsServer } from '../test-support/nats-server';
import type { Bus } from './bus';
import { metricValue, RawClient, streamProblems } from './bus-test-support';
import { BUS } from './bus.tokens';

/*
 * Two ingests configured with the same feed: exactly one owns it (its lease), the other stands by,
 * fully started. When the owner goes, the standby takes the feed over within the lease bound,
 * resyncs from the venue, and a gateway's clients get a fresh snapshot (the stream's new epoch)
 * and then valid updates again: never a silently wrong book.
 */

const INSTRUMENT = 'simulated:BTC-USDT';

describe('ingest takeover on NATS (real nats-server)', () => {
  let nats: TestNatsServer;
  let owner: RunningGateway;
  let standby: RunningGateway;
  let gateway: RunningGateway;

  beforeAll(async () => {
    nats = await TestNatsServer.start();
    const bus = { kind: 'nats', url: nats.url, role: 'ingest', leaseTtlMs: 1500 };
    owner = await startGateway(simulatedConfig({ bus }, 300));
    // Starts although the feed is owned: it waits for the lease in the background.
    standby = await startGateway(simulatedConfig({ bus }, 300));
    gateway = await startGateway({ bus: { kind: 'nats', url: nats.url, role: 'gateway' } });
  }, 30_000);

  afterAll(async () => {
    await gateway.close();
    await standby.close();
    await nats.dispose();
  });

  it('the standby owns nothing while the owner lives, then takes over; clients get a fresh snapshot and a live book', async () => {
    const running = async (ingest: RunningGateway): Promise<number> =>
      ((await (await fetch(`${ingest.baseUrl}/api/v1/status`)).json()) as { feeds: unknown[] }).feeds.length;
    expect(await running(owner)).toBe(1);
    expect(await running(standby)).toBe(0);

    const client = await RawClient.open(gateway.streamUrl);
    client.send({ op: 'subscribe', channel: 'book', instrument: INSTRUMENT, depth: 10, intervalMs: 0 });
    client.send({ op: 'subscribe', channel: 'status', instrument: INSTRUMENT });
    const books = () => client.of('book');
    await client.until(() => books().filter((m) => m.type === 'update').length >= 20, 'updates from the owner');
    const before = books().length;
    const statusBefore = client.of('status').length;

    const stopped = Date.now();
    await owner.close();
    await client.until(
      () =>
        books()
          .slice(before)
          .some((m) => m.type === 'snapshot') &&
        books()
          .slice(before)
          .filter((m) => m.type === 'update').length >= 10,
      'a fresh snapshot and updates from the new owner',
      30_000,
    );
    const tookOverMs = Date.now() - stopped;
    expect(await running(standby)).toBe(1);
    const after = books().slice(before);
    // Whatever arrived after the takeover forms valid streams: a snapshot, then seq + 1 each time.
    const firstSnapshot = after.findIndex((m) => m.type === 'snapshot');
    expect(streamProblems(after.slice(firstSnapshot))).toEqual([]);
    // The fresh snapshot may be the new owner's book before it synced (empty, status connecting);
    // applying it and the updates after it gives a full book again.
    const view = { bids: new Map<string, string>(), asks: new Map<string, string>() };
    for (const message of after.slice(firstSnapshot)) {
      const data = message.data as { bids: [string, string][]; asks: [string, string][] };
      if (message.type === 'snapshot') {
        view.bids.clear();
        view.asks.clear();
      }
      for (const [side, levels] of [['bids', data.bids] as const, ['asks', data.asks] as const]) {
        for (const [price, size] of levels) {
          if (size === '0') view[side].delete(price);
          else view[side].set(price, size);
        }
      }
    }
    expect(view.bids.size).toBeGreaterThan(0);
    expect(view.asks.size).toBeGreaterThan(0);
    // The status stream was re-snapshotted from the new owner as well: clients see the feed start
    // again (not live yet) and then go live, not a silent switch.
    const statusAfter = () => client.of('status').slice(statusBefore);
    await client.until(
      () => statusAfter().some((m) => (m.data as { state: string }).state === 'live'),
      'the new owner live',
    );
    const states = statusAfter().map((m) => (m.data as { state: string }).state);
    expect(statusAfter()[0]?.type).toBe('snapshot');
    expect(states[0]).not.toBe('live');
    expect(states.at(-1)).toBe('live');
    const metrics = await (await fetch(`${gateway.baseUrl}/api/metrics`)).text();
    expect(metricValue(metrics, 'tickwire_bus_gaps_total')).toBeGreaterThanOrEqual(1);
    console.log(`ingest takeover: fresh book from the standby ${tookOverMs} ms after the owner stopped`);
    client.close();
  }, 60_000);

  it('an owner cut off from the bus (no release) is replaced once its lease lapses, and fences itself', async () => {
    const nats2 = await TestNatsServer.start();
    const bus = { kind: 'nats', url: nats2.url, role: 'ingest', leaseTtlMs: 1500 };
    const crashed = await startGateway(simulatedConfig({ bus }, 300));
    const spare = await startGateway(simulatedConfig({ bus }, 300));
    const relay = await startGateway({ bus: { kind: 'nats', url: nats2.url, role: 'gateway' } });
    try {
      const client = await RawClient.open(relay.streamUrl);
      client.send({ op: 'subscribe', channel: 'book', instrument: INSTRUMENT, depth: 10, intervalMs: 0 });
      await client.until(() => client.of('book').filter((m) => m.type === 'update').length >= 10, 'updates');
      const before = client.of('book').length;
      // Cut off: its bus connection drops, nothing is released; it keeps trying to renew.
      await crashed.app.get<symbol, Bus>(BUS).close();
      const started = Date.now();
      await client.until(
        () =>
          client
            .of('book')
            .slice(before)
            .some((m) => m.type === 'snapshot') &&
          client
            .of('book')
            .slice(before)
            .filter((m) => m.type === 'update').length >= 5,
        'the spare’s book',
        30_000,
      );
      const elapsed = Date.now() - started;
      const after = client.of('book').slice(before);
      expect(streamProblems(after.slice(after.findIndex((m) => m.type === 'snapshot')))).toEqual([]);
      // The spare runs the feed now: it took the lapsed lease (the crashed one never released it).
      const feeds = ((await (await fetch(`${spare.baseUrl}/api/v1/status`)).json()) as { feeds: unknown[] }).feeds;
      expect(feeds).toHaveLength(1);
      // And the cut-off ingest stopped its own feed once its lease lapsed: one venue connection, not two.
      const running = async (): Promise<number> =>
        ((await (await fetch(`${crashed.baseUrl}/api/v1/status`)).json()) as { upstreamSubscriptions: number })
          .upstreamSubscriptions;
      const deadline = Date.now() + 15_000;
      while ((await running()) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await running()).toBe(0);
      console.log(`crashed ingest: the spare's book reached clients ${elapsed} ms after the crash (lease ttl 1500 ms)`);
      client.close();
    } finally {
      await relay.close();
      await spare.close();
      await crashed.close().catch(() => undefined);
      await nats2.dispose();
    }
  }, 60_000);
});
