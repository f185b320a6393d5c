import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AlpacaAdapter } from '../adapters/alpaca/alpaca-adapter';
import { AlpacaCredentials } from '../adapters/alpaca/alpaca-credentials';
import type { AlpacaSession } from '../adapters/alpaca/alpaca-session';
import * as doc from '../adapters/alpaca/test-support/alpaca-doc-frames';
import { CollectingSink } from '../adapters/collecting-sink';
import type { UpstreamSubscription } from '../adapters/venue-adapter';
import type { FeedStatusEvent, MarketEvent } from '../model/events';
import type { RecordingEntry } from '../recording/recording-entry';
import { UpstreamConnection } from '../upstream/upstream-connection';
import { ALPACA_DEFAULT_KEY, ALPACA_DEFAULT_SECRET, alpacaDialect, type AlpacaDialectOptions } from './alpaca';
import { recordingFrameSource } from './recording-source';
import { Harness } from './test-support/harness';
import type { TestClient } from './test-support/test-client';

const harness = new Harness();
afterEach(() => harness.cleanup());

const AUTH = { action: 'auth', key: ALPACA_DEFAULT_KEY, secret: ALPACA_DEFAULT_SECRET };
const CONNECTED = '[{"T":"success","msg":"connected"}]';
const AUTHENTICATED = '[{"T":"success","msg":"authenticated"}]';

/** The documented frames as a capture: the venue's greeting, answers and data, as it sent them. */
const SERVED = [
  doc.CONNECTED,
  doc.AUTHENTICATED,
  doc.SIP_SUBSCRIPTION,
  doc.SIP_QUOTE_AMD_1,
  doc.SIP_TRADES_AAPL,
  doc.SIP_QUOTE_AMD_2,
  doc.V2_TRADE_AAPL,
  doc.V2_QUOTES_AMD,
  doc.BAR_SPY,
  doc.TEST_BAR,
  doc.STATUS_HALT_AAPL,
  doc.STATUS_RESUME_AAPL,
  doc.CORRECTION_EEM,
];

function entries(frames: readonly string[]): RecordingEntry[] {
  return frames.map((data, index) => ({ kind: 'recv', time: 1_700_000_000_000_000 + index * 1000, conn: 1, data }));
}

async function alpacaExchange(options: AlpacaDialectOptions = {}, frames: readonly string[] = SERVED) {
  const dialect = alpacaDialect(options);
  const source = await recordingFrameSource(dialect, entries(frames));
  const exchange = await harness.exchange({ dialect, source, speed: 'max' });
  return { exchange, source };
}

/** A client that has been greeted and has authenticated with the default key. */
async function authenticatedClient(url: string): Promise<TestClient> {
  const client = await harness.client(url);
  await client.next((text) => text === CONNECTED, 'greeting');
  client.send(AUTH);
  await client.next((text) => text === AUTHENTICATED, 'authenticated');
  return client;
}

function subscriptionAnswer(lists: Partial<Record<string, string[]>>): string {
  const keys = ['trades', 'quotes', 'bars', 'updatedBars', 'dailyBars', 'statuses', 'lulds'];
  const answer: Record<string, unknown> = { T: 'subscription' };
  for (const key of keys) answer[key] = lists[key] ?? [];
  answer['corrections'] = lists['trades'] ?? [];
  answer['cancelErrors'] = lists['trades'] ?? [];
  return JSON.stringify([answer]);
}

