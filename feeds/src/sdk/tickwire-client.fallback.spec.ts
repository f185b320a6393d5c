import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CLOSE_CODES } from '../api/protocol';
import { CLIENT_CLOSE_CODES, type ConnectionState } from './connection-state';
import { TickwireClient } from './tickwire-client';
import type { TickwireClientOptions } from './tickwire-client-options';
import { CountingTimers } from './test-support/counting-timers';
import { ManualClock } from './test-support/manual-clock';
import { Recorder } from './test-support/recorder';
import { refusingUrl, ScriptedGateway } from './test-support/scripted-gateway';
import { ScriptedSseServer, type UpgradeAnswer } from './test-support/scripted-sse-server';
import { TrackingFetch } from './test-support/tracking-fetch';
import { SOCKET_TEST_TIMEOUT_MS } from './test-support/wait-until';
import { bookData, levels } from './test-support/wire-data';

/* Transport 'auto' (the default): WebSocket first, Server-Sent Events when WebSockets do not get through. */

const BTC = 'binance:BTC-USDT';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function sseServer(upgrade: UpgradeAnswer): Promise<ScriptedSseServer> {
  const server = await ScriptedSseServer.start({ upgrade });
  cleanup.push(() => server.stop());
  return server;
}

/** A client with the default transport ('auto'), `ws` and a tracked fetch. */
function autoClient(
  url: string,
  options: Partial<TickwireClientOptions> = {},
): { client: TickwireClient; states: Recorder<ConnectionState>; tracking: TrackingFetch } {
  const tracking = new TrackingFetch();
  const client = new TickwireClient({
    urls: [url],
    WebSocket,
    fetch: tracking.fetch,
    reconnect: { baseMs: 20, maxMs: 200, random: () => 0 },
    ...options,
  });
  cleanup.push(() => client.close());
  return { client, states: new Recorder(client.connectionState$), tracking };
}

/** [status, transport] of each state from `from` on. */
function path(states: Recorder<ConnectionState>, from = 0): [string, string][] {
  return states.values.slice(from).map((s) => [s.status, s.transport]);
}

function untilOpen(
  states: Recorder<ConnectionState>,
  transport: 'websocket' | 'sse',
  from = 0,
): Promise<ConnectionState> {
  return states.first(`open over ${transport}`, (s) => s.status === 'open' && s.transport === transport, from);
}

