import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TickwireApiError } from './tickwire-api-error';
import type { TickwireClient } from './tickwire-client';
import { bookScenario, playBookScenario } from './test-support/book-scenario';
import { ManualClock } from './test-support/manual-clock';
import { Recorder } from './test-support/recorder';
import { SOCKET_TEST_TIMEOUT_MS } from './test-support/wait-until';
import { ScriptedGateway, type ScriptedConnection } from './test-support/scripted-gateway';
import { testClient } from './test-support/test-client';
import { bbo, bookData, candle, instrument, level, levels, status, trade } from './test-support/wire-data';

const BTC = 'binance:BTC-USDT';
const ETH = 'binance:ETH-USDT';

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

/** A client connected to the gateway (open on both ends). */
async function connected(options: Parameters<typeof testClient>[1] = {}): Promise<ScriptedConnection> {
  client = testClient(gateway.url, options);
  await new Recorder(client.connectionState$).first('open', (s) => s.status === 'open');
  return gateway.connection(0);
}

/** Sends a ping and waits for its pong: everything sent before it was handled by the client. */
async function settled(): Promise<void> {
  await client!.ping();
}

describe('TickwireClient subscribe flow', { timeout: SOCKET_TEST_TIMEOUT_MS }, () => {
  it('offers the tickwire.v1 subprotocol and the token, and uses the connection', async () => {
    const connection = await connected({ token: 'k3y-1' });
    expect(connection.protocols).toEqual(['tickwire.v1', 'token.k3y-1']);
    const states = new Recorder(client!.connectionState$);
    const open = await states.first('open', (s) => s.status === 'open');
    expect(open).toMatchObject({ status: 'open', url: gateway.url, lastClose: null });
  });

  it('subscribes on the first observer, then emits the book from the snapshot and each update', async () => {
    const connection = await connected();
    const views = new Recorder(client!.book(BTC, { depth: 3, intervalMs: 0 }));
    const request = await connection.expectSubscribe('book');
    expect(request).toEqual({
      op: 'subscribe',
      id: request.id,
      channel: 'book',
      instrument: BTC,
      depth: 3,
      intervalMs: 0,
    });
    expect(typeof request.id).toBe('number');

    connection.snapshot(
      request,
      41,
      bookData(levels(['64000.1', '0.5'], ['64000', '2'], ['63999.99', '1']), levels(['64000.2', '1.25'])),
    );
    connection.update(
      request,
      42,
      bookData(levels(['64000.05', '3'], ['64000.1', '0']), levels(['64000.3', '0.00001234'])),
    );

    const snapshot = await views.nth(0);
    expect(snapshot).toMatchObject({ type: 'snapshot', seq: 41, instrument: BTC, depth: 3, intervalMs: 0 });
    expect(snapshot.bids).toEqual(levels(['64000.1', '0.5'], ['64000', '2'], ['63999.99', '1']));
    const update = await views.nth(1);
    expect(update).toMatchObject({ type: 'update', seq: 42 });
    expect(update.bids).toEqual(levels(['64000.05', '3'], ['64000', '2'], ['63999.99', '1']));
    expect(update.asks).toEqual(levels(['64000.2', '1.25'], ['64000.3', '0.00001234']));
    expect(snapshot.bids).toEqual(levels(['64000.1', '0.5'], ['64000', '2'], ['63999.99', '1'])); // views are immutable
    expect(client!.stats()).toMatchObject({ gaps: 0, droppedUpdates: 0 });
  });

  it('routes each message by channel key: two depths of one book, and every event channel', async () => {
    const connection = await connected();
    const deep = new Recorder(client!.book(BTC, { depth: 10 }));
    const shallow = new Recorder(client!.book(BTC, { depth: 1 }));
    const trades = new Recorder(client!.trades(BTC));
    const quotes = new Recorder(client!.bbo(ETH, { intervalMs: 50 }));
    const candles = new Recorder(client!.candles(BTC, '5m'));
    const feed = new Recorder(client!.status(ETH));
    const catalog = new Recorder(client!.instruments());
    const [deepReq, shallowReq, tradesReq, bboReq, candlesReq, statusReq, instrumentsReq] =
      await connection.expectSubscribes('book', 'book', 'trades', 'bbo', 'candles', 'status', 'instruments');
    expect(deepReq).toMatchObject({ channel: 'book', depth: 10, intervalMs: 100 });
    expect(shallowReq).toMatchObject({ channel: 'book', depth: 1, intervalMs: 100 });
    expect(tradesReq).toEqual({ op: 'subscribe', id: tradesReq.id, channel: 'trades', instrument: BTC });
    expect(bboReq).toEqual({ op: 'subscribe', id: bboReq.id, channel: 'bbo', instrument: ETH, intervalMs: 50 });
    expect(candlesReq).toEqual({
      op: 'subscribe',
      id: candlesReq.id,
      channel: 'candles',
      instrument: BTC,
      interval: '5m',
    });
    expect(statusReq).toEqual({ op: 'subscribe', id: statusReq.id, channel: 'status', instrument: ETH });
    expect(instrumentsReq).toEqual({ op: 'subscribe', id: instrumentsReq.id, channel: 'instruments' });
    expect(
      new Set([deepReq, shallowReq, tradesReq, bboReq, candlesReq, statusReq, instrumentsReq].map((r) => r.id)).size,
    ).toBe(7);

    connection.snapshot(shallowReq, 7, bookData(levels(['100', '1']), levels(['101', '1'])));
    connection.snapshot(deepReq, 3, bookData(levels(['100', '1'], ['99', '2']), levels(['101', '1'])));
    connection.snapshot(tradesReq, 0, [trade('t1', '100', '0.5')]);
    connection.update(tradesReq, 1, [trade('t2', '100.5', '1'), trade('t3', '100', '2')]);
    connection.snapshot(bboReq, 0, bbo(level('3000', '1'), level('3001', '2')));
    connection.snapshot(candlesReq, 10, [candle(0, '100')]);
    connection.update(candlesReq, 11, candle(0, '101'));
    connection.snapshot(statusReq, 5, status('live'));
    connection.update(statusReq, 6, status('resyncing', 'sequence gap'));
    connection.snapshot(instrumentsReq, 0, [instrument(BTC)]);
    connection.update(instrumentsReq, 1, [instrument(ETH)]);

    expect((await shallow.nth(0)).bids).toEqual(levels(['100', '1']));
    expect((await deep.nth(0)).bids).toEqual(levels(['100', '1'], ['99', '2']));
    const tradeMessages = [await trades.nth(0), await trades.nth(1)];
    expect(tradeMessages.map((m) => [m.type, m.seq, m.data.map((t) => t.id)])).toEqual([
      ['snapshot', 0, ['t1']],
      ['update', 1, ['t2', 't3']],
    ]);
    expect((await quotes.nth(0)).data.ask).toEqual(level('3001', '2'));
    const candleUpdate = await candles.nth(1);
    expect(candleUpdate.type === 'update' && candleUpdate.data.close).toBe('101');
    expect((await feed.nth(1)).data).toMatchObject({ state: 'resyncing', reason: 'sequence gap' });
    expect((await catalog.nth(1)).data).toEqual([instrument(ETH)]);
    expect([deep, shallow, quotes].map((r) => r.values.length)).toEqual([1, 1, 1]);
  });

  it('routes by channel and instrument alone when the gateway leaves params out', async () => {
    const connection = await connected();
    const views = new Recorder(client!.book(BTC, { depth: 5, intervalMs: 250 }));
    const request = await connection.expectSubscribe('book');
    connection.snapshot(request, 0, bookData(levels(['1', '1']), []), { withoutParams: true });
    expect((await views.nth(0)).bids).toEqual(levels(['1', '1']));
  });

  it('shows an observer that joins a running stream the current state first', async () => {
    const connection = await connected();
    const first = new Recorder(client!.status(BTC));
    const firstBook = new Recorder(client!.book(BTC));
    const firstTrades = new Recorder(client!.trades(BTC));
    const [statusReq, bookReq, tradesReq] = await connection.expectSubscribes('status', 'book', 'trades');
    connection.snapshot(statusReq, 0, status('connecting'));
    connection.update(statusReq, 1, status('live'));
    connection.snapshot(bookReq, 0, bookData(levels(['10', '1']), levels(['11', '1'])));
    connection.update(bookReq, 1, bookData([], levels(['10.5', '4'])));
    connection.snapshot(tradesReq, 0, [trade('a', '10', '1')]);
    connection.update(tradesReq, 1, [trade('b', '10', '1')]);
    await first.nth(1);
    const latestBook = await firstBook.nth(1);
    await firstTrades.nth(1);

    const late = new Recorder(client!.status(BTC));
    const lateBook = new Recorder(client!.book(BTC));
    const lateTrades = new Recorder(client!.trades(BTC));
    expect(late.values).toEqual([
      { type: 'snapshot', channel: 'status', instrument: BTC, params: {}, seq: 1, data: status('live') },
    ]);
    expect(lateBook.values).toEqual([latestBook]);
    expect(lateTrades.values.map((m) => [m.type, m.seq, m.data.map((t) => t.id)])).toEqual([
      ['snapshot', 1, ['a', 'b']],
    ]);
    // Joining a running stream sends nothing upstream: the next message is the ping.
    const ping = client!.ping();
    expect(await connection.next()).toMatchObject({ op: 'ping' });
    await ping;
  });

  it('keeps books over the wire exactly equal to an independent rebuild (fast-check scenarios)', async () => {
    const connection = await connected();
    const scenarios = fc.sample(bookScenario, { numRuns: 12, seed: 20_240_601 });
    const plays = scenarios.map((scenario, i) => {
      const views = new Recorder(client!.book(`sim:P${i}-USD`, { depth: scenario.depth, intervalMs: 0 }));
      return { views, messages: playBookScenario(scenario, 1000 * i) };
    });
    for (const play of plays) {
      const request = await connection.expectSubscribe('book');
      for (const message of play.messages)
        if (message.type === 'snapshot')
          connection.snapshot(request, message.seq, message.data, message.conflated ? { conflated: true } : {});
        else connection.update(request, message.seq, message.data);
    }
    for (const { views, messages } of plays) {
      await views.nth(messages.length - 1);
      expect(views.values.map((v) => [v.seq, v.bids, v.asks])).toEqual(
        messages.map((m) => [m.seq, m.expected.bids, m.expected.asks]),
      );
    }
    expect(client!.stats()).toMatchObject({ gaps: 0, droppedUpdates: 0 });
  });

  it('applies a conflated snapshot as a replacement and counts it', async () => {
    const connection = await connected();
    const views = new Recorder(client!.book(BTC, { depth: 2 }));
    const request = await connection.expectSubscribe('book');
    connection.snapshot(request, 0, bookData(levels(['10', '1'], ['9', '1']), levels(['11', '1'])));
    connection.snapshot(request, 57, bookData(levels(['12', '3']), levels(['13', '1'])), {
      conflated: true,
      skipped: 56,
    });
    connection.update(request, 58, bookData(levels(['11.5', '1']), []));
    const conflated = await views.nth(1);
    expect(conflated).toMatchObject({ type: 'snapshot', seq: 57, conflated: true, skipped: 56 });
    expect(conflated.bids).toEqual(levels(['12', '3']));
    expect((await views.nth(2)).bids).toEqual(levels(['12', '3'], ['11.5', '1']));
    expect(client!.stats()).toMatchObject({ conflatedSnapshots: 1, gaps: 0 });
  });
});