describe('Alpaca dialect', () => {
  it('classifies recorded frames: control answers are regenerated, data frames keep one stream each', async () => {
    const { source } = await alpacaExchange();
    expect(source.controlFrames).toBe(3);
    expect(source.frameCount).toBe(10);
    expect(source.streams).toEqual([
      'quotes:AMD',
      'trades:AAPL',
      'bars:SPY',
      'bars:FAKEPACA',
      'statuses:AAPL',
      'corrections:EEM',
    ]);
    const mixed = await recordingFrameSource(
      alpacaDialect(),
      entries([`[${doc.V2_TRADE_AAPL.slice(1, -1)},{"T":"q","S":"AMD"}]`]),
    );
    expect(mixed.unclassifiedReasons).toEqual(['batch of several streams: trades:AAPL, quotes:AMD']);
  });

  it('greets on /v2/iex, /v2/sip and /v2/test, and refuses other paths', async () => {
    const { exchange } = await alpacaExchange();
    for (const feed of ['iex', 'sip', 'test']) {
      const client = await harness.client(exchange.url(`/v2/${feed}`));
      await client.next((text) => text === CONNECTED, `greeting on ${feed}`);
    }
    await expect(harness.client(exchange.url('/v2/crypto'))).rejects.toThrow('HTTP 404');
    await expect(harness.client(exchange.url('/v1beta3/crypto/us'))).rejects.toThrow('HTTP 404');
  });

  it('answers subscribe with the whole list and serves exactly the subscribed streams, batches intact', async () => {
    const { exchange } = await alpacaExchange();
    const client = await authenticatedClient(exchange.url('/v2/sip'));
    client.send({ action: 'subscribe', trades: ['AAPL'], quotes: ['AMD'] });
    const answer = subscriptionAnswer({ trades: ['AAPL'], quotes: ['AMD'] });
    await client.next((text) => text === answer, 'subscription answer');
    expect(answer).toBe(
      '[{"T":"subscription","trades":["AAPL"],"quotes":["AMD"],"bars":[],"updatedBars":[],"dailyBars":[],' +
        '"statuses":[],"lulds":[],"corrections":["AAPL"],"cancelErrors":["AAPL"]}]',
    );
    exchange.start();
    await exchange.finished;
    const expected = [
      doc.SIP_QUOTE_AMD_1,
      doc.SIP_TRADES_AAPL,
      doc.SIP_QUOTE_AMD_2,
      doc.V2_TRADE_AAPL,
      doc.V2_QUOTES_AMD,
    ];
    await client.waitFor(() => client.messages.length >= 2 + 1 + expected.length, 'the subscribed frames');
    expect(client.texts()).toEqual([CONNECTED, AUTHENTICATED, answer, ...expected]);
  });

  it('serves every symbol of a channel subscribed with "*", and stops a stream on unsubscribe', async () => {
    const { exchange } = await alpacaExchange();
    const client = await authenticatedClient(exchange.url('/v2/iex'));
    client.send({ action: 'subscribe', bars: ['*'], statuses: ['AAPL'] });
    client.send({ action: 'unsubscribe', statuses: ['AAPL'] });
    await client.next((text) => text === subscriptionAnswer({ bars: ['*'] }), 'second answer');
    exchange.start();
    await exchange.finished;
    await client.waitFor(() => client.messages.length >= 6, 'both bars');
    await sleep(20);
    expect(client.texts().slice(4)).toEqual([doc.BAR_SPY, doc.TEST_BAR]);
  });

  it('402 for a wrong key: the socket stays open (as measured), or closes when configured', async () => {
    const { exchange } = await alpacaExchange({ authTimeoutMs: 100 });
    const client = await harness.client(exchange.url('/v2/iex'));
    client.send({ action: 'auth', key: ALPACA_DEFAULT_KEY, secret: 'wrong' });
    await client.next((text) => text === '[{"T":"error","code":402,"msg":"auth failed"}]', '402');
    // Well past the auth timeout: no 404, no close.
    await sleep(250);
    expect(client.isClosed).toBe(false);
    expect(client.texts()).toEqual([CONNECTED, '[{"T":"error","code":402,"msg":"auth failed"}]']);

    const closing = await alpacaExchange({ authFailure: 'close' });
    const other = await harness.client(closing.exchange.url('/v2/iex'));
    other.send({ action: 'auth' });
    expect(await other.closed).toMatchObject({ code: 1008, reason: 'auth failed' });
    expect(other.texts()).toEqual([CONNECTED, '[{"T":"error","code":402,"msg":"auth failed"}]']);
  });

  it('406 for a second connection with the same key: the newcomer is closed, the incumbent keeps its data', async () => {
    const { exchange } = await alpacaExchange({ duplicateCloseMs: 150 });
    const incumbent = await authenticatedClient(exchange.url('/v2/iex'));
    incumbent.send({ action: 'subscribe', trades: ['AAPL'] });
    await incumbent.next((text) => text.startsWith('[{"T":"subscription"'), 'answer');
    const newcomer = await harness.client(exchange.url('/v2/iex'));
    newcomer.send(AUTH);
    await newcomer.next((text) => text === doc.CONNECTION_LIMIT, '406');
    const closed = await newcomer.closed;
    expect(closed).toMatchObject({ code: 1008, reason: 'connection limit exceeded' });
    expect(closed.at - newcomer.messages[1]!.at).toBeGreaterThanOrEqual(140);
    // Another endpoint is another connection limit.
    await authenticatedClient(exchange.url('/v2/test'));
    exchange.start();
    await exchange.finished;
    await incumbent.waitFor(() => incumbent.texts().includes(doc.V2_TRADE_AAPL), 'trades after the 406');
    expect(incumbent.isClosed).toBe(false);
    // Once the incumbent leaves, the key is free again.
    await incumbent.close();
    await authenticatedClient(exchange.url('/v2/iex'));
  });

  it('answers the documented errors: 401, 400, 403, 405 (list unchanged), 409 and 410', async () => {
    const { exchange } = await alpacaExchange({
      symbolLimit: 2,
      credentials: [
        { key: ALPACA_DEFAULT_KEY, secret: ALPACA_DEFAULT_SECRET },
        { key: 'AKFREE', secret: 'free', feeds: ['iex', 'test'] },
      ],
    });
    const early = await harness.client(exchange.url('/v2/iex'));
    early.send({ action: 'subscribe', trades: ['AAPL'] });
    await early.next((text) => text === doc.ERRORS[401], '401');

    const client = await authenticatedClient(exchange.url('/v2/sip'));
    const requests: (string | object)[] = [
      '{"action":',
      { action: 'subscribe', trades: ['aapl'] },
      { action: 'subscribe' },
      { action: 'listen', trades: ['AAPL'] },
      AUTH,
      { action: 'subscribe', quotes: ['A', 'B'] },
      { action: 'subscribe', quotes: ['C'], trades: ['A'] },
      { action: 'subscribe', orderbooks: ['BTC/USD'] },
    ];
    for (const request of requests) client.send(request);
    await client.waitFor(() => client.messages.length >= 2 + requests.length, 'every answer');
    expect(client.texts().slice(2)).toEqual([
      doc.ERRORS[400],
      doc.ERRORS[400],
      doc.ERRORS[400],
      doc.ERRORS[400],
      doc.ERRORS[403],
      subscriptionAnswer({ quotes: ['A', 'B'] }),
      doc.ERRORS[405],
      doc.ERRORS[410],
    ]);
    expect(exchange.stats().clientErrors).toBe(8);

    const free = await harness.client(exchange.url('/v2/sip'));
    free.send({ action: 'auth', key: 'AKFREE', secret: 'free' });
    await free.next((text) => text === doc.ERRORS[409], '409');
    expect(free.isClosed).toBe(false);
  });

  it('closes a connection that does not authenticate in time with 404', async () => {
    const { exchange } = await alpacaExchange({ authTimeoutMs: 80 });
    const client = await harness.client(exchange.url('/v2/iex'));
    const closed = await client.closed;
    expect(closed).toMatchObject({ code: 1008, reason: 'auth timeout' });
    expect(client.texts()).toEqual([CONNECTED, doc.ERRORS[404]]);
  });

  it('pings, and drops a client that leaves a ping unanswered', async () => {
    const { exchange } = await alpacaExchange({ pingIntervalMs: 30, pongTimeoutMs: 100 });
    const polite = await authenticatedClient(exchange.url('/v2/iex'));
    const rude = await harness.client(exchange.url('/v2/test'), { autoPong: false });
    expect(await rude.closed).toMatchObject({ code: 1008, reason: 'ping timeout' });
    await polite.waitFor(() => polite.pings.length >= 5, 'five pings');
    expect(polite.isClosed).toBe(false);
  });
});

