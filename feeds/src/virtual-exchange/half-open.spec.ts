import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { binanceDialect } from './binance';
import type { VirtualExchange } from './exchange';
import { okxDialect } from './okx';
import { Harness, sharedSource } from './test-support/harness';

const harness = new Harness();
const raw: WebSocket[] = [];
afterEach(async () => {
  for (const socket of raw.splice(0)) socket.terminate();
  await harness.cleanup();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A plain ws client that records every message and pong, and answers nothing by itself. */
async function rawClient(url: string) {
  const socket = new WebSocket(url, { autoPong: false });
  raw.push(socket);
  const messages: { at: number; text: string }[] = [];
  const pongs: number[] = [];
  socket.on('message', (data: Buffer) => messages.push({ at: performance.now(), text: data.toString('utf8') }));
  socket.on('pong', () => pongs.push(performance.now()));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return { socket, messages, pongs };
}

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

async function connectionsOpen(exchange: VirtualExchange, expected: number): Promise<void> {
  await waitUntil(() => exchange.stats().connectionsOpen === expected, `${expected} open connections`);
}

describe('halfOpen fault: silent, deaf to pings, TCP left open', () => {
  it('Binance: data, replies, server pings and pongs all stop; the socket stays open until the client ends it', async () => {
    const dialect = binanceDialect({ pingIntervalMs: 30, pongTimeoutMs: 60_000, maxIncomingPerSecond: 10_000 });
    const source = await sharedSource(dialect, ['binance/binance-spot-ws.ndjson']);
    const exchange = await harness.exchange({
      dialect,
      source,
      speed: 10,
      faults: [{ kind: 'halfOpen', after: 300, connections: 1 }],
    });
    const client = await rawClient(exchange.url('/stream?streams=nknusdt@depth@100ms'));
    const serverPings: number[] = [];
    client.socket.on('ping', () => serverPings.push(performance.now()));
    const opened = performance.now();
    exchange.start();
    // Healthy first: data, a reply to a request, a pong to a ping, the venue's pings.
    client.socket.send('{"method":"LIST_SUBSCRIPTIONS","id":1}');
    client.socket.ping('before');
    await waitUntil(() => client.pongs.length === 1, 'a pong before the fault');
    await waitUntil(() => client.messages.some((m) => m.text.includes('"id":1')), 'the reply before the fault');
    await waitUntil(() => performance.now() - opened > 350, 'the fault');
    expect(exchange.stats().faultsApplied.halfOpen).toBe(1);
    expect(client.messages.some((m) => m.text.includes('depthUpdate'))).toBe(true);
    expect(serverPings.length).toBeGreaterThan(0);

    const cut = performance.now();
    client.socket.send('{"method":"LIST_SUBSCRIPTIONS","id":2}');
    client.socket.ping('after');
    await sleep(600);
    expect(client.messages.filter((m) => m.at > cut)).toEqual([]);
    expect(serverPings.filter((at) => at > cut)).toEqual([]);
    expect(client.pongs).toHaveLength(1);
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
    expect(exchange.stats().connectionsOpen).toBe(1);

    client.socket.terminate();
    await connectionsOpen(exchange, 0);
  });

  it("OKX: the venue's text ping gets no pong; other connections are untouched", async () => {
    const dialect = okxDialect();
    const source = await sharedSource(dialect, ['okx/okx-v5-public.ndjson']);
    const exchange = await harness.exchange({
      dialect,
      source,
      speed: 'max',
      faults: [{ kind: 'halfOpen', after: 0, connections: 1 }],
    });
    const deaf = await rawClient(exchange.url('/ws/v5/public'));
    const healthy = await rawClient(exchange.url('/ws/v5/public'));
    for (const client of [deaf, healthy]) {
      client.socket.send('ping');
      client.socket.ping();
    }
    await waitUntil(() => healthy.messages.some((m) => m.text === 'pong') && healthy.pongs.length === 1, 'pongs');
    await sleep(200);
    expect(deaf.messages).toEqual([]);
    expect(deaf.pongs).toEqual([]);
    expect(deaf.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('refuses a half-open fault without a trigger', async () => {
    const dialect = okxDialect();
    const source = await sharedSource(dialect, ['okx/okx-v5-public.ndjson']);
    await expect(harness.exchange({ dialect, source, faults: [{ kind: 'halfOpen' }] })).rejects.toThrow(RangeError);
  });
});
