import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningGateway, simulatedConfig, startGateway } from '../test-support/gateway-harness';
import { TestNatsServer } from '../test-support/nats-server';
import { metricValue, RawClient, streamProblems } from './bus-test-support';

const INSTRUMENT = 'simulated:BTC-USDT';

describe('NATS restarted mid-stream (real nats-server, killed and started again)', () => {
  let nats: TestNatsServer;
  let ingest: RunningGateway;
  let gateways: RunningGateway[];

  beforeAll(async () => {
    nats = await TestNatsServer.start();
    const bus = (role: string) => ({ kind: 'nats', url: nats.url, role });
    ingest = await startGateway(simulatedConfig({ bus: bus('ingest') }, 300));
    gateways = [await startGateway({ bus: bus('gateway') }), await startGateway({ bus: bus('gateway') })];
  }, 30_000);

  afterAll(async () => {
    for (const gateway of gateways) await gateway.close();
    await ingest.close();
    await nats.dispose();
  });

  it('every client recovers with a fresh snapshot; updates lost meanwhile are counted, not hidden', async () => {
    const clients = await Promise.all(gateways.map((gateway) => RawClient.open(gateway.streamUrl)));
    for (const client of clients) {
      client.send({ op: 'subscribe', channel: 'book', instrument: INSTRUMENT, depth: 10, intervalMs: 0 });
    }
    const book = (client: RawClient) => client.of('book');
    await Promise.all(clients.map((client) => client.until(() => book(client).length >= 20, 'book before')));
    const before = clients.map((client) => book(client).length);
    await nats.stop();
    await nats.restart();
    // A fresh snapshot after the restart, then updates again.
    await Promise.all(
      clients.map((client, index) =>
        client.until(() => {
          const after = book(client).slice(before[index]);
          const snapshot = after.findIndex((m) => m.type === 'snapshot');
          return snapshot >= 0 && after.slice(snapshot).filter((m) => m.type === 'update').length >= 10;
        }, 'fresh snapshot and updates after the restart'),
      ),
    );
    for (const [index, client] of clients.entries()) {
      const messages = book(client);
      expect(streamProblems(messages)).toEqual([]);
      // Whatever seqs the client never saw between its last update before and the fresh snapshot were reported.
      const lastBefore = messages[(before[index] ?? 1) - 1]?.seq ?? 0;
      const after = messages.slice(before[index]);
      const fresh = after.find((m) => m.type === 'snapshot');
      const seen = new Set(after.filter((m) => m.type === 'update').map((m) => m.seq));
      let missed = 0;
      for (let seq = lastBefore + 1; seq <= (fresh?.seq ?? 0); seq++) if (!seen.has(seq)) missed++;
      const metrics = await (await fetch(`${gateways[index]?.baseUrl ?? ''}/api/metrics`)).text();
      if (missed > 0) expect(metricValue(metrics, 'tickwire_bus_gaps_total')).toBeGreaterThan(0);
    }
    for (const client of clients) client.close();
  }, 60_000);
});
