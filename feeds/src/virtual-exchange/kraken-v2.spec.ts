import { Buffer } from 'node:buffer';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CollectingSink } from '../adapters/collecting-sink';
import { KrakenAdapter } from '../adapters/kraken/kraken-adapter';
import type { KrakenSession } from '../adapters/kraken/kraken-session';
import { BOOK, entriesOf, replay } from '../adapters/kraken/test-support/kraken-replay';
import type { UpstreamSubscription } from '../adapters/venue-adapter';
import { krakenBookChecksum } from '../book';
import type { VirtualExchange } from './exchange';
import { krakenV2Dialect, type KrakenV2Dialect } from './kraken-v2';
import { microsToRfc3339, v1TimeToRfc3339 } from './kraken-v2-book';
import { Harness, sharedSource } from './test-support/harness';

const PAIRS = [
  'WAVES/EUR',
  'XMR/USD',
  'KSM/BTC',
  'GRT/ETH',
  'SC/EUR',
  'ETH/CHF',
  'OCEAN/BTC',
  'OMG/USD',
  'BTC/CHF',
  'ADA/BTC',
];
/** Update checksums in the capture ("c" of every v1 update). */
const RECORDED_UPDATES = 4269;

const harness = new Harness();
afterEach(() => harness.cleanup());

async function v2Exchange(): Promise<{ exchange: VirtualExchange; dialect: KrakenV2Dialect }> {
  const dialect = krakenV2Dialect({ heartbeatIntervalMs: 60_000 });
  const source = await sharedSource(dialect, [BOOK]);
  expect(source.unclassified).toBe(0);
  const exchange = await harness.exchange({ dialect, source, speed: 'max' });
  return { exchange, dialect };
}

/** A SessionSink that writes the session's requests to its socket. */
class SocketSink extends CollectingSink {
  socket: WebSocket | undefined;

  override send(text: string): void {
    super.send(text);
    this.socket?.send(text);
  }
}

interface AdapterRun {
  readonly session: KrakenSession;
  readonly sink: SocketSink;
  readonly symbols: string[];
  readonly socket: WebSocket;
}

/** The v2 adapter's session on a real socket to the exchange: open → subscribe, frames → handleFrame. */
async function connectAdapter(exchange: VirtualExchange): Promise<AdapterRun> {
  const adapter = new KrakenAdapter({ version: 'v2', wsUrl: exchange.url('/v2'), bookDepth: 1000 });
  const symbols = PAIRS.map((pair) => adapter.symbolOf(pair)!);
  const sink = new SocketSink();
  const session = adapter.createSession(
    symbols.map((symbol): UpstreamSubscription => ({ symbol, channel: 'book' })),
    sink,
  );
  const socket = new WebSocket(adapter.url());
  sink.socket = socket;
  socket.on('message', (data: WebSocket.RawData) => {
    session.handleFrame(rawText(data), Date.now() * 1000);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => {
      resolve();
    });
    socket.once('error', reject);
  });
  session.open(Date.now() * 1000);
  return { session, sink, symbols, socket };
}

