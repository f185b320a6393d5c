import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import ClientSocket, { WebSocketServer, type WebSocket } from 'ws';
import type { FeedStatusEvent, MarketEvent, TradeEvent } from '../model/events';
import { TimerTracker } from './test-support/timer-tracker';
import { toyAdapter, until } from './test-support/toy-venue';
import { UpstreamConnection } from './upstream-connection';

describe('UpstreamConnection over a real loopback WebSocket', () => {
  let server: Server;
  let venue: WebSocketServer;
  let url: string;
  const sockets: WebSocket[] = [];
  const received: string[] = [];

  beforeEach(async () => {
    sockets.length = 0;
    received.length = 0;
    server = createServer();
    venue = new WebSocketServer({ server });
    venue.on('connection', (socket) => {
      sockets.push(socket);
      socket.on('message', (data: Buffer) => received.push(`${sockets.indexOf(socket)}:${data.toString('utf8')}`));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  afterEach(async () => {
    for (const socket of venue.clients) socket.terminate();
    venue.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('subscribes, delivers events, reconnects after a drop with a fresh session, and resubscribes', async () => {
    const events: MarketEvent[] = [];
    const upstream = new UpstreamConnection({
      adapter: toyAdapter(url, 10_000),
      subscriptions: [{ symbol: 'BTC-USD', channel: 'trades' }],
      onEvent: (event) => events.push(event),
      reconnectBaseMs: 20,
      reconnectMaxMs: 50,
    });
    upstream.start();
    await until(() => received.includes('0:sub BTC-USD'));
    sockets[0]!.send('trade BTC-USD 1');
    await until(() => events.some((e) => e.type === 'trade'));
    sockets[0]!.terminate(); // no close frame: 1006
    await until(() => received.includes('1:sub BTC-USD'));
    sockets[1]!.send('trade BTC-USD 2');
    await until(() => events.filter((e) => e.type === 'trade').length === 2);
    const states = events.filter((e): e is FeedStatusEvent => e.type === 'status').map((e) => e.state);
    expect(states).toEqual(['connecting', 'live', 'disconnected', 'connecting', 'connecting', 'live']);
    expect(upstream.stats).toMatchObject({ connectionsOpened: 2, reconnects: 1 });
    await upstream.stop();
  });

  it('declares a silent upstream dead within 3 heartbeat intervals of its last frame (not before, not much after)', async () => {
    const INTERVAL_MS = 100;
    const events: MarketEvent[] = [];
    const seenAt: number[] = [];
    let staleAt: number | undefined;
    const upstream = new UpstreamConnection({
      adapter: toyAdapter(url, INTERVAL_MS),
      subscriptions: [{ symbol: 'BTC-USD', channel: 'trades' }],
      onEvent: (event) => {
        events.push(event);
        if (event.type === 'trade') seenAt.push(Date.now());
        if (event.type === 'status' && event.state === 'stale') staleAt ??= Date.now();
      },
      reconnectBaseMs: 10,
      reconnectMaxMs: 20,
    });
    upstream.start();
    await until(() => received.includes('0:sub BTC-USD'));
    // Healthy for a while (frames well inside the interval), then silent with the socket open.
    for (let i = 1; i <= 5; i++) {
      sockets[0]!.send(`trade BTC-USD ${i}`);
      await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS / 2));
    }
    await until(() => staleAt !== undefined, 5000);
    const lastFrameAt = seenAt.at(-1)!;
    expect(seenAt).toHaveLength(5);
    expect(upstream.stats.deadDeclared).toBe(1);
    const silentFor = staleAt! - lastFrameAt;
    expect(silentFor).toBeGreaterThanOrEqual(3 * INTERVAL_MS - 10);
    expect(silentFor).toBeLessThanOrEqual(3 * INTERVAL_MS + 1000);
    const stale = events.find((e) => e.type === 'status' && e.state === 'stale');
    expect(stale?.type === 'status' && stale.reason).toMatch(/nothing received for \d+ ms/);
    await until(() => sockets.length === 2); // dropped, then reconnected
    await upstream.stop();
  });

  it('sends the venue text ping when it has been quiet, and keeps the link alive on answers', async () => {
    const upstream = new UpstreamConnection({
      adapter: toyAdapter(url, 100, 'ping'),
      subscriptions: [],
      onEvent: () => undefined,
    });
    venue.on('connection', (socket) => {
      socket.on('message', (data: Buffer) => {
        if (data.toString('utf8') === 'ping') socket.send('pong');
      });
    });
    upstream.start();
    await until(() => received.filter((r) => r === '0:ping').length >= 3);
    expect(upstream.stats.deadDeclared).toBe(0);
    expect(upstream.stats.outcomes.ignored['pong']).toBeGreaterThanOrEqual(2);
    await upstream.stop();
  });

  it('replaces the connection on a shutdown notice: the new one is up before the old closes, no duplicate trade', async () => {
    const events: MarketEvent[] = [];
    const upstream = new UpstreamConnection({
      adapter: toyAdapter(url, 10_000),
      subscriptions: [{ symbol: 'ETH-USD', channel: 'trades' }],
      onEvent: (event) => events.push(event),
    });
    upstream.start();
    await until(() => received.includes('0:sub ETH-USD'));
    sockets[0]!.send('shutdown');
    await until(() => received.includes('1:sub ETH-USD'));
    // Both links deliver trade 7; the consumer sees it once. Trade 8 comes on the new link only.
    sockets[0]!.send('trade ETH-USD 7');
    await until(() => events.some((e) => e.type === 'trade'));
    sockets[1]!.send('trade ETH-USD 7');
    sockets[1]!.send('trade ETH-USD 8');
    await until(() => sockets[0]!.readyState === sockets[0]!.CLOSED);
    await until(() => events.filter((e) => e.type === 'trade').length >= 2);
    expect(events.filter((e): e is TradeEvent => e.type === 'trade').map((e) => e.tradeId)).toEqual(['7', '8']);
    expect(upstream.stats).toMatchObject({ replacements: 1, reconnects: 0 });
    expect(events.some((e) => e.type === 'status' && e.state === 'disconnected')).toBe(false);
    await upstream.stop();
  });

  it('keeps the upstream subscription set equal to what is wanted after churn', async () => {
    const upstream = new UpstreamConnection({
      adapter: toyAdapter(url, 10_000),
      subscriptions: [{ symbol: 'A-USD', channel: 'trades' }],
      onEvent: () => undefined,
    });
    upstream.start();
    await until(() => received.length === 1);
    upstream.subscribe([
      { symbol: 'B-USD', channel: 'trades' },
      { symbol: 'C-USD', channel: 'trades' },
    ]);
    upstream.unsubscribe([{ symbol: 'A-USD', channel: 'trades' }]);
    upstream.subscribe([{ symbol: 'B-USD', channel: 'trades' }]); // already wanted: no message
    upstream.unsubscribe([{ symbol: 'Z-USD', channel: 'trades' }]); // never wanted: no message
    await until(() => received.length === 3);
    expect(received).toEqual(['0:sub A-USD', '0:sub A-USD,B-USD,C-USD', '0:sub B-USD,C-USD']);
    expect(upstream.subscriptions.map((s) => s.symbol)).toEqual(['B-USD', 'C-USD']);
    await upstream.stop();
  });

  it('releases every timer, socket and listener on stop: none left', async () => {
    const opened: ClientSocket[] = [];
    const upstream = new UpstreamConnection({
      // Client pings, a rate-limited outbox, a lifetime renewal, a pending REST request: every timer kind.
      adapter: toyAdapter(url, 50, 'ping', {
        maxMessagesPerSecond: 1,
        snapshotUrl: 'http://venue/snapshot',
        lifetimeMs: 60_000,
      }),
      subscriptions: [{ symbol: 'A-USD', channel: 'trades' }],
      onEvent: () => undefined,
      fetchText: () => new Promise(() => undefined),
      requestSpacingMs: 60_000,
      lifetimeMarginMs: 1000,
      openSocket: (target, options) => {
        const socket = new ClientSocket(target, options);
        opened.push(socket);
        return socket;
      },
    });
    const timers = new TimerTracker();
    try {
      upstream.start();
      await until(() => upstream.isOpen);
      upstream.subscribe([{ symbol: 'B-USD', channel: 'trades' }]); // waits in the outbox (1 message/s)
      sockets[0]!.send('trade A-USD 1');
      await until(() => received.some((r) => r === '0:ping'));
      expect(timers.active).toBeGreaterThanOrEqual(5); // dead check, ping, healthy, renewal, outbox
      await upstream.stop();
      await until(() => sockets[0]!.readyState === sockets[0]!.CLOSED);
      expect(timers.active).toBe(0);
    } finally {
      timers.restore();
    }
    expect(opened).toHaveLength(1);
    for (const socket of opened) {
      expect(socket.readyState).toBe(ClientSocket.CLOSED);
      expect(socket.eventNames()).toEqual([]);
    }
    const countAfterStop = received.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received.length).toBe(countAfterStop); // no ping, no queued message after stop
    expect(sockets).toHaveLength(1); // no reconnect after stop
  });

  it('delivers a REST answer to the session that is current after a reconnect, not the closed one', async () => {
    const answers: string[] = [];
    let release: (() => void) | undefined;
    let fetches = 0;
    const upstream = new UpstreamConnection({
      adapter: toyAdapter(url, 10_000, undefined, { snapshotUrl: 'http://venue/snapshot', answers }),
      subscriptions: [],
      onEvent: () => undefined,
      reconnectBaseMs: 10,
      reconnectMaxMs: 20,
      fetchText: () => {
        fetches++;
        return new Promise((resolve) => {
          release = () => {
            resolve({ status: 200, body: 'book' });
          };
        });
      },
    });
    upstream.start();
    await until(() => release !== undefined);
    sockets[0]!.terminate(); // session 1 is gone while its request is in flight
    await until(() => sockets.length === 2 && upstream.isOpen);
    release!();
    await until(() => answers.length > 0);
    expect(answers).toEqual(['session 2: 200 book']);
    expect(fetches).toBe(1);
    await upstream.stop();
  });

  it('gives up on a venue that accepts TCP but never finishes the WebSocket handshake', async () => {
    const { createServer: createTcpServer } = await import('node:net');
    const silent = createTcpServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    const events: MarketEvent[] = [];
    const upstream = new UpstreamConnection({
      adapter: toyAdapter(`ws://127.0.0.1:${port}/`, 50),
      subscriptions: [],
      onEvent: (event) => events.push(event),
      reconnectBaseMs: 10,
      reconnectMaxMs: 20,
    });
    upstream.start();
    await until(() => upstream.stats.reconnects >= 2);
    expect(events.some((e) => e.type === 'status' && e.state === 'disconnected')).toBe(true);
    await upstream.stop();
    silent.close();
  });

  it("keeps to the venue's client message rate: a burst waits in order instead of getting the link cut", async () => {
    const upstream = new UpstreamConnection({
      adapter: toyAdapter(url, 10_000, undefined, { maxMessagesPerSecond: 4 }),
      subscriptions: [],
      onEvent: () => undefined,
    });
    const arrivals: number[] = [];
    venue.on('connection', (socket) => {
      socket.on('message', () => arrivals.push(Date.now()));
    });
    upstream.start();
    await until(() => upstream.isOpen && received.length === 1);
    for (let i = 0; i < 7; i++) upstream.subscribe([{ symbol: `S${i}-USD`, channel: 'trades' }]);
    await until(() => received.length === 8, 10_000);
    // 1 open message + 7 subscriptions at 4 per second: the 5th..8th go out a second later.
    expect(arrivals[4]! - arrivals[0]!).toBeGreaterThanOrEqual(900);
    expect(received.at(-1)).toBe('0:sub S0-USD,S1-USD,S2-USD,S3-USD,S4-USD,S5-USD,S6-USD');
    await upstream.stop();
  });

  it("replaces the connection before the venue's maximum lifetime, with no disconnect seen", async () => {
    const events: MarketEvent[] = [];
    const upstream = new UpstreamConnection({
      adapter: toyAdapter(url, 10_000, undefined, { lifetimeMs: 400 }),
      subscriptions: [{ symbol: 'BTC-USD', channel: 'trades' }],
      onEvent: (event) => events.push(event),
      lifetimeMarginMs: 200,
    });
    upstream.start();
    await until(() => received.includes('1:sub BTC-USD'));
    sockets[1]!.send('trade BTC-USD 1'); // the replacement carries data: it takes over
    await until(() => sockets[0]!.readyState === sockets[0]!.CLOSED);
    expect(upstream.stats).toMatchObject({ replacements: 1, reconnects: 0 });
    expect(events.some((e) => e.type === 'status' && e.state === 'disconnected')).toBe(false);
    expect(events.filter((e) => e.type === 'trade')).toHaveLength(1);
    await upstream.stop();
  });
});
