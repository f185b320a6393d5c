import 'reflect-metadata';
import { VENUES } from '@tickwire/feeds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningGateway, simulatedConfig, startGateway } from '../test-support/gateway-harness';
import type { HealthReport } from './health.controller';

/** A live feed whose venue is never reachable (a closed loopback port): it stays not live. */
const DEAD_FEED = { kind: 'live', venue: 'kraken', symbols: ['BTC-USD'], ws: 'ws://127.0.0.1:9/' };

/** Polls /api/health until `accept` holds for the report (the timeout is only a failure guard). */
async function healthWhen(
  gateway: RunningGateway,
  accept: (status: number, report: HealthReport) => boolean,
  timeoutMs = 20_000,
): Promise<{ status: number; report: HealthReport }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${gateway.baseUrl}/api/health`);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    const report = (await response.json()) as HealthReport;
    if (accept(response.status, report)) return { status: response.status, report };
    if (Date.now() > deadline) throw new Error(`timed out; last health: ${response.status} ${JSON.stringify(report)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('GET /api/health over real HTTP: every feed live', { timeout: 30_000 }, () => {
  let gateway: RunningGateway;

  beforeAll(async () => {
    gateway = await startGateway(simulatedConfig());
  }, 30_000);

  afterAll(async () => {
    await gateway.close();
  });

  it('is ready (200, ok) once the simulated feed is live, and reports the feed', async () => {
    const { status, report } = await healthWhen(gateway, (_, body) => body.status === 'ok');
    expect(status).toBe(200);
    expect(report.service).toBe('tickwire-gateway');
    expect(report.apiVersion).toBe(1);
    expect(report.uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect(Object.keys(report).sort()).toEqual(['apiVersion', 'feeds', 'service', 'status', 'uptimeSeconds', 'venues']);
    expect(report.venues).toEqual([...VENUES]);
    expect(report.venues).toContain('binance');
    expect(report.feeds).toHaveLength(1);
    const [feed] = report.feeds;
    expect(feed).toMatchObject({ id: 'simulated', source: 'simulated', state: 'live', instruments: 2 });
    expect(typeof feed?.reason).toBe('string');
    expect(feed?.upstreamConnections).toBeGreaterThanOrEqual(1);
    // Pinned: both instruments' book, trades and bbo are subscribed upstream from start-up.
    expect(feed?.upstreamSubscriptions).toBe(6);
  });

  it('uptime grows between reports', async () => {
    const first = await healthWhen(gateway, () => true);
    const second = await healthWhen(gateway, (_, body) => body.uptimeSeconds > first.report.uptimeSeconds);
    expect(second.report.uptimeSeconds).toBeGreaterThan(first.report.uptimeSeconds);
  });

  it('/api/health/live is 200', async () => {
    const response = await fetch(`${gateway.baseUrl}/api/health/live`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers 404 with a JSON error for unknown API paths', async () => {
    const response = await fetch(`${gateway.baseUrl}/api/no-such-thing`);
    expect(response.status).toBe(404);
    const body = (await response.json()) as { statusCode: number };
    expect(body.statusCode).toBe(404);
  });
});

describe('GET /api/health: readiness follows the upstream state', { timeout: 30_000 }, () => {
  let some: RunningGateway;
  let none: RunningGateway;

  beforeAll(async () => {
    some = await startGateway({ feeds: [{ kind: 'simulated', seed: 7, messagesPerSecond: 100 }, DEAD_FEED] });
    none = await startGateway({ feeds: [DEAD_FEED] });
  }, 30_000);

  afterAll(async () => {
    await Promise.all([some.close(), none.close()]);
  });

  it('some feeds live: 200 degraded, the dead feed not live', async () => {
    const { status, report } = await healthWhen(some, (_, body) =>
      body.feeds.some((feed) => feed.id === 'simulated' && feed.state === 'live'),
    );
    expect(status).toBe(200);
    expect(report.status).toBe('degraded');
    expect(report.feeds.find((feed) => feed.id === 'kraken')?.state).not.toBe('live');
  });

  it('no feed live: 503 down; liveness still 200', async () => {
    const response = await fetch(`${none.baseUrl}/api/health`);
    expect(response.status).toBe(503);
    const report = (await response.json()) as HealthReport;
    expect(report.status).toBe('down');
    expect(report.feeds).toEqual([expect.objectContaining({ id: 'kraken', source: 'live' })]);
    expect(report.feeds[0]?.state).not.toBe('live');
    const live = await fetch(`${none.baseUrl}/api/health/live`);
    expect(live.status).toBe(200);
  });
});