function rawText(data: WebSocket.RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

async function until(predicate: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Waits until no frame has reached the session for 200 ms (the exchange has sent everything). */
async function settled(run: AdapterRun): Promise<void> {
  let frames = -1;
  while (frames !== run.sink.frames) {
    frames = run.sink.frames;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function total(run: AdapterRun, stat: 'checksumsVerified' | 'checksumMismatches' | 'resyncs' | 'snapshots'): number {
  return run.symbols.reduce((sum, symbol) => sum + run.session.bookSync(symbol)!.stats[stat], 0);
}

function closeSocket(socket: WebSocket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.readyState === WebSocket.CLOSED) resolve();
    else {
      socket.once('close', () => {
        resolve();
      });
      socket.close();
    }
  });
}

describe('Kraken v2 dialect served from the v1 capture', () => {
  it('re-encodes every recorded book frame; its own book checksums equal the venue\'s recorded "c"', async () => {
    const { dialect } = await v2Exchange();
    expect(dialect.checksumsCompared).toBe(RECORDED_UPDATES);
    expect(dialect.checksumDisagreements).toBe(0);
  });

  it("the v2 adapter over a socket verifies every checksum and ends with the v1 adapter's books", async () => {
    const { exchange } = await v2Exchange();
    const run = await connectAdapter(exchange);
    try {
      await until(() => run.sink.counts.ignored['subscribe ack'] === PAIRS.length, 'ten subscribe acks');
      expect(run.sink.counts.parsed['status']).toBe(1);
      exchange.start();
      await exchange.finished;
      // Ten snapshots plus every update, each checked.
      await until(() => total(run, 'checksumsVerified') >= RECORDED_UPDATES + PAIRS.length, 'every checksum');
      expect(total(run, 'checksumsVerified')).toBe(RECORDED_UPDATES + PAIRS.length);
      expect(total(run, 'checksumsVerified')).toBeGreaterThan(1000);
      expect(total(run, 'checksumMismatches')).toBe(0);
      expect(total(run, 'resyncs')).toBe(0);
      expect(total(run, 'snapshots')).toBe(PAIRS.length);
      expect(run.sink.counts.rejected).toEqual({});
      expect(run.sink.sent).toHaveLength(1); // the one subscribe: no resubscribe was needed

      const v1 = await replay(await entriesOf(BOOK));
      for (const symbol of run.symbols) {
        const ours = run.session.bookSync(symbol)!;
        const theirs = v1.session.bookSync(symbol)!;
        expect(ours.state).toBe('live');
        expect(theirs.stats.checksumMismatches).toBe(0);
        expect(ours.book.toSnapshot()).toEqual(theirs.book.toSnapshot());
      }
    } finally {
      await closeSocket(run.socket);
    }
  });

  it('a corrupted checksum makes the adapter resubscribe; the fresh snapshot is the exchange book', async () => {
    const { exchange } = await v2Exchange();
    let updates = 0;
    exchange.addFaults([
      {
        kind: 'corruptChecksum',
        match: (frame) =>
          frame.stream === 'book-1000:BTC/CHF' && frame.data.includes('"type":"update"') && ++updates === 50,
      },
    ]);
    const run = await connectAdapter(exchange);
    try {
      await until(() => run.sink.counts.ignored['subscribe ack'] === PAIRS.length, 'ten subscribe acks');
      exchange.start();
      await exchange.finished;
      const btc = (): ReturnType<KrakenSession['bookSync']> => run.session.bookSync('BTC-CHF');
      await until(() => btc()?.state === 'live' && btc()!.stats.snapshots === 2, 'the BTC/CHF resync');
      expect(btc()!.stats).toMatchObject({ checksumMismatches: 1, resyncs: 1 });
      expect(exchange.stats().faultsApplied).toMatchObject({ corruptChecksum: 1 });
      expect(run.sink.sent.slice(1)).toEqual([
        '{"method":"unsubscribe","params":{"channel":"book","symbol":["BTC/CHF"],"depth":1000}}',
        '{"method":"subscribe","params":{"channel":"book","symbol":["BTC/CHF"],"depth":1000}}',
      ]);
      await settled(run);
      const v1 = await replay(await entriesOf(BOOK));
      for (const symbol of run.symbols) {
        expect(run.session.bookSync(symbol)!.book.toSnapshot()).toEqual(v1.session.bookSync(symbol)!.book.toSnapshot());
      }
      expect(total(run, 'checksumMismatches')).toBe(1);
    } finally {
      await closeSocket(run.socket);
    }
  });

  it("a late subscriber gets a snapshot of the exchange's current book, its checksum verified", async () => {
    const { exchange } = await v2Exchange();
    exchange.start();
    await exchange.finished;
    const run = await connectAdapter(exchange);
    try {
      await until(() => total(run, 'snapshots') === PAIRS.length, 'ten late snapshots');
      expect(total(run, 'checksumsVerified')).toBe(PAIRS.length);
      expect(total(run, 'checksumMismatches')).toBe(0);
      const v1 = await replay(await entriesOf(BOOK));
      for (const symbol of run.symbols) {
        const theirs = v1.session.bookSync(symbol)!.book;
        expect(run.session.bookSync(symbol)!.book.toSnapshot()).toEqual(theirs.toSnapshot());
        expect(krakenBookChecksum(run.session.bookSync(symbol)!.book)).toBe(krakenBookChecksum(theirs));
      }
    } finally {
      await closeSocket(run.socket);
    }
  });

  it('answers an unknown symbol, a bad depth and malformed requests with the v2 error shape', async () => {
    const { exchange } = await v2Exchange();
    const client = await harness.client(exchange.url('/v2'));
    await client.waitFor(() => client.messages.length >= 1, 'status');
    expect(client.texts()[0]).toBe(
      '{"channel":"status","data":[{"api_version":"v2","connection_id":17843232920108168701,' +
        '"system":"online","version":"2.0.0"}],"type":"update"}',
    );
    const time = microsToRfc3339(exchange.now());
    const times = `"time_in":"${time}","time_out":"${time}"`;
    client.send({ method: 'subscribe', params: { channel: 'book', symbol: ['FOO/BAR'], depth: 1000 }, req_id: 7 });
    client.send({ method: 'subscribe', params: { channel: 'book', symbol: ['XBT/CHF'], depth: 1000 }, req_id: 8 });
    client.send({ method: 'subscribe', params: { channel: 'book', symbol: ['BTC/CHF'], depth: 10 } });
    client.send({ method: 'subscribe', params: { channel: 'book', symbol: ['BTC/CHF'], depth: 1000 }, req_id: 9 });
    client.send('{"method":');
    client.send({ method: 'dance', req_id: 4 });
    await client.waitFor(() => client.messages.length >= 7, 'six replies');
    expect(client.texts().slice(1)).toEqual([
      `{"error":"Currency pair not supported FOO/BAR","method":"subscribe","req_id":7,"success":false,"symbol":"FOO/BAR",${times}}`,
      // v2 names have no XBT.
      `{"error":"Currency pair not supported XBT/CHF","method":"subscribe","req_id":8,"success":false,"symbol":"XBT/CHF",${times}}`,
      // The capture has depth 1000 only.
      `{"error":"Subscription depth not supported","method":"subscribe","success":false,"symbol":"BTC/CHF",${times}}`,
      `{"method":"subscribe","req_id":9,"result":{"channel":"book","depth":1000,"snapshot":true,"symbol":"BTC/CHF"},"success":true,${times}}`,
      `{"error":"Malformed request","method":"error","success":false,${times}}`,
      `{"error":"Method not supported","method":"dance","req_id":4,"success":false,${times}}`,
    ]);
    expect(exchange.stats().clientErrors).toBe(5);
    expect(client.isClosed).toBe(false);
  });

  it('answers ping with pong carrying req_id, and sends heartbeats when a subscribed connection is idle', async () => {
    const dialect = krakenV2Dialect({ heartbeatIntervalMs: 50 });
    const source = await sharedSource(dialect, [BOOK]);
    const exchange = await harness.exchange({ dialect, source, speed: 'max' });
    const client = await harness.client(exchange.url('/v2'));
    client.send({ method: 'ping', req_id: 42 });
    const time = microsToRfc3339(exchange.now());
    await client.next(
      (text) => text === `{"method":"pong","req_id":42,"time_in":"${time}","time_out":"${time}"}`,
      'pong',
    );
    client.send({ method: 'subscribe', params: { channel: 'book', symbol: ['BTC/CHF'], depth: 1000 } });
    const beats = (): number => client.texts().filter((text) => text === '{"channel":"heartbeat"}').length;
    await client.waitFor(() => beats() >= 3, 'three heartbeats');
  });

  it('refuses other endpoints and writes times as RFC 3339 with microseconds', () => {
    expect(v1TimeToRfc3339('1618678133.365913')).toBe('2021-04-17T16:48:53.365913Z');
    expect(v1TimeToRfc3339('1618678133.3')).toBe('2021-04-17T16:48:53.300000Z');
    expect(microsToRfc3339(1618678133365913)).toBe('2021-04-17T16:48:53.365913Z');
    const dialect = krakenV2Dialect();
    expect(dialect.acceptsPath(new URL('ws://127.0.0.1/v2'))).toBe(true);
    expect(dialect.acceptsPath(new URL('ws://127.0.0.1/'))).toBe(false);
    expect(dialect.corruptChecksum?.('{"checksum":4294967295,"timestamp":"x"}')).toBe('{"checksum":0,"timestamp":"x"}');
  });
});