/** A SessionSink that keeps everything and sends through a real socket. */
class SocketSink extends CollectingSink {
  socket: WebSocket | undefined;

  override send(text: string): void {
    super.send(text);
    this.socket?.send(text);
  }
}

interface AdapterClient {
  readonly sink: SocketSink;
  readonly session: AlpacaSession;
  readonly closed: Promise<number>;
}

/** The adapter's session driven by a plain ws client loop: open → handleFrame for each message → close. */
function runSession(
  url: string,
  adapter: AlpacaAdapter,
  subscriptions: readonly UpstreamSubscription[],
): AdapterClient {
  const sink = new SocketSink();
  const session = adapter.createSession(subscriptions, sink);
  const socket = new WebSocket(url, { perMessageDeflate: false });
  sink.socket = socket;
  const now = (): number => Math.round((performance.timeOrigin + performance.now()) * 1000);
  socket.on('open', () => {
    session.open(now());
  });
  socket.on('message', (data: WebSocket.RawData) => {
    const text = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer);
    session.handleFrame(text.toString('utf8'), now());
  });
  socket.on('error', () => undefined);
  const closed = new Promise<number>((resolve) => {
    socket.on('close', (code) => {
      session.close(now(), `closed (${code})`);
      resolve(code);
    });
  });
  harnessSockets.push(socket);
  return { sink, session, closed };
}

