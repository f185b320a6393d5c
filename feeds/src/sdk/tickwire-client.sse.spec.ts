import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { CLOSE_CODES } from '../api/protocol';
import { CLIENT_CLOSE_CODES, type ConnectionState } from './connection-state';
import { TickwireClient } from './tickwire-client';
import { CountingTimers } from './test-support/counting-timers';
import { ManualClock } from './test-support/manual-clock';
import { Recorder } from './test-support/recorder';
import { ScriptedSseServer } from './test-support/scripted-sse-server';
import { testClient } from './test-support/test-client';
import { TrackingFetch } from './test-support/tracking-fetch';
import { SOCKET_TEST_TIMEOUT_MS } from './test-support/wait-until';
import { bookData, levels, trade } from './test-support/wire-data';

/* The client over Server-Sent Events only (transport 'sse'), against a scripted SSE gateway over real HTTP. */

const BTC = 'binance:BTC-USDT';

let server: ScriptedSseServer;
let tracking: TrackingFetch;
let client: TickwireClient | undefined;

beforeEach(async () => {
  server = await ScriptedSseServer.start();
  tracking = new TrackingFetch();
});

afterEach(async () => {
  await client?.close();
  client = undefined;
  await server.stop();
  vi.unstubAllGlobals();
});

function sseClient(options: Parameters<typeof testClient>[1] = {}): TickwireClient {
  client = testClient(server.url, { transport: 'sse', fetch: tracking.fetch, ...options });
  return client;
}

function untilStatus(
  states: Recorder<ConnectionState>,
  status: ConnectionState['status'],
  from = 0,
): Promise<ConnectionState> {
  return states.first(status, (s) => s.status === status, from);
}