describe("transport 'auto'", { timeout: SOCKET_TEST_TIMEOUT_MS }, () => {
  it.each([403, 426])(
    'falls back to SSE when the WebSocket upgrade is refused (HTTP %i), and stays there',
    async (status) => {
      const server = await sseServer(status);
      const { client, states } = autoClient(server.url);
      const book = new Recorder(client.book(BTC, { depth: 2 }));
      const open = await untilOpen(states, 'sse');
      expect(path(states)).toEqual([
        ['connecting', 'websocket'],
        ['reconnecting', 'websocket'],
        ['connecting', 'sse'],
        ['open', 'sse'],
      ]);
      expect(states.values[1]).toMatchObject({
        nextUrl: server.url,
        nextTransport: 'sse',
        retryInMs: 0,
        lastClose: { code: 1006, url: server.url },
      });
      expect(open.url).toBe(server.url);
      expect(client.connectionState.transport).toBe('sse');

      const first = await server.connection(0);
      const request = await first.expectSubscribe('book');
      first.snapshot(request, 1, bookData(levels(['10', '1']), []));
      expect((await book.nth(0)).bids).toEqual(levels(['10', '1']));

      // A reconnect stays on SSE: no second WebSocket attempt.
      const mark = states.values.length;
      first.close(CLOSE_CODES.goingAway, 'restarting');
      const second = await server.connection(1);
      await second.expectSubscribe('book');
      await untilOpen(states, 'sse', mark);
      expect(path(states, mark)).toEqual([
        ['reconnecting', 'sse'],
        ['connecting', 'sse'],
        ['open', 'sse'],
      ]);
      expect(states.values[mark]).toMatchObject({ nextTransport: 'sse', lastClose: { code: CLOSE_CODES.goingAway } });
      expect(server.upgrades).toBe(1);
    },
  );

  it('falls back when the WebSocket opens but no frame arrives within fallbackTimeoutMs', async () => {
    const server = await sseServer('half-open');
    const clock = new ManualClock();
    const { client, states } = autoClient(server.url, { now: clock.now, timers: clock });
    const book = new Recorder(client.book(BTC));
    await untilOpen(states, 'websocket');
    clock.advance(3999);
    expect(client.connectionState).toMatchObject({ status: 'open', transport: 'websocket' });
    clock.advance(1);
    const reconnecting = await states.first('reconnecting', (s) => s.status === 'reconnecting');
    expect(reconnecting).toMatchObject({
      transport: 'websocket',
      nextTransport: 'sse',
      retryInMs: 0,
      lastClose: { code: CLIENT_CLOSE_CODES.fallbackTimeout },
    });
    expect(reconnecting.lastClose?.reason).toMatch(/no frame within 4000 ms/);
    await untilOpen(states, 'sse');
    await server.noUpgradeConnection(); // the silent WebSocket was dropped
    // The book observed all along is subscribed again, over SSE.
    const connection = await server.connection(0);
    const request = await connection.expectSubscribe('book');
    connection.snapshot(request, 0, bookData(levels(['1', '1']), []));
    await book.nth(0);
    expect(client.stats().reconnects).toBe(1);
  });

  it('falls back when the WebSocket handshake never completes (after heartbeatTimeoutMs)', async () => {
    const server = await sseServer('silent');
    const clock = new ManualClock();
    const { client, states } = autoClient(server.url, { now: clock.now, timers: clock, heartbeatTimeoutMs: 500 });
    await server.upgrade(1);
    clock.advance(500);
    await untilOpen(states, 'sse');
    expect(path(states)).toEqual([
      ['connecting', 'websocket'],
      ['reconnecting', 'websocket'],
      ['connecting', 'sse'],
      ['open', 'sse'],
    ]);
    expect(states.values[1]?.lastClose?.code).toBe(CLIENT_CLOSE_CODES.heartbeatTimeout);
    expect(client.connectionState.transport).toBe('sse');
    await server.noUpgradeConnection();
  });

  it('stays on a healthy WebSocket: pings right after opening and the pong stops the fallback timer', async () => {
    const gateway = await ScriptedGateway.start();
    cleanup.push(() => gateway.stop());
    const clock = new ManualClock();
    const { client, states, tracking } = autoClient(gateway.url, {
      now: clock.now,
      timers: clock,
      heartbeatTimeoutMs: 60_000,
    });
    const connection = await gateway.connection(0);
    await untilOpen(states, 'websocket');
    const trades = new Recorder(client.trades(BTC));
    expect(await connection.next()).toEqual({ op: 'ping' }); // answered (autoPong)
    await connection.expectSubscribe('trades');
    await client.ping(); // after the first pong
    clock.advance(10_000);
    expect(client.connectionState).toMatchObject({ status: 'open', transport: 'websocket' });
    expect(gateway.connections).toHaveLength(1);
    expect(clock.pending).toBe(1); // the watchdog only
    expect(tracking.calls).toEqual([]);
    expect(trades.errored).toBe(false);
  });

  it('goes back to WebSocket (after the backoff) when SSE fails too: the gateway is just unreachable', async () => {
    const url = await refusingUrl();
    const clock = new ManualClock();
    const { states, tracking } = autoClient(url, {
      now: clock.now,
      timers: clock,
      reconnect: { baseMs: 1000, maxMs: 1000, random: () => 0.5 },
    });
    const sseFailed = await states.first('SSE failure', (s) => s.status === 'reconnecting' && s.transport === 'sse');
    expect(path(states)).toEqual([
      ['connecting', 'websocket'],
      ['reconnecting', 'websocket'],
      ['connecting', 'sse'],
      ['reconnecting', 'sse'],
    ]);
    expect(sseFailed).toMatchObject({ nextTransport: 'websocket', retryInMs: 500, failedAttempts: 2 });
    expect(sseFailed.lastClose?.reason).toMatch(/ECONNREFUSED/);
    expect(tracking.of('GET')).toHaveLength(1);
    clock.advance(500);
    await states.first('WebSocket again', (s) => s.status === 'reconnecting', states.values.indexOf(sseFailed) + 1);
    expect(path(states, 4).slice(0, 2)).toEqual([
      ['connecting', 'websocket'],
      ['reconnecting', 'websocket'],
    ]);
  });

  it('tries WebSocket again on the first reconnect websocketRetryMs after falling back', async () => {
    const server = await sseServer(403);
    const clock = new ManualClock();
    const { states } = autoClient(server.url, {
      now: clock.now,
      timers: clock,
      heartbeatTimeoutMs: 1e9,
      websocketRetryMs: 60_000,
      reconnect: { baseMs: 100, maxMs: 100, random: () => 0 },
    });
    await untilOpen(states, 'sse');
    clock.advance(59_999);
    (await server.connection(0)).close(CLOSE_CODES.goingAway);
    const early = await states.first('reconnect #1', (s) => s.status === 'reconnecting' && s.transport === 'sse');
    expect(early.nextTransport).toBe('sse');
    clock.advance(0);
    await untilOpen(states, 'sse', states.values.indexOf(early));
    expect(server.streams).toHaveLength(2);
    expect(server.upgrades).toBe(1);

    clock.advance(1);
    const mark = states.values.length;
    (await server.connection(1)).close(CLOSE_CODES.goingAway);
    const late = await states.first('reconnect #2', (s) => s.status === 'reconnecting', mark);
    expect(late.nextTransport).toBe('websocket');
    clock.advance(0);
    await server.upgrade(2); // refused again: back on SSE at once
    await untilOpen(states, 'sse', mark);
    expect(path(states, mark)).toEqual([
      ['reconnecting', 'sse'],
      ['connecting', 'websocket'],
      ['reconnecting', 'websocket'],
      ['connecting', 'sse'],
      ['open', 'sse'],
    ]);
  });

  it('close() after falling back leaves no timer, request, stream or WebSocket connection', async () => {
    const server = await sseServer(426);
    const timers = new CountingTimers();
    const { client, states, tracking } = autoClient(server.url, { timers });
    await untilOpen(states, 'sse');
    await client.close();
    expect(timers.pending).toBe(0);
    expect(tracking.pending).toBe(0);
    expect(states.values.at(-1)).toMatchObject({ status: 'closed', transport: 'sse', lastClose: { code: 1000 } });
    await server.idle();
    await server.noUpgradeConnection();
  });

  it('close() while a silent WebSocket waits for its fallback timeout stops that timer too', async () => {
    const server = await sseServer('half-open');
    const clock = new ManualClock();
    const { client, states, tracking } = autoClient(server.url, {
      now: clock.now,
      timers: clock,
      heartbeatTimeoutMs: 700,
      fallbackTimeoutMs: 500,
    });
    await untilOpen(states, 'websocket');
    expect(clock.pending).toBe(2); // the watchdog and the fallback timeout
    const closing = client.close();
    expect(clock.pending).toBe(1); // only the guard on the close frame the peer never answers
    clock.advance(700);
    await closing;
    expect(clock.pending).toBe(0);
    expect(tracking.calls).toEqual([]);
    expect(client.connectionState).toMatchObject({ status: 'closed', transport: 'websocket' });
    await server.noUpgradeConnection();
  });
});