const harnessSockets: WebSocket[] = [];
afterEach(() => {
  for (const socket of harnessSockets.splice(0)) socket.terminate();
});

async function until(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!predicate()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

const SUBSCRIPTIONS: UpstreamSubscription[] = [
  { symbol: 'AAPL-USD', channel: 'trades' },
  { symbol: 'AMD-USD', channel: 'bbo' },
];
const credentials = new AlpacaCredentials(ALPACA_DEFAULT_KEY, ALPACA_DEFAULT_SECRET);

function dataEvents(events: readonly MarketEvent[]): unknown[] {
  return events
    .filter((event) => event.type === 'trade' || event.type === 'bbo')
    .map((event) => ({ ...event, receiveTime: 0 }));
}

describe('Alpaca adapter against the virtual exchange (end to end)', () => {
  it('authenticates, subscribes and turns the served frames into the same events as an offline replay', async () => {
    const { exchange } = await alpacaExchange();
    const adapter = new AlpacaAdapter({ feed: 'sip', credentials, wsBase: exchange.url('') });
    const live = runSession(adapter.url(), adapter, SUBSCRIPTIONS);
    await until(() => live.session.instrument('AMD-USD')?.feed === 'live', 'subscription answer');
    expect(live.sink.sent).toEqual([
      credentials.authMessage(),
      '{"action":"subscribe","trades":["AAPL"],"quotes":["AMD"],"statuses":["AAPL","AMD"]}',
    ]);
    exchange.start();
    await exchange.finished;
    await until(() => live.session.stats.messages['status'] === 2, 'the halt and the resumption');

    // The same data frames, fed straight into a session: the wire must change nothing.
    const offline = new CollectingSink();
    const session = adapter.createSession(SUBSCRIPTIONS, offline);
    session.open(0);
    for (const frame of [doc.CONNECTED, doc.AUTHENTICATED, doc.SIP_SUBSCRIPTION]) session.handleFrame(frame, 0);
    for (const frame of [
      doc.SIP_QUOTE_AMD_1,
      doc.SIP_TRADES_AAPL,
      doc.SIP_QUOTE_AMD_2,
      doc.V2_TRADE_AAPL,
      doc.V2_QUOTES_AMD,
      doc.STATUS_HALT_AAPL,
      doc.STATUS_RESUME_AAPL,
    ]) {
      session.handleFrame(frame, 0);
    }
    expect(dataEvents(live.sink.events)).toEqual(dataEvents(offline.events));
    expect(dataEvents(live.sink.events)).toHaveLength(9);
    expect(live.sink.total('rejected')).toBe(0);
    expect(live.sink.counts.parsed).toEqual({
      'success connected': 1,
      'success authenticated': 1,
      subscription: 1,
      quote: 3,
      trade: 2,
      status: 2,
    });
    const halts = live.sink.events.filter(
      (event): event is FeedStatusEvent => event.type === 'status' && /^(halted|resumed)/.test(event.reason),
    );
    expect(halts.map((event) => [event.symbol, event.state, event.reason])).toEqual([
      ['AAPL-USD', 'live', 'halted: H Trading Halt: T12 Trading Halted; For information requested by NASDAQ'],
      ['AAPL-USD', 'live', 'resumed: T Trading Resumption'],
    ]);
  });

  it('a second adapter connection with the same key reports 406 and subscribes nothing', async () => {
    const { exchange } = await alpacaExchange({ duplicateCloseMs: 100 });
    const adapter = new AlpacaAdapter({ credentials, wsBase: exchange.url('') });
    const first = runSession(adapter.url(), adapter, SUBSCRIPTIONS);
    await until(() => first.session.instrument('AAPL-USD')?.feed === 'live', 'first live');
    const second = runSession(adapter.url(), adapter, SUBSCRIPTIONS);
    expect(await second.closed).toBe(1008);
    expect(second.sink.sent).toEqual([credentials.authMessage()]);
    const venue = second.sink.events.filter(
      (event): event is FeedStatusEvent => event.type === 'status' && event.symbol === null,
    );
    expect(venue.at(-1)?.state).toBe('disconnected');
    expect(venue.at(-1)?.reason).toMatch(
      /^connection limit exceeded \(406\): another connection already uses this API key/,
    );
    expect(second.session.instrument('AAPL-USD')?.feed).toBe('disconnected');
    expect(first.session.instrument('AAPL-USD')?.feed).toBe('live');
  });

  it('under the connection manager a refused duplicate is retried with backoff, never in a tight loop', async () => {
    const { exchange } = await alpacaExchange({ duplicateCloseMs: 50, pingIntervalMs: 1000 });
    const adapter = new AlpacaAdapter({ credentials, wsBase: exchange.url(''), pingIntervalMs: 1000 });
    const holder = runSession(adapter.url(), adapter, SUBSCRIPTIONS);
    await until(() => holder.session.instrument('AAPL-USD')?.feed === 'live', 'the holder live');
    const events: MarketEvent[] = [];
    const upstream = new UpstreamConnection({
      adapter,
      subscriptions: SUBSCRIPTIONS,
      onEvent: (event) => events.push(event),
      reconnectBaseMs: 100,
      reconnectMaxMs: 400,
      random: () => 1,
    });
    upstream.start();
    try {
      await sleep(1500);
      // Each attempt lives ~50 ms until the venue closes it, then waits 100, 200, 400, 400 ms...
      expect(upstream.stats.connectionsOpened).toBeGreaterThanOrEqual(2);
      expect(upstream.stats.connectionsOpened).toBeLessThanOrEqual(6);
      const refused = events.filter(
        (event) =>
          event.type === 'status' &&
          event.symbol === null &&
          event.reason.startsWith('connection limit exceeded (406)'),
      );
      expect(refused.length).toBe(upstream.stats.connectionsOpened);
      expect(upstream.stats.outcomes.parsed['error 406']).toBe(upstream.stats.connectionsOpened);
    } finally {
      await upstream.stop();
    }
  });
});