describe('TickwireClient over SSE', { timeout: SOCKET_TEST_TIMEOUT_MS }, () => {
  it('opens the stream with the token, subscribes by POST and keeps the local book from snapshot and updates', async () => {
    const sdk = sseClient({ token: 'k3y-1' });
    const states = new Recorder(sdk.connectionState$);
    expect(sdk.connectionState).toMatchObject({ status: 'connecting', transport: 'sse' });
    const open = await untilStatus(states, 'open');
    expect(open).toEqual({ status: 'open', url: server.url, transport: 'sse', failedAttempts: 0, lastClose: null });
    const stream = await server.stream(0);
    expect(stream.token).toBe('k3y-1');
    expect(stream.query.get('subscribe')).toBe('[]');

    const views = new Recorder(sdk.book(BTC, { depth: 3, intervalMs: 0 }));
    const request = await stream.connection.expectSubscribe('book');
    expect(request).toEqual({
      op: 'subscribe',
      id: request.id,
      channel: 'book',
      instrument: BTC,
      depth: 3,
      intervalMs: 0,
    });
    expect(tracking.of('POST').map((call) => JSON.parse(call.body ?? '') as unknown)).toEqual([request]);

    stream.connection.snapshot(
      request,
      41,
      bookData(levels(['64000.1', '0.5'], ['64000', '2']), levels(['64000.2', '1'])),
    );
    stream.connection.update(
      request,
      42,
      bookData(levels(['64000.05', '3'], ['64000.1', '0']), levels(['64000.3', '2'])),
    );
    stream.connection.heartbeat();
    const snapshot = await views.nth(0);
    expect(snapshot).toMatchObject({ type: 'snapshot', seq: 41 });
    expect(snapshot.bids).toEqual(levels(['64000.1', '0.5'], ['64000', '2']));
    const update = await views.nth(1);
    expect(update).toMatchObject({ type: 'update', seq: 42 });
    expect(update.bids).toEqual(levels(['64000.05', '3'], ['64000', '2']));
    expect(update.asks).toEqual(levels(['64000.2', '1'], ['64000.3', '2']));

    expect(await sdk.ping()).toBeGreaterThanOrEqual(0);
    expect(sdk.stats()).toMatchObject({ gaps: 0, reconnects: 0, malformedMessages: 0 });
    expect(sdk.stats().messages).toBeGreaterThanOrEqual(5); // ack, snapshot, update, heartbeat, pong
  });

  it('on a gap, posts unsubscribe + subscribe and carries on from the fresh snapshot', async () => {
    const sdk = sseClient();
    const connection = await server.connection(0);
    const views = new Recorder(sdk.book(BTC, { depth: 5 }));
    const request = await connection.expectSubscribe('book');
    connection.snapshot(request, 5, bookData(levels(['100', '1']), levels(['101', '1'])));
    connection.update(request, 7, bookData(levels(['99', '1']), [])); // seq 6 is missing
    const unsubscribe = await connection.expectUnsubscribe();
    expect(unsubscribe).toMatchObject({ op: 'unsubscribe', channel: 'book', instrument: BTC });
    const again = await connection.expectSubscribe('book');
    connection.snapshot(again, 30, bookData(levels(['100', '3']), []));
    connection.update(again, 31, bookData(levels(['99', '2']), []));
    const seen = [await views.nth(0), await views.nth(1), await views.nth(2)];
    expect(seen.map((v) => [v.type, v.seq])).toEqual([
      ['snapshot', 5],
      ['snapshot', 30],
      ['update', 31],
    ]);
    expect(seen[2]!.bids).toEqual(levels(['100', '3'], ['99', '2']));
    expect(sdk.stats()).toMatchObject({ gaps: 1, resnapshots: 1 });
  });

  it("reconnects after the gateway's close event and subscribes again to everything observed", async () => {
    const sdk = sseClient();
    const states = new Recorder(sdk.connectionState$);
    const first = await server.connection(0);
    const book = new Recorder(sdk.book(BTC, { depth: 2 }));
    const trades = new Recorder(sdk.trades(BTC));
    const before = await first.expectSubscribes('book', 'trades');
    first.snapshot(before[0], 10, bookData(levels(['1', '1']), []));
    await book.nth(0);

    first.close(CLOSE_CODES.goingAway, 'gateway shutting down');
    const reconnecting = await untilStatus(states, 'reconnecting');
    expect(reconnecting).toMatchObject({
      transport: 'sse',
      nextTransport: 'sse',
      nextUrl: server.url,
      lastClose: { code: CLOSE_CODES.goingAway, reason: 'gateway shutting down', url: server.url },
    });
    const second = await server.connection(1);
    const after = await second.expectSubscribes('book', 'trades');
    const channelOf = (request: { readonly id?: number }): unknown => ({ ...request, id: undefined });
    expect(after.map(channelOf)).toEqual(before.map(channelOf));
    second.snapshot(after[0], 99, bookData(levels(['2', '1']), []));
    second.snapshot(after[1], 3, [trade('t', '2', '1')]);
    expect((await book.nth(1)).bids).toEqual(levels(['2', '1']));
    expect((await trades.nth(0)).data.map((t) => t.id)).toEqual(['t']);
    expect(await untilStatus(states, 'open', states.values.indexOf(reconnecting))).toMatchObject({ transport: 'sse' });
    expect(sdk.stats().reconnects).toBe(1);
    expect(server.streams[0]!.open).toBe(false);
  });

  it('reconnects when the gateway refuses a POST for the message rate (429, session closed with 4008)', async () => {
    const sdk = sseClient();
    const states = new Recorder(sdk.connectionState$);
    const first = await server.stream(0);
    await untilStatus(states, 'open');
    first.failPostsWith = 429;
    const feed = new Recorder(sdk.trades(BTC));
    const reconnecting = await untilStatus(states, 'reconnecting');
    expect(reconnecting.lastClose?.code).toBe(CLOSE_CODES.rateLimited);
    const second = await server.connection(1);
    await second.expectSubscribe('trades');
    expect(feed.errored).toBe(false);
  });

  it('declares a silent stream dead after heartbeatTimeoutMs and opens a new one', async () => {
    const clock = new ManualClock();
    const sdk = sseClient({ now: clock.now, timers: clock, heartbeatTimeoutMs: 1000 });
    const states = new Recorder(sdk.connectionState$);
    const first = await server.stream(0);
    await untilStatus(states, 'open');
    first.connection.heartbeat();
    await sdk.ping();
    clock.advance(999);
    expect(sdk.connectionState.status).toBe('open');
    clock.advance(1);
    const dead = await untilStatus(states, 'reconnecting');
    expect(dead.lastClose).toMatchObject({ code: CLIENT_CLOSE_CODES.heartbeatTimeout });
    await first.connection.closed(); // the client aborted the dead stream
    clock.advance(dead.retryInMs ?? 0);
    await server.stream(1);
  });

  it('close() completes, stops every timer and leaves no request, stream or POST in flight', async () => {
    const timers = new CountingTimers();
    const sdk = sseClient({ timers });
    const states = new Recorder(sdk.connectionState$);
    const stream = await server.stream(0);
    await untilStatus(states, 'open');
    const book = new Recorder(sdk.book(BTC));
    const request = await stream.connection.expectSubscribe('book');
    stream.connection.snapshot(request, 0, bookData(levels(['1', '1']), []));
    await book.nth(0);
    expect(timers.pending).toBe(1); // the heartbeat watchdog
    stream.holdPosts = true;
    const trades = new Recorder(sdk.trades(BTC)); // its subscribe stays held by the gateway
    await server.heldPost(stream);

    await sdk.close();
    expect(book.completed && trades.completed && states.completed).toBe(true);
    expect(states.values.at(-1)).toMatchObject({
      status: 'closed',
      transport: 'sse',
      lastClose: { code: 1000, reason: 'client closed' },
    });
    expect(timers.pending).toBe(0);
    expect(tracking.pending).toBe(0);
    await server.idle();
  });

  it('close() while the stream request is still unanswered', async () => {
    server.holdStreams = true;
    const timers = new CountingTimers();
    const sdk = sseClient({ timers });
    await server.streamRequest(1);
    expect(sdk.connectionState.status).toBe('connecting');
    await sdk.close();
    expect(timers.pending).toBe(0);
    expect(tracking.pending).toBe(0);
    await server.idle();
  });
});