describe('TickwireClient reference counting', { timeout: SOCKET_TEST_TIMEOUT_MS }, () => {
  it('sends one subscribe for two observers of a channel, and the unsubscribe only when the last goes', async () => {
    const connection = await connected();
    const first = new Recorder(client!.book(BTC, { depth: 5 }));
    const second = new Recorder(client!.book(BTC, { depth: 5, intervalMs: 100 }));
    const request = await connection.expectSubscribe('book');
    connection.snapshot(request, 0, bookData(levels(['1', '1']), []));
    const [a, b] = [await first.nth(0), await second.nth(0)];
    expect(a).toBe(b); // one local book, shared

    first.unsubscribe();
    const ping = client!.ping();
    expect(await connection.next()).toMatchObject({ op: 'ping' });
    await ping;
    expect(client!.channels()).toEqual(['book binance:BTC-USDT 5 100']);

    second.unsubscribe();
    const unsubscribe = await connection.expectUnsubscribe();
    expect(unsubscribe).toEqual({
      op: 'unsubscribe',
      id: unsubscribe.id,
      channel: 'book',
      instrument: BTC,
      depth: 5,
      intervalMs: 100,
    });
    expect(client!.channels()).toEqual([]);
    expect(first.completed || first.errored || second.completed || second.errored).toBe(false);

    // Observing again subscribes again, with a new id.
    const third = new Recorder(client!.book(BTC, { depth: 5 }));
    const again = await connection.expectSubscribe('book');
    expect(again.id).not.toBe(request.id);
    connection.snapshot(again, 0, bookData(levels(['2', '1']), []));
    expect((await third.nth(0)).bids).toEqual(levels(['2', '1']));
  });
});

