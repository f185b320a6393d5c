import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '../api/protocol';
import { CLIENT_CLOSE_CODES, type ConnectionState } from './connection-state';
import type { TickwireClient } from './tickwire-client';
import { ManualClock } from './test-support/manual-clock';
import { Recorder } from './test-support/recorder';
import { SOCKET_TEST_TIMEOUT_MS } from './test-support/wait-until';
import { refusingUrl, ScriptedGateway } from './test-support/scripted-gateway';
import { SilentTcpServer } from './test-support/silent-tcp-server';
import { testClient } from './test-support/test-client';
import { bookData, levels, status, trade } from './test-support/wire-data';

const BTC = 'binance:BTC-USDT';

let gateway: ScriptedGateway;
let client: TickwireClient | undefined;

beforeEach(async () => {
  gateway = await ScriptedGateway.start();
});

afterEach(async () => {
  await client?.close();
  client = undefined;
  await gateway.stop();
});

function untilStatus(
  states: Recorder<ConnectionState>,
  status: ConnectionState['status'],
  from = 0,
): Promise<ConnectionState> {
  return states.first(status, (s) => s.status === status, from);
}

/** The request fields that pick a channel stream (everything but the id). */
function channelOf(request: { readonly id?: number }): Record<string, unknown> {
  return Object.fromEntries(Object.entries(request).filter(([field]) => field !== 'id'));
}

describe('gap detection', { timeout: SOCKET_TEST_TIMEOUT_MS }, () => {
  it('drops the gapped update, resubscribes and carries on from the fresh snapshot', async () => {
    client = testClient(gateway.url);
    const connection = await gateway.connection(0);
    const views = new Recorder(client.book(BTC, { depth: 5 }));
    const request = await connection.expectSubscribe('book');
    connection.snapshot(request, 5, bookData(levels(['100', '1'], ['99', '1']), levels(['101', '1'])));
    connection.update(request, 6, bookData(levels(['99.5', '2']), []));
    connection.update(request, 8, bookData(levels(['98', '7']), [])); // seq 7 is missing
    connection.update(request, 9, bookData(levels(['97', '7']), [])); // in flight before the resubscription

    const unsubscribe = await connection.expectUnsubscribe();
    expect(channelOf(unsubscribe)).toEqual({ ...channelOf(request), op: 'unsubscribe' });
    const resubscribe = await connection.expectSubscribe('book');
    expect(channelOf(resubscribe)).toEqual(channelOf(request));
    expect(resubscribe.id).not.toBe(request.id);

    connection.update(request, 10, bookData(levels(['96', '7']), [])); // still before the snapshot: ignored
    connection.snapshot(resubscribe, 30, bookData(levels(['100', '3']), levels(['100.5', '1'])));
    connection.update(resubscribe, 31, bookData([], levels(['100.25', '2'])));

    const seen = [await views.nth(0), await views.nth(1), await views.nth(2), await views.nth(3)];
    expect(seen.map((v) => [v.type, v.seq])).toEqual([
      ['snapshot', 5],
      ['update', 6],
      ['snapshot', 30],
      ['update', 31],
    ]);
    expect(seen[1]!.bids).toEqual(levels(['100', '1'], ['99.5', '2'], ['99', '1']));
    expect(seen[2]!.bids).toEqual(levels(['100', '3']));
    expect(seen[3]!.asks).toEqual(levels(['100.25', '2'], ['100.5', '1']));
    expect(client.stats()).toMatchObject({ gaps: 1, resnapshots: 1, droppedUpdates: 3 });
  });

  it('treats an update before any snapshot as a gap', async () => {
    client = testClient(gateway.url);
    const connection = await gateway.connection(0);
    const events = new Recorder(client.trades(BTC));
    const request = await connection.expectSubscribe('trades');
    connection.update(request, 3, [trade('early', '1', '1')]);
    await connection.expectUnsubscribe();
    const again = await connection.expectSubscribe('trades');
    connection.snapshot(again, 3, [trade('fresh', '1', '1')]);
    const first = await events.nth(0);
    expect([first.type, first.data.map((t) => t.id)]).toEqual(['snapshot', ['fresh']]);
    expect(client.stats()).toMatchObject({ gaps: 1, resnapshots: 1, droppedUpdates: 1 });
  });

  it('takes a duplicate or an older seq as a gap too', async () => {
    client = testClient(gateway.url);
    const connection = await gateway.connection(0);
    const events = new Recorder(client.status(BTC));
    const request = await connection.expectSubscribe('status');
    connection.snapshot(request, 0, status('live'));
    connection.update(request, 1, status('stale'));
    connection.update(request, 1, status('live'));
    await connection.expectUnsubscribe();
    await connection.expectSubscribe('status');
    expect(events.values.map((m) => m.seq)).toEqual([0, 1]);
    expect(client.stats().gaps).toBe(1);
  });
});