describe('transport options', () => {
  it('needs no WebSocket for SSE; needs a fetch for it', async () => {
    vi.stubGlobal('WebSocket', undefined);
    const sdk = new TickwireClient({ urls: [server.url], transport: 'sse', fetch: tracking.fetch });
    expect(sdk.connectionState.transport).toBe('sse');
    await sdk.close();
    // 'auto' without a WebSocket: SSE from the start.
    const auto = new TickwireClient({ urls: [server.url], fetch: tracking.fetch });
    expect(auto.connectionState.transport).toBe('sse');
    await auto.close();
    expect(() => new TickwireClient({ urls: [server.url], transport: 'websocket' })).toThrow(/no global WebSocket/);

    vi.stubGlobal('fetch', undefined);
    expect(() => new TickwireClient({ urls: [server.url], transport: 'sse' })).toThrow(/no global fetch/);
    expect(() => new TickwireClient({ urls: [server.url] })).toThrow(TypeError);
    // 'auto' with a WebSocket and no fetch: WebSocket without a fallback.
    const wsOnly = new TickwireClient({ urls: [server.url], WebSocket });
    expect(wsOnly.connectionState.transport).toBe('websocket');
    await wsOnly.close();
  });

  it('checks the fallback settings', () => {
    const options = { urls: [server.url], WebSocket, fetch: tracking.fetch };
    expect(() => new TickwireClient({ ...options, fallbackTimeoutMs: 0 })).toThrow(RangeError);
    expect(() => new TickwireClient({ ...options, websocketRetryMs: -1 })).toThrow(RangeError);
    expect(() => new TickwireClient({ ...options, transport: 'long-polling' as 'sse' })).toThrow(TypeError);
  });
});
