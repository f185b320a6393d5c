import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SseCloseEvent, SseSocket, sseUrls } from './sse-socket';
import { refusingUrl } from './test-support/scripted-gateway';
import { ScriptedSseServer } from './test-support/scripted-sse-server';
import { TrackingFetch } from './test-support/tracking-fetch';
import { SOCKET_TEST_TIMEOUT_MS, Waiters } from './test-support/wait-until';

/** Everything a socket reports, in order, to wait on. */
class SocketLog {
  readonly events: string[] = [];
  readonly messages: string[] = [];
  closeEvent: SseCloseEvent | undefined;
  private readonly waiters = new Waiters();

  constructor(readonly socket: SseSocket) {
    socket.onopen = () => {
      this.record(`open (readyState ${socket.readyState})`);
    };
    socket.onmessage = (event) => {
      this.messages.push(event.data as string);
      this.record('message');
    };
    socket.onerror = (event) => {
      this.record(`error: ${event.message}`);
    };
    socket.onclose = (event) => {
      this.closeEvent = event;
      this.record(`close ${event.code}`);
    };
  }

  opened(): Promise<true> {
    return this.waiters.until('open', () => (this.events.some((e) => e.startsWith('open')) ? true : undefined));
  }

  message(index: number): Promise<string> {
    return this.waiters.until(`message #${index}`, () => this.messages[index]);
  }

  closed(): Promise<SseCloseEvent> {
    return this.waiters.until('close', () => this.closeEvent);
  }

  private record(event: string): void {
    this.events.push(event);
    this.waiters.notify();
  }
}

let server: ScriptedSseServer;
let tracking: TrackingFetch;
const sockets: SseSocket[] = [];

beforeEach(async () => {
  server = await ScriptedSseServer.start();
  tracking = new TrackingFetch();
});

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  await server.stop();
});

function open(protocols: string[] = ['tickwire.v1'], url = server.url): SocketLog {
  const socket = new SseSocket(url, protocols, { fetch: tracking.fetch });
  sockets.push(socket);
  return new SocketLog(socket);
}

/** Nothing of the socket is left on the network, on either end. */
async function nothingInFlight(): Promise<void> {
  expect(tracking.pending).toBe(0);
  await server.idle();
}

describe('sseUrls', () => {
  it('maps ws(s):// stream URLs to the SSE stream and session URLs', () => {
    expect(sseUrls('ws://127.0.0.1:8080/api/v1/stream')).toEqual({
      stream: 'http://127.0.0.1:8080/api/v1/sse?subscribe=%5B%5D',
      sessionBase: 'http://127.0.0.1:8080/api/v1/sse',
    });
    expect(sseUrls('wss://markets.example/tickwire/api/v1/stream?region=eu#x', 'k+y/1')).toEqual({
      stream: 'https://markets.example/tickwire/api/v1/sse?region=eu&subscribe=%5B%5D&token=k%2By%2F1',
      sessionBase: 'https://markets.example/tickwire/api/v1/sse',
    });
    expect(sseUrls('wss://markets.example/tickwire/').sessionBase).toBe('https://markets.example/tickwire/api/v1/sse');
    expect(sseUrls('https://markets.example/api/v1/sse').stream).toBe(
      'https://markets.example/api/v1/sse?subscribe=%5B%5D',
    );
    expect(() => sseUrls('ftp://markets.example/api/v1/stream')).toThrow(SyntaxError);
    expect(() => sseUrls('not a url')).toThrow();
  });
});

