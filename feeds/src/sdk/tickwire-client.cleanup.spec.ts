import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { TickwireClientClosedError } from './tickwire-api-error';
import { TickwireClient } from './tickwire-client';
import { CountingTimers } from './test-support/counting-timers';
import { HalfOpenServer } from './test-support/half-open-server';
import { ManualClock } from './test-support/manual-clock';
import { Recorder } from './test-support/recorder';
import { SOCKET_TEST_TIMEOUT_MS } from './test-support/wait-until';
import { refusingUrl, ScriptedGateway } from './test-support/scripted-gateway';
import { SilentTcpServer } from './test-support/silent-tcp-server';
import { bookData, levels, trade } from './test-support/wire-data';

const BTC = 'binance:BTC-USDT';
const SOCKET_EVENTS = ['open', 'message', 'close', 'error'] as const;

let gateway: ScriptedGateway;

beforeEach(async () => {
  gateway = await ScriptedGateway.start();
});

afterEach(async () => {
  await gateway.stop();
});

/** A client on `ws` that hands out the sockets it makes and counts its timers. */
function trackedClient(
  urls: string[],
  reconnect = { baseMs: 20, maxMs: 200, random: () => 0 },
): { client: TickwireClient; sockets: WebSocket[]; timers: CountingTimers } {
  const sockets: WebSocket[] = [];
  class TrackedWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols);
      sockets.push(this);
    }
  }
  const timers = new CountingTimers();
  const client = new TickwireClient({
    urls,
    WebSocket: TrackedWebSocket,
    transport: 'websocket',
    timers,
    reconnect,
  });
  return { client, sockets, timers };
}

function listeners(socket: WebSocket): number {
  return SOCKET_EVENTS.reduce((sum, event) => sum + socket.listenerCount(event), 0);
}

describe('TickwireClient.close', { timeout: SOCKET_TEST_TIMEOUT_MS }, () => {
  it('after every observer went, unsubscribes, closes with 1000 and leaves no timer or listener', async () => {
    const { client, sockets, timers } = trackedClient([gateway.url]);
    const states = new Recorder(client.connectionState$);
    const connection = await gateway.connection(0);
    const book = new Recorder(client.book(BTC));
    const trades = new Recorder(client.trades(BTC));
    const [bookReq, tradesReq] = await connection.expectSubscribes('book', 'trades');
    connection.snapshot(bookReq, 0, bookData(levels(['1', '1']), []));
    connection.snapshot(tradesReq, 0, [trade('a', '1', '1')]);
    await book.nth(0);
    await trades.nth(0);
    expect(timers.pending).toBe(1); // the heartbeat watchdog
    expect(listeners(sockets[0]!)).toBe(4);

    book.unsubscribe();
    trades.unsubscribe();
    const unsubscribes = [await connection.expectUnsubscribe(), await connection.expectUnsubscribe()];
    expect(unsubscribes.map((u) => u.channel)).toEqual(['book', 'trades']);
    expect(client.channels()).toEqual([]);

    await client.close();
    expect(timers.pending).toBe(0);
    expect(sockets).toHaveLength(1);
    expect(sockets[0]!.readyState).toBe(WebSocket.CLOSED);
    expect(listeners(sockets[0]!)).toBe(0);
    expect(await connection.closed()).toEqual({ code: 1000, reason: 'client closed' });
    expect(states.completed).toBe(true);
    expect(states.values.at(-1)).toMatchObject({ status: 'closed', lastClose: { code: 1000 } });
    expect(connection.received.map((m) => m.op)).toEqual(['subscribe', 'subscribe', 'unsubscribe', 'unsubscribe']);
  });

  it('completes the observables still open and refuses new work', async () => {
    const { client } = trackedClient([gateway.url]);
    const connection = await gateway.connection(0);
    const book = new Recorder(client.book(BTC));
    const errors = new Recorder(client.errors$);
    await connection.expectSubscribe('book');
    await client.close();
    expect(book.completed).toBe(true);
    expect(errors.completed).toBe(true);
    const late = new Recorder(client.trades(BTC));
    expect(await late.failure()).toBeInstanceOf(TickwireClientClosedError);
    await expect(client.ping()).rejects.toBeInstanceOf(TickwireClientClosedError);
    await client.close(); // idempotent
  });

  it('stops reconnecting when closed between attempts', async () => {
    const refused = await refusingUrl();
    const { client, sockets, timers } = trackedClient([refused], { baseMs: 60_000, maxMs: 60_000, random: () => 0.5 });
    const states = new Recorder(client.connectionState$);
    await states.first('reconnecting', (s) => s.status === 'reconnecting');
    expect(timers.pending).toBe(1); // the retry, 30 s away
    await client.close();
    expect(timers.pending).toBe(0);
    expect(states.values.at(-1)?.status).toBe('closed');
    expect(sockets.map(listeners)).toEqual([0]);
  });

  it('abandons a connection attempt still in its handshake', async () => {
    const silent = await SilentTcpServer.start();
    try {
      const { client, sockets, timers } = trackedClient([silent.url]);
      await silent.waitForConnection();
      expect(client.connectionState.status).toBe('connecting');
      await client.close();
      expect(timers.pending).toBe(0);
      expect(sockets.map(listeners)).toEqual([0]);
      await silent.waitForNoConnection();
    } finally {
      await silent.stop();
    }
  });

  it('does not wait for a close frame from a peer that never answers it longer than the heartbeat timeout', async () => {
    const halfOpen = await HalfOpenServer.start();
    try {
      const clock = new ManualClock();
      const client = new TickwireClient({
        urls: [halfOpen.url],
        WebSocket,
        transport: 'websocket',
        now: clock.now,
        timers: clock,
        heartbeatTimeoutMs: 700,
      });
      await new Recorder(client.connectionState$).first('open', (s) => s.status === 'open');
      let closed = false;
      const closing = client.close().then(() => (closed = true));
      clock.advance(699);
      await Promise.resolve();
      expect(closed).toBe(false);
      clock.advance(1);
      await closing;
      expect(client.connectionState).toMatchObject({
        status: 'closed',
        lastClose: { code: 1000, reason: 'client closed' },
      });
      expect(clock.pending).toBe(0);
      await halfOpen.waitForNoConnection();
    } finally {
      await halfOpen.stop();
    }
  });
});
