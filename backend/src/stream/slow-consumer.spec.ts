import 'reflect-metadata';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { API_SUBPROTOCOL, CLOSE_CODES } from '@tickwire/feeds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { type RunningGateway, simulatedConfig, startGateway } from '../test-support/gateway-harness';
import { SequenceChecker } from '../test-support/sequence-checker';
import { StreamClient } from '../test-support/stream-client';
import { StreamGateway } from './stream.gateway';

/*
 * One client that never reads beside many healthy ones. The stalled client gets conflated
 * snapshots once its unsent data passes the soft bound, piles them up, and is closed (4009) once
 * past the hard bound; the gateway's memory stays bounded; the healthy clients lose nothing.
 */

const SOFT = 128 * 1024;
const HARD = 1024 * 1024;
const HEALTHY = 20;
const BTC = 'simulated:BTC-USDT';
const ETH = 'simulated:ETH-USDT';
/** Server memory growth allowed while the stalled client piles up data (docs/api.md). */
const MEMORY_BOUND = 64 * 1024 * 1024;
/** Wide book streams, so data piles up fast once a socket stops being read. */
const WIDE_INTERVALS = [0, 50, 100, 150, 200, 250, 300, 350, 400, 450];

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Live heap and buffers after a full collection: what the process holds, not its garbage. */
function retained(): number {
  gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

function subscribeWide(send: (message: unknown) => void): void {
  for (const intervalMs of WIDE_INTERVALS) {
    for (const instrument of [BTC, ETH])
      send({ op: 'subscribe', channel: 'book', instrument, depth: 1000, intervalMs });
  }
}

function tcpOf(socket: WebSocket): { pause(): void; resume(): void } {
  return (socket as unknown as { _socket: { pause(): void; resume(): void } })._socket;
}

async function metricValue(metric: { get(): Promise<{ values: { value: number }[] }> }): Promise<number> {
  return (await metric.get()).values[0]?.value ?? 0;
}

describe('slow consumers', () => {
  let gateway: RunningGateway;

  beforeAll(async () => {
    gateway = await startGateway(
      simulatedConfig(
        {
          limits: {
            softBufferedBytes: SOFT,
            hardBufferedBytes: HARD,
            maxSubscriptionsPerConnection: 50,
            heartbeatMs: 60_000,
          },
        },
        3000,
      ),
    );
  });

  afterAll(async () => {
    await gateway.close();
  });

  it('a client that never reads is conflated, then closed above the hard bound; healthy clients lose nothing', async () => {
    const healthy = await Promise.all(Array.from({ length: HEALTHY }, () => SequenceChecker.open(gateway.streamUrl)));
    for (const client of healthy) {
      client.send({ op: 'subscribe', channel: 'book', instrument: BTC, depth: 20, intervalMs: 0 });
      client.send({ op: 'subscribe', channel: 'trades', instrument: BTC });
    }
    const metrics = gateway.app.get(GatewayMetrics);
    const streamGateway = gateway.app.get(StreamGateway);
    const closesBefore = await metricValue(metrics.slowConsumerCloses);
    const conflatedBefore = await metricValue(metrics.conflatedSnapshots);

    const before = retained();
    const stalled = new WebSocket(gateway.streamUrl, [API_SUBPROTOCOL]);
    await new Promise<void>((resolve, reject) => {
      stalled.once('open', resolve);
      stalled.once('error', reject);
    });
    subscribeWide((message) => {
      stalled.send(JSON.stringify(message));
    });
    // Stop reading: the kernel buffers fill, then the gateway's unsent data grows.
    tcpOf(stalled).pause();

    let peak = 0;
    const started = Date.now();
    const deadline = started + 60_000;
    while (streamGateway.connectionCount > HEALTHY && Date.now() < deadline) {
      peak = Math.max(peak, retained() - before);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const closedAfterMs = Date.now() - started;
    expect(streamGateway.connectionCount).toBe(HEALTHY);
    expect(await metricValue(metrics.slowConsumerCloses)).toBe(closesBefore + 1);
    expect(await metricValue(metrics.conflatedSnapshots)).toBeGreaterThan(conflatedBefore);
    expect(peak).toBeLessThan(MEMORY_BOUND);
    console.log(
      `slow consumer: closed ${closedAfterMs} ms after it stopped reading; peak retained growth ${(peak / 1048576).toFixed(1)} MiB (bound ${MEMORY_BOUND / 1048576} MiB)`,
    );

    // Read again: the stalled client's socket ends with the documented code, or was destroyed.
    tcpOf(stalled).resume();
    const code = await new Promise<number>((resolve) => {
      if (stalled.readyState === WebSocket.CLOSED) resolve(1006);
      else stalled.once('close', resolve);
    });
    expect([CLOSE_CODES.slowConsumer, 1006]).toContain(code);

    // Healthy clients: every channel stream gapless from its snapshot, nothing conflated.
    for (const client of healthy) {
      expect(client.gaps).toBe(0);
      expect(client.conflated).toBe(0);
      expect(client.snapshots).toBe(2);
      expect([...client.counts.values()].every((count) => count > 2)).toBe(true);
    }
    await Promise.all(healthy.map((client) => client.close()));
  }, 90_000);

  it('a slow reader gets conflated snapshots marked with what they replaced, then updates again', async () => {
    const client = await StreamClient.open(gateway.streamUrl);
    subscribeWide((message) => {
      client.send(message);
    });
    await client.until(
      () => client.messages.filter((m) => m.type === 'snapshot').length === WIDE_INTERVALS.length * 2,
      'snapshots',
    );
    const metrics = gateway.app.get(GatewayMetrics);
    const conflatedBefore = await metricValue(metrics.conflatedSnapshots);
    tcpOf(client.socket).pause();
    const deadline = Date.now() + 40_000;
    while ((await metricValue(metrics.conflatedSnapshots)) === conflatedBefore && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    tcpOf(client.socket).resume();
    const conflated = await client.next((m) => m.type === 'snapshot' && m.conflated === true, 'a conflated snapshot');
    if (conflated.type !== 'snapshot') throw new Error('unreachable');
    expect(conflated.skipped).toBeGreaterThan(0);
    // After the conflated snapshot, that stream's updates continue from the last snapshot's seq.
    const sameStream = (m: (typeof client.messages)[number]): boolean =>
      (m.type === 'snapshot' || m.type === 'update') &&
      m.channel === conflated.channel &&
      m.instrument === conflated.instrument &&
      JSON.stringify(m.params) === JSON.stringify(conflated.params);
    const index = client.messages.indexOf(conflated);
    const next = await client.next((m) => sameStream(m) && m.type === 'update', 'an update after', { from: index + 1 });
    const between = client.messages.slice(index, client.messages.indexOf(next)).filter(sameStream);
    const last = between.at(-1);
    expect(last?.type).toBe('snapshot');
    expect(next.type === 'update' && last?.type === 'snapshot' && next.seq === last.seq + 1).toBe(true);
    await client.close();
  }, 90_000);
});