describe('TickwireClient errors', { timeout: SOCKET_TEST_TIMEOUT_MS }, () => {
  it('fails the observable of the refused subscription with a TickwireApiError, and only that one', async () => {
    const connection = await connected();
    const good = new Recorder(client!.trades(BTC));
    const bad = new Recorder(client!.trades('binance:NOPE-USDT'));
    const goodReq = await connection.expectSubscribe('trades');
    const badReq = await connection.expectSubscribe('trades', { ack: false });
    connection.error(badReq, 'unknown_instrument', 'no instrument binance:NOPE-USDT');
    const error = await bad.failure();
    expect(error).toBeInstanceOf(TickwireApiError);
    expect(error).toMatchObject({
      code: 'unknown_instrument',
      requestId: badReq.id,
      channelKey: 'trades binance:NOPE-USDT',
    });
    expect(client!.channels()).toEqual(['trades binance:BTC-USDT']);

    connection.snapshot(goodReq, 0, [trade('x', '1', '1')]);
    expect((await good.nth(0)).data[0]?.id).toBe('x');
    expect(good.errored).toBe(false);
    // The refused stream is not unsubscribed (the gateway holds nothing): the next message is a ping.
    const ping = client!.ping();
    expect(await connection.next()).toMatchObject({ op: 'ping' });
    await ping;
  });

  it('publishes errors that answer no request on errors$, and counts frames that are not messages', async () => {
    const connection = await connected();
    const errors = new Recorder(client!.errors$);
    connection.error(undefined, 'malformed_json', 'bad frame');
    connection.send('{"no":"type"}');
    connection.send('not json');
    await settled();
    const error = await errors.nth(0);
    expect(error).toBeInstanceOf(TickwireApiError);
    expect(error.code).toBe('malformed_json');
    expect(client!.stats().malformedMessages).toBe(2);
  });

  it('rejects invalid book parameters before sending anything', async () => {
    await connected();
    expect(() => client!.book(BTC, { depth: 0 })).toThrow(RangeError);
    expect(() => client!.book(BTC, { depth: 1001 })).toThrow(RangeError);
    expect(() => client!.book(BTC, { intervalMs: 10 })).toThrow(RangeError);
    expect(() => client!.bbo(BTC, { intervalMs: 1.5 })).toThrow(RangeError);
  });
});