describe('reconnection', { timeout: SOCKET_TEST_TIMEOUT_MS }, () => {
  it('reconnects after the gateway closes the socket and subscribes again to everything wanted', async () => {
    client = testClient(gateway.url);
    const states = new Recorder(client.connectionState$);
    const first = await gateway.connection(0);
    const book = new Recorder(client.book(BTC, { depth: 2 }));
    const trades = new Recorder(client.trades(BTC));
    const feed = new Recorder(client.status(BTC));
    const before = await first.expectSubscribes('book', 'trades', 'status');
    first.snapshot(before[0], 10, bookData(levels(['1', '1']), []));
    await book.nth(0);

    first.close(CLOSE_CODES.goingAway, 'restarting');
    const second = await gateway.connection(1);
    const after = await second.expectSubscribes('book', 'trades', 'status');
    expect(after.map(channelOf)).toEqual(before.map(channelOf));
    second.snapshot(after[0], 99, bookData(levels(['2', '1']), []));
    second.update(after[0], 100, bookData(levels(['1.5', '1']), []));
    const resumed = await book.nth(2);
    expect(resumed.bids).toEqual(levels(['2', '1'], ['1.5', '1']));

    const reconnecting = await untilStatus(states, 'reconnecting');
    expect(reconnecting).toMatchObject({
      url: gateway.url,
      nextUrl: gateway.url,
      lastClose: { code: CLOSE_CODES.goingAway, reason: 'restarting', url: gateway.url },
    });
    const reopened = await untilStatus(states, 'open', states.values.indexOf(reconnecting));
    expect(reopened.lastClose?.code).toBe(CLOSE_CODES.goingAway);
    expect(client.stats()).toMatchObject({ reconnects: 1, gaps: 0 });
    expect(trades.errored || feed.errored || book.errored).toBe(false);
  });

  it('resubscribes to what is wanted at reconnect time, not what was wanted when the connection was lost', async () => {
    const clock = new ManualClock();
    client = testClient(gateway.url, { now: clock.now, timers: clock, reconnect: { baseMs: 1000, maxMs: 1000 } });
    const states = new Recorder(client.connectionState$);
    const first = await gateway.connection(0);
    const trades = new Recorder(client.trades(BTC));
    const feed = new Recorder(client.status(BTC));
    await first.expectSubscribes('trades', 'status');

    first.close(CLOSE_CODES.slowConsumer, 'slow consumer');
    await untilStatus(states, 'reconnecting');
    trades.unsubscribe();
    const candles = new Recorder(client.candles(BTC, '1h'));
    clock.advance(1000);

    const second = await gateway.connection(1);
    const [statusReq, candlesReq] = await second.expectSubscribes('status', 'candles');
    expect(candlesReq).toMatchObject({ instrument: BTC, interval: '1h' });
    expect(statusReq.instrument).toBe(BTC);
    expect(first.received.filter((m) => m.op === 'unsubscribe')).toEqual([]);
    expect(feed.errored || candles.errored).toBe(false);
  });

  it('paces what it sends on a reconnect to the send rate', async () => {
    const clock = new ManualClock();
    gateway = (await gateway.stop(), await ScriptedGateway.start({ now: clock.now }));
    client = testClient(gateway.url, { now: clock.now, timers: clock, sendRate: { perSecond: 2, burst: 2 } });
    const observers = ['a:X-Y', 'b:X-Y', 'c:X-Y'].map((name) => new Recorder(client!.trades(name)));
    const connection = await gateway.connection(0);
    await connection.expectSubscribes('trades', 'trades');
    clock.advance(499);
    clock.advance(1);
    await connection.expectSubscribe('trades');
    expect(connection.receivedAt).toEqual([0, 0, 500]);
    expect(observers.some((o) => o.errored)).toBe(false);
  });

  it('fails over to the next URL when the first refuses connections, round-robin', async () => {
    const refused = await refusingUrl();
    client = testClient([refused, gateway.url]);
    const states = new Recorder(client.connectionState$);
    const first = await gateway.connection(0);
    const open = await untilStatus(states, 'open');
    expect(open.url).toBe(gateway.url);
    const path = (upTo: number): [string, string][] => states.values.slice(0, upTo + 1).map((s) => [s.status, s.url]);
    expect(path(states.values.indexOf(open))).toEqual([
      ['connecting', refused],
      ['reconnecting', refused],
      ['connecting', gateway.url],
      ['open', gateway.url],
    ]);
    expect(states.values[1]).toMatchObject({ nextUrl: gateway.url, lastClose: { code: 1006, url: refused } });

    // A close moves on to the next URL too: the refused one, then back to the gateway.
    const mark = states.values.length;
    first.close(CLOSE_CODES.tooManyConnections, 'too many connections');
    await gateway.connection(1);
    const reopened = await untilStatus(states, 'open', mark);
    expect(states.values.slice(mark, states.values.indexOf(reopened) + 1).map((s) => [s.status, s.url])).toEqual([
      ['reconnecting', gateway.url],
      ['connecting', refused],
      ['reconnecting', refused],
      ['connecting', gateway.url],
      ['open', gateway.url],
    ]);
    expect(states.values[mark]?.lastClose).toEqual({
      code: CLOSE_CODES.tooManyConnections,
      reason: 'too many connections',
      url: gateway.url,
    });
  });

  it('backs off exponentially with jitter between failed attempts, and resets after a healthy connection', async () => {
    const refused = await refusingUrl();
    const clock = new ManualClock();
    client = testClient(refused, {
      now: clock.now,
      timers: clock,
      reconnect: { baseMs: 100, maxMs: 350, random: () => 0.5 },
    });
    const states = new Recorder(client.connectionState$);
    const delays: number[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      const reconnecting = await states.first(
        `reconnecting #${attempt}`,
        (s) => s.status === 'reconnecting',
        states.values.length - 1,
      );
      expect(reconnecting.failedAttempts).toBe(attempt + 1);
      delays.push(reconnecting.retryInMs ?? -1);
      clock.advance(reconnecting.retryInMs ?? 0);
    }
    // Ceilings 100, 200, 350 (max), 350; half of each.
    expect(delays).toEqual([50, 100, 175, 175]);
  });
  it('resets the backoff after a connection that delivered a message, not after one that only opened', async () => {
    const refused = await refusingUrl();
    const clock = new ManualClock();
    client = testClient([refused, gateway.url], {
      now: clock.now,
      timers: clock,
      reconnect: { baseMs: 100, maxMs: 10_000, random: () => 0.5 },
    });
    const states = new Recorder(client.connectionState$);
    const retries: [number | undefined, number][] = [];
    const nextRetry = async (): Promise<void> => {
      const from = states.values.length - 1;
      const reconnecting = await states.first('reconnecting', (s) => s.status === 'reconnecting', from);
      retries.push([reconnecting.retryInMs, reconnecting.failedAttempts]);
      clock.advance(reconnecting.retryInMs ?? 0);
    };

    await nextRetry(); // refused
    const healthy = await gateway.connection(0);
    await untilStatus(states, 'open');
    healthy.heartbeat();
    await client.ping();
    healthy.close(CLOSE_CODES.goingAway);
    await nextRetry(); // after a healthy connection: back to the base ceiling
    await nextRetry(); // refused again
    const mute = await gateway.connection(1);
    await untilStatus(states, 'open', states.values.length - 1);
    mute.close(CLOSE_CODES.goingAway); // opened, delivered nothing
    await nextRetry();
    expect(retries).toEqual([
      [50, 1],
      [50, 0],
      [100, 1],
      [200, 2],
    ]);
  });
});