describe('SseSocket', { timeout: SOCKET_TEST_TIMEOUT_MS }, () => {
  it('asks for the stream with the token, opens on the session event and passes every later event on as is', async () => {
    const log = open(['tickwire.v1', 'token.k3y-1']);
    expect(log.socket.readyState).toBe(SseSocket.CONNECTING);
    await log.opened();
    expect(log.events[0]).toBe('open (readyState 1)');
    expect(tracking.calls[0]).toMatchObject({
      method: 'GET',
      url: `${server.baseUrl}/api/v1/sse?subscribe=%5B%5D&token=k3y-1`,
      headers: { Accept: 'text/event-stream' },
    });
    const stream = await server.stream(0);
    expect(stream.query.get('subscribe')).toBe('[]');
    expect(stream.token).toBe('k3y-1');

    stream.connection.heartbeat(7);
    stream.connection.send('{"type":"pong","id":3,"time":8}');
    expect([await log.message(0), await log.message(1)]).toEqual([
      '{"type":"heartbeat","time":7}',
      '{"type":"pong","id":3,"time":8}',
    ]);
    expect(log.messages.some((m) => m.includes('"session"'))).toBe(false);
  });

  it('reads the stream as EventSource does: comments, CRLF, multi-line data, split UTF-8, named events, ids', async () => {
    const log = open();
    await log.opened();
    const stream = await server.stream(0);
    stream.raw(': keep-alive comment\r\n\r\n');
    stream.raw('data: {"a":\r\ndata: 1}\r\n\r\n');
    const euro = new TextEncoder().encode('data: "€"\n\n');
    stream.raw(euro.slice(0, 8)); // inside the three bytes of €
    stream.raw(euro.slice(8));
    stream.raw('event: something-else\ndata: not for onmessage\n\n');
    stream.raw('id: book=1.5\rdata: last\r\r');
    expect([await log.message(0), await log.message(1), await log.message(2)]).toEqual(['{"a":\n1}', '"€"', 'last']);
    expect(log.messages).toHaveLength(3);
    expect(log.socket.lastEventId).toBe('book=1.5');
  });

  it('posts each message to the session, one request at a time, in order', async () => {
    const log = open();
    await log.opened();
    const stream = await server.stream(0);
    stream.holdPosts = true;
    const texts = [1, 2, 3, 4, 5].map((id) => JSON.stringify({ op: 'ping', id }));
    for (const text of texts) log.socket.send(text);
    for (let i = 0; i < texts.length; i++) {
      await server.postRequest(i + 1);
      await server.heldPost(stream);
      expect(server.postsInFlight).toBe(1);
      stream.releasePost();
    }
    for (const id of [1, 2, 3, 4, 5]) expect(await stream.connection.next()).toEqual({ op: 'ping', id });
    expect(server.maxPostsInFlight).toBe(1);
    const posts = tracking.of('POST');
    expect(posts.map((p) => p.body)).toEqual(texts);
    expect(posts[0]).toMatchObject({
      url: `${server.baseUrl}/api/v1/sse/${stream.id}`,
      headers: { 'Content-Type': 'application/json' },
    });
    // The pongs (auto) came back on the stream.
    expect(JSON.parse(await log.message(4))).toMatchObject({ type: 'pong', id: 5 });
  });

  it.each([
    [429, 4008],
    [401, 1008],
    [404, 1006],
    [503, 1011],
  ])('closes itself when a POST is answered %i (code %i)', async (status, code) => {
    const log = open();
    await log.opened();
    const stream = await server.stream(0);
    stream.failPostsWith = status;
    log.socket.send('{"op":"ping"}');
    const closed = await log.closed();
    expect(closed.code).toBe(code);
    if (status !== 429) expect(closed.reason).toContain(`HTTP ${status}`);
    expect(closed.reason).not.toContain(stream.id);
    expect(log.socket.readyState).toBe(SseSocket.CLOSED);
    await nothingInFlight();
  });

  it('closes with 1009 when a message is over the gateway limit (413)', async () => {
    const log = open();
    await log.opened();
    log.socket.send(JSON.stringify({ op: 'ping', pad: 'x'.repeat(20_000) }));
    const closed = await log.closed();
    expect(closed).toMatchObject({ code: 1009, wasClean: false });
    expect(closed.reason).toContain('HTTP 413');
    expect(log.events).toEqual(['open (readyState 1)', expect.stringMatching(/^error: POST/), 'close 1009']);
  });

  it('closes with 1006 when a POST fails on the network', async () => {
    const log = open();
    await log.opened();
    const stream = await server.stream(0);
    stream.holdPosts = true;
    log.socket.send('{"op":"ping"}');
    await server.heldPost(stream);
    // The POST's own connection (not the stream's) goes down.
    server.dropPostConnections();
    const closed = await log.closed();
    expect(closed.code).toBe(1006);
    expect(closed.reason).toMatch(/^POST to the session failed/);
    await nothingInFlight();
  });

  it('close() aborts the stream and a waiting POST, then reports 1000 with nothing left in flight', async () => {
    const log = open();
    await log.opened();
    const stream = await server.stream(0);
    stream.holdPosts = true;
    log.socket.send('{"op":"ping","id":1}');
    log.socket.send('{"op":"ping","id":2}');
    await server.heldPost(stream);
    log.socket.close(1000, 'client closed');
    expect(log.socket.readyState).toBe(SseSocket.CLOSING);
    log.socket.send('{"op":"ping","id":3}'); // ignored once closing
    expect(await log.closed()).toMatchObject({ code: 1000, reason: 'client closed', wasClean: true });
    expect(log.events).toEqual(['open (readyState 1)', 'close 1000']);
    await nothingInFlight();
    expect(tracking.of('POST')).toHaveLength(1);
    expect(stream.connection.received).toEqual([]);
  });

  it('close() while the gateway has not answered the stream request yet', async () => {
    server.holdStreams = true;
    const log = open();
    await server.streamRequest(1);
    expect(() => {
      log.socket.send('{"op":"ping"}');
    }).toThrow(/not open/);
    log.socket.close();
    expect(await log.closed()).toMatchObject({ code: 1000, reason: '' });
    expect(log.events).toEqual(['close 1000']);
    await nothingInFlight();
  });

  it("reports the gateway's close event with its code and reason", async () => {
    const log = open();
    await log.opened();
    (await server.connection(0)).close(1001, 'gateway shutting down');
    expect(await log.closed()).toMatchObject({ code: 1001, reason: 'gateway shutting down', wasClean: true });
    expect(log.events).toEqual(['open (readyState 1)', 'close 1001']);
    await nothingInFlight();
  });

  it('reports 1006 when the stream ends without a close event, with an error when the connection drops', async () => {
    const ended = open();
    await ended.opened();
    (await server.stream(0)).end();
    expect(await ended.closed()).toMatchObject({ code: 1006, reason: 'the event stream ended' });
    expect(ended.events).toEqual(['open (readyState 1)', 'close 1006']);

    const dropped = open();
    await dropped.opened();
    (await server.stream(1)).drop();
    expect((await dropped.closed()).code).toBe(1006);
    expect(dropped.events).toEqual(['open (readyState 1)', expect.stringMatching(/^error: /), 'close 1006']);
    await nothingInFlight();
  });

  it.each([
    [400, 'subscribe: not a JSON array'],
    [401, 'a token is required'],
    [403, 'this Origin may not open the stream'],
    [429, 'too many connections from this address'],
  ])('an HTTP %i before opening: onerror, then onclose 1006 naming the status', async (status, message) => {
    server.refuse = { status, message };
    const log = open();
    const closed = await log.closed();
    expect(closed).toMatchObject({ code: 1006, reason: `HTTP ${status}: ${message}`, wasClean: false });
    expect(log.events).toEqual([`error: HTTP ${status}: ${message}`, 'close 1006']);
    expect(log.socket.readyState).toBe(SseSocket.CLOSED);
    await nothingInFlight();
  });

  it('refuses what is not an event stream, a stream not opening with a session, and a refused connection', async () => {
    server.refuse = { status: 200, contentType: 'text/html' };
    const page = await open().closed();
    expect(page).toMatchObject({ code: 1006, reason: 'HTTP 200 but not an event stream (content-type text/html)' });

    server.refuse = undefined;
    server.firstEvent = 'data: {"type":"heartbeat","time":1}\n\n';
    const noSession = open();
    expect(await noSession.closed()).toMatchObject({ code: 1002 });
    expect(noSession.events[0]).toMatch(/did not begin with a session/);

    const nobody = open(['tickwire.v1', 'token.secret-token'], await refusingUrl());
    const refused = await nobody.closed();
    expect(refused.code).toBe(1006);
    expect(refused.reason).toMatch(/^the event stream failed: fetch failed \(.*ECONNREFUSED/);
    expect(refused.reason).not.toContain('secret-token');
    await nothingInFlight();
  });

  it('terminate() drops the stream at once with 1006', async () => {
    const log = open();
    await log.opened();
    log.socket.terminate();
    expect(await log.closed()).toMatchObject({ code: 1006, wasClean: false });
    await nothingInFlight();
  });
});