describe('TickwireClient ping', { timeout: SOCKET_TEST_TIMEOUT_MS }, () => {
  it('returns the round-trip time by the client clock', async () => {
    gateway = (await gateway.stop(), await ScriptedGateway.start({ autoPong: false }));
    const clock = new ManualClock();
    const connection = await connected({ now: clock.now, timers: clock });
    const rtt = client!.ping();
    const ping = await connection.next();
    expect(ping).toEqual({ op: 'ping', id: (ping as { id: number }).id });
    clock.advance(42);
    connection.pong(ping as { op: 'ping'; id: number });
    expect(await rtt).toBe(42);
  });

  it('rejects a ping that gets no pong within the heartbeat timeout, on a live connection', async () => {
    gateway = (await gateway.stop(), await ScriptedGateway.start({ autoPong: false }));
    const clock = new ManualClock();
    const connection = await connected({ now: clock.now, timers: clock, heartbeatTimeoutMs: 1000 });
    const feed = new Recorder(client!.status(BTC));
    const request = await connection.expectSubscribe('status');
    const rtt = client!.ping();
    const outcome = rtt.then(
      () => 'resolved',
      (error: unknown) => (error instanceof Error ? error.message : 'rejected'),
    );
    await connection.next();
    clock.advance(900);
    connection.snapshot(request, 0, status('live'));
    await feed.nth(0); // a message at t = 900 keeps the connection alive
    clock.advance(100);
    expect(await outcome).toBe('no pong within 1000 ms');
    expect(client!.connectionState.status).toBe('open');
  });

  it('rejects a ping whose connection is lost before the pong', async () => {
    gateway = (await gateway.stop(), await ScriptedGateway.start({ autoPong: false }));
    const connection = await connected();
    const rtt = client!.ping();
    await connection.next();
    connection.close(1001, 'going away');
    await expect(rtt).rejects.toThrow('connection lost');
  });
});