describe('heartbeat timeout', { timeout: SOCKET_TEST_TIMEOUT_MS }, () => {
  it('keeps a connection that receives messages and declares a silent one dead, then reconnects', async () => {
    const clock = new ManualClock();
    client = testClient(gateway.url, { now: clock.now, timers: clock, heartbeatTimeoutMs: 1000 });
    const states = new Recorder(client.connectionState$);
    const first = await gateway.connection(0);
    await untilStatus(states, 'open');
    const book = new Recorder(client.book(BTC));
    const request = await first.expectSubscribe('book');
    first.snapshot(request, 0, bookData(levels(['1', '1']), []));
    await book.nth(0);

    clock.advance(800);
    first.heartbeat();
    await client.ping(); // the heartbeat (and the pong) arrived at t = 800
    clock.advance(999); // t = 1799: 999 ms of silence
    expect(client.connectionState.status).toBe('open');
    expect(gateway.connections).toHaveLength(1);

    clock.advance(1); // t = 1800: 1000 ms of silence
    const dead = await untilStatus(states, 'reconnecting');
    expect(dead.lastClose).toMatchObject({ code: CLIENT_CLOSE_CODES.heartbeatTimeout, url: gateway.url });
    expect(dead.lastClose?.reason).toMatch(/heartbeat timeout/);
    await first.closed(); // the client dropped the dead socket

    const second = await gateway.connection(1);
    await second.expectSubscribe('book');
    expect(book.errored || book.completed).toBe(false);
  });

  it('gives up on a connection whose handshake never completes', async () => {
    const silent = await SilentTcpServer.start();
    try {
      const clock = new ManualClock();
      client = testClient([silent.url, gateway.url], { now: clock.now, timers: clock, heartbeatTimeoutMs: 500 });
      const states = new Recorder(client.connectionState$);
      await silent.waitForConnection();
      clock.advance(500);
      const dead = await untilStatus(states, 'reconnecting');
      expect(dead).toMatchObject({
        url: silent.url,
        nextUrl: gateway.url,
        lastClose: { code: CLIENT_CLOSE_CODES.heartbeatTimeout },
      });
      await gateway.connection(0);
      expect((await untilStatus(states, 'open')).url).toBe(gateway.url);
      await silent.waitForNoConnection();
    } finally {
      await silent.stop();
    }
  });

  it('with real timers: a gateway that goes silent is left for a new connection', async () => {
    client = testClient(gateway.url, { heartbeatTimeoutMs: 300 });
    const first = await gateway.connection(0);
    await first.closed();
    await gateway.connection(1);
    expect(client.connectionState.lastClose?.code).toBe(CLIENT_CLOSE_CODES.heartbeatTimeout);
  });
});
