import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningGateway, simulatedConfig, startGateway } from '../test-support/gateway-harness';
import { TestNatsServer } from '../test-support/nats-server';
import { StreamClient } from '../test-support/stream-client';
import { metricValue, RawClient, streamProblems } from './bus-test-support';

const INSTRUMENT = 'simulated:BTC-USDT';

describe('scale-out on NATS: 1 ingest, 2 gateways (real nats-server)', () => {
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

  it('clients on both gateways get the same channel streams: same seq, same bytes, no gap', async () => {
    const clients = await Promise.all(gateways.map((gateway) => RawClient.open(gateway.streamUrl)));
    for (const client of clients) {
      client.send({ op: 'subscribe', channel: 'book', instrument: INSTRUMENT, depth: 10, intervalMs: 0 });
      client.send({ op: 'subscribe', channel: 'trades', instrument: INSTRUMENT });
    }
    const updates = (client: RawClient, channel: string) => client.of(channel).filter((m) => m.type === 'update');
    await Promise.all(
      clients.map((client) =>
        client.until(() => updates(client, 'book').length >= 40 && updates(client, 'trades').length >= 5, 'updates'),
      ),
    );
    for (const channel of ['book', 'trades']) {
      const [a, b] = clients.map((client) => client.of(channel)) as [
        ReturnType<RawClient['of']>,
        ReturnType<RawClient['of']>,
      ];
      expect(streamProblems(a)).toEqual([]);
      expect(streamProblems(b)).toEqual([]);
      expect(a[0]?.type).toBe('snapshot');
      const bySeq = new Map(a.filter((m) => m.type === 'update').map((m) => [m.seq, m.text]));
      const shared = b.filter((m) => m.type === 'update' && bySeq.has(m.seq));
      expect(shared.length).toBeGreaterThan(channel === 'book' ? 20 : 2);
      for (const message of shared) expect(message.text).toBe(bySeq.get(message.seq));
    }
    // A late joiner on a gateway that already relays the stream: the kept snapshot and the updates since.
    const late = await RawClient.open(gateways[1]?.streamUrl ?? '');
    late.send({ op: 'subscribe', channel: 'book', instrument: INSTRUMENT, depth: 10, intervalMs: 0 });
    await late.until(() => updates(late, 'book').length >= 10, 'late joiner updates');
    expect(streamProblems(late.of('book'))).toEqual([]);
    for (const gateway of gateways) {
      const metrics = await (await fetch(`${gateway.baseUrl}/api/metrics`)).text();
      expect(metricValue(metrics, 'tickwire_bus_gaps_total')).toBe(0);
    }
    for (const client of [...clients, late]) client.close();
  }, 30_000);

  it('refuses unknown venues and instruments on a gateway as a single process does', async () => {
    const client = await StreamClient.open(gateways[0]?.streamUrl ?? '');
    client.send({ op: 'subscribe', channel: 'book', instrument: 'nowhere:BTC-USDT' });
    client.send({ op: 'subscribe', channel: 'book', instrument: 'simulated:NOPE-USDT' });
    const codes = () => client.messages.flatMap((m) => (m.type === 'error' ? [m.code] : []));
    await client.until(() => codes().length >= 2, 'two errors');
    expect(codes()).toEqual(['unknown_venue', 'unknown_instrument']);
    await client.close();
  });

  it('a gateway is ready (health 200) while an ingest is heard from, and lists the ingests’ instruments', async () => {
    for (const gateway of gateways) {
      const response = await fetch(`${gateway.baseUrl}/api/health`);
      expect(response.status).toBe(200);
      const health = (await response.json()) as { status: string; ingests: { venues: string[] }[] };
      expect(health.status).toBe('ok');
      expect(health.ingests.flatMap((ingest) => ingest.venues)).toContain('simulated');
      const instruments = (await (await fetch(`${gateway.baseUrl}/api/v1/instruments`)).json()) as {
        instrument: string;
      }[];
      expect(instruments.map((instrument) => instrument.instrument)).toContain(INSTRUMENT);
    }
  });

  it('REST market data on a gateway comes from the owning ingest: book, trades, candles, status', async () => {
    const gateway = gateways[0]!;
    const get = async <T>(path: string): Promise<T> => {
      const response = await fetch(`${gateway.baseUrl}/api/v1/instruments/${INSTRUMENT}${path}`);
      expect(response.status, path).toBe(200);
      return (await response.json()) as T;
    };
    const book = await get<{ bids: [string, string][]; asks: [string, string][]; status: { state: string } }>(
      '/book?depth=5',
    );
    expect(book.bids.length).toBe(5);
    expect(book.asks.length).toBe(5);
    expect(book.status.state).toBe('live');
    const ingestBook = (await (
      await fetch(`${ingest.baseUrl}/api/v1/instruments/${INSTRUMENT}/book?depth=5`)
    ).json()) as {
      sequence: number;
    };
    expect(typeof ingestBook.sequence).toBe('number');
    const trades = await get<unknown[]>('/trades?limit=3');
    expect(trades.length).toBeLessThanOrEqual(3);
    expect(trades.length).toBeGreaterThan(0);
    const candles = await get<{ interval: string }[]>('/candles?interval=1s&limit=5');
    expect(candles.length).toBeGreaterThan(0);
    expect(candles.every((candle) => candle.interval === '1s')).toBe(true);
    const one = await get<{ instrument: string; status: { source: string } }>('');
    expect(one).toMatchObject({ instrument: INSTRUMENT, status: { source: 'simulated' } });
    expect((await fetch(`${gateway.baseUrl}/api/v1/instruments/simulated:NOPE-USDT/book`)).status).toBe(404);
  });
});
