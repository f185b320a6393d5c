import { randomBytes } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { API_SSE_PATH, API_STREAM_PATH, CLOSE_CODES, type SessionMessage } from '../../api/protocol';
import { acceptAndIgnore } from './half-open-server';
import { ScriptedConnection, type ScriptedWire } from './scripted-gateway';
import { Waiters } from './wait-until';

/** The gateway's limit on one posted message (limits.maxPayloadBytes). */
const MAX_POST_BYTES = 16 * 1024;

/** What a WebSocket attempt (an HTTP upgrade) gets: refused with this status, accepted then ignored, or never answered. */
export type UpgradeAnswer = number | 'half-open' | 'silent';

export interface ScriptedSseServerOptions {
  /** Answer pings with a pong at once (default true). */
  readonly autoPong?: boolean;
  /** Clock of `receivedAt` (Date.now by default). */
  readonly now?: () => number;
  /** Default 426 (Upgrade Required, as a plain HTTP server would). */
  readonly upgrade?: UpgradeAnswer;
}

/** A refusal of the stream request, before it opens. */
export interface Refusal {
  readonly status: number;
  readonly message?: string;
  /** Answer 200 with this content type and an HTML page instead (a proxy's error page). */
  readonly contentType?: string;
}

/** One `GET /api/v1/sse` that opened: its session, what it asked for, and its scripted connection. */
export class ScriptedSseStream {
  /** Answer the next POSTs with this status (without handling them); 429 also closes the session with 4008. */
  failPostsWith: number | undefined;
  /** Hold every POST until `releasePost()`. */
  holdPosts = false;
  private readonly held: (() => void)[] = [];
  private ended = false;

  constructor(
    readonly index: number,
    readonly id: string,
    /** The request's query and headers. */
    readonly query: URLSearchParams,
    readonly headers: IncomingHttpHeaders,
    readonly connection: ScriptedConnection,
    private readonly response: ServerResponse,
    private readonly notify: () => void,
  ) {
    response.once('close', () => {
      this.ended = true;
      connection.ended({ code: 1006, reason: 'the client dropped the stream' });
      for (const release of this.held.splice(0)) release();
      notify();
    });
  }

  get token(): string | null {
    return this.query.get('token');
  }

  /** The response is still being written (the client has not gone, the server has not ended it). */
  get open(): boolean {
    return !this.ended && !this.response.writableEnded;
  }

  /** POSTs waiting for `releasePost()`. */
  get heldPosts(): number {
    return this.held.length;
  }

  /** Text or bytes as they are, to test the client's parser over the wire. */
  raw(chunk: string | Uint8Array): void {
    this.response.write(chunk);
  }

  /** Ends the response without a close event. */
  end(): void {
    this.response.end();
  }

  /** Drops the TCP connection: a network error for the client. */
  drop(): void {
    this.response.socket?.destroy();
  }

  /** Lets the oldest held POST be handled and answered. */
  releasePost(): void {
    this.held.shift()?.();
  }

  /** Waits until the POST is released (at once unless holding); false when the stream went first. */
  hold(): Promise<boolean> {
    if (!this.holdPosts) return Promise.resolve(true);
    return new Promise((resolve) => {
      this.held.push(() => {
        resolve(this.open);
      });
      this.notify();
    });
  }
}

/**
 * A real node:http server on 127.0.0.1 speaking the gateway's Server-Sent Events protocol
 * (docs/api.md): `GET /api/v1/sse?subscribe=[...]&token=...` opens a `text/event-stream` whose first
 * event is the session, then carries whatever the test scripts through each stream's
 * ScriptedConnection (the same acks, snapshots, updates, heartbeats and closes as the WebSocket
 * gateway; a close is an `event: close` and the end of the response); `POST /api/v1/sse/{id}` hands
 * one client message to that connection and answers 202 (404 unknown session, 413 too large, or
 * what the test says). WebSocket upgrades at /api/v1/stream get `options.upgrade`.
 */
export class ScriptedSseServer {
  readonly streams: ScriptedSseStream[] = [];
  /** Every GET of the stream path (opened, refused or held), in order. */
  readonly streamRequests: URLSearchParams[] = [];
  /** WebSocket upgrade attempts, and the TCP connections of those still open. */
  upgrades = 0;
  private readonly upgradeSockets = new Set<Socket>();
  /** Refuse the next stream requests like this (undefined: open them). */
  refuse: Refusal | undefined;
  /** Never answer the next stream requests (a hanging gateway). */
  holdStreams = false;
  /** Begin streams with this text instead of the session event (a stream that breaks the protocol). */
  firstEvent: string | undefined;
  /** POSTs received (handled or not), POSTs being handled now, and the most at once. */
  postRequests = 0;
  postsInFlight = 0;
  maxPostsInFlight = 0;
  private readonly sockets = new Set<Socket>();
  private readonly postSockets = new Set<Socket>();
  private readonly pendingResponses = new Set<ServerResponse>();
  private readonly waiters = new Waiters();
  private readonly notify = (): void => {
    this.waiters.notify();
  };

  private constructor(
    private readonly server: Server,
    /** The ws:// stream URL a client is given; the SSE transport maps it to http://.../api/v1/sse. */
    readonly url: string,
    readonly baseUrl: string,
    private readonly options: ScriptedSseServerOptions,
  ) {
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => {
        this.sockets.delete(socket);
        this.notify();
      });
    });
    server.on('request', (request, response) => {
      this.onRequest(request, response);
    });
    server.on('upgrade', (request: IncomingMessage, socket: Socket) => {
      this.onUpgrade(request, socket);
    });
  }

  static async start(options: ScriptedSseServerOptions = {}): Promise<ScriptedSseServer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return new ScriptedSseServer(
      server,
      `ws://127.0.0.1:${port}${API_STREAM_PATH}`,
      `http://127.0.0.1:${port}`,
      options,
    );
  }

  /** The scripted connection of stream #index, once the client opened it. */
  async connection(index: number): Promise<ScriptedConnection> {
    return (await this.stream(index)).connection;
  }

  stream(index: number): Promise<ScriptedSseStream> {
    return this.waiters.until(`SSE stream #${index}`, () => this.streams[index]);
  }

  /** Resolves once `count` stream requests arrived (opened or not). */
  streamRequest(count: number): Promise<true> {
    return this.waiters.until(`SSE stream request #${count - 1}`, () =>
      this.streamRequests.length >= count ? true : undefined,
    );
  }

  /** Resolves once the stream holds a POST (with `holdPosts`). */
  heldPost(stream: ScriptedSseStream): Promise<true> {
    return this.waiters.until(`a held POST on stream #${stream.index}`, () =>
      stream.heldPosts > 0 ? true : undefined,
    );
  }

  /** Resolves once `count` POSTs arrived. */
  postRequest(count: number): Promise<true> {
    return this.waiters.until(`POST #${count - 1}`, () => (this.postRequests >= count ? true : undefined));
  }

  /** Drops the TCP connections of the POSTs being handled: a network error for the client. */
  dropPostConnections(): void {
    for (const socket of this.postSockets) socket.destroy();
  }

  upgrade(count: number): Promise<true> {
    return this.waiters.until(`WebSocket upgrade attempt #${count - 1}`, () =>
      this.upgrades >= count ? true : undefined,
    );
  }

  /** Resolves once the client dropped every WebSocket attempt's connection. */
  noUpgradeConnection(): Promise<true> {
    return this.waiters.until('no open WebSocket connection', () =>
      this.upgradeSockets.size === 0 ? true : undefined,
    );
  }

  /** Streams still open, held requests included. */
  get openStreams(): number {
    return this.streams.filter((stream) => stream.open).length + this.pendingResponses.size;
  }

  /** Resolves once no stream is open, no request is held and no POST is being handled. */
  idle(): Promise<true> {
    return this.waiters.until('no open SSE stream or POST', () =>
      this.openStreams === 0 && this.postsInFlight === 0 ? true : undefined,
    );
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private onRequest(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', this.baseUrl);
    if (request.method === 'GET' && url.pathname === API_SSE_PATH) {
      this.openStream(request, url.searchParams, response);
      return;
    }
    const session = url.pathname.startsWith(`${API_SSE_PATH}/`)
      ? decodeURIComponent(url.pathname.slice(API_SSE_PATH.length + 1))
      : undefined;
    if (request.method === 'POST' && session !== undefined) {
      void this.post(session, request, response);
      return;
    }
    answer(response, 404, 'not found');
  }

  private openStream(request: IncomingMessage, query: URLSearchParams, response: ServerResponse): void {
    this.streamRequests.push(query);
    this.notify();
    if (this.refuse !== undefined) {
      const { status, message, contentType } = this.refuse;
      if (contentType !== undefined) {
        response.writeHead(200, { 'Content-Type': contentType });
        response.end('<html><body>blocked by policy</body></html>');
      } else answer(response, status, message ?? 'refused');
      return;
    }
    if (this.holdStreams) {
      this.pendingResponses.add(response);
      response.once('close', () => {
        this.pendingResponses.delete(response);
        this.notify();
      });
      return;
    }
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
    });
    request.socket.setNoDelay(true);
    response.write('retry: 1000\n\n');
    const id = randomBytes(12).toString('base64url');
    const index = this.streams.length;
    const wire: ScriptedWire = {
      send: (text) => {
        response.write(`data: ${text.split('\n').join('\ndata: ')}\n\n`);
      },
      close: (code, reason) => {
        connection.ended({ code, reason });
        response.end(`event: close\ndata: ${JSON.stringify({ code, reason })}\n\n`);
      },
    };
    const connection = new ScriptedConnection(
      index,
      wire,
      [],
      this.options.autoPong ?? true,
      this.options.now ?? Date.now,
    );
    this.streams.push(new ScriptedSseStream(index, id, query, request.headers, connection, response, this.notify));
    if (this.firstEvent !== undefined) response.write(this.firstEvent);
    else {
      const session: SessionMessage = { type: 'session', id, transport: 'sse' };
      wire.send(JSON.stringify(session));
    }
    this.notify();
  }

  private async post(session: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
    this.postRequests++;
    this.postsInFlight++;
    this.maxPostsInFlight = Math.max(this.maxPostsInFlight, this.postsInFlight);
    this.postSockets.add(request.socket);
    this.notify();
    try {
      const body = await readBody(request);
      const stream = this.streams.find((s) => s.id === session && s.open);
      if (stream === undefined) {
        answer(response, 404, 'no such stream session');
        return;
      }
      if (body === undefined) {
        answer(response, 413, 'payload too large');
        return;
      }
      if (!(await stream.hold())) {
        answer(response, 404, 'no such stream session');
        return;
      }
      const failure = stream.failPostsWith;
      if (failure !== undefined) {
        if (failure === 429) stream.connection.close(CLOSE_CODES.rateLimited, 'message rate exceeded');
        answer(response, failure, 'scripted failure');
        return;
      }
      stream.connection.receive(body);
      response.writeHead(202, { 'Content-Type': 'application/json' });
      response.end('{"accepted":true}');
    } finally {
      this.postSockets.delete(request.socket);
      this.postsInFlight--;
      this.notify();
    }
  }

  private onUpgrade(request: IncomingMessage, socket: Socket): void {
    this.upgrades++;
    this.upgradeSockets.add(socket);
    socket.on('close', () => {
      this.upgradeSockets.delete(socket);
      this.notify();
    });
    this.notify();
    socket.on('error', () => undefined);
    // node:http leaves the socket half-open when the client ends it; a real peer closes too.
    socket.on('end', () => socket.destroy());
    const mode = this.options.upgrade ?? 426;
    if (mode === 'silent') return;
    if (mode === 'half-open') {
      acceptAndIgnore(socket, `sec-websocket-key: ${String(request.headers['sec-websocket-key'])}\r\n`);
      return;
    }
    socket.end(`HTTP/1.1 ${mode} Refused\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  }
}

function answer(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, { 'Content-Type': 'application/json', Connection: 'close' });
  response.end(JSON.stringify({ statusCode: status, message }));
}

/** The body as text, or undefined when it is over the limit (the rest is still read). */
async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_POST_BYTES) chunks.push(chunk);
  }
  return size > MAX_POST_BYTES ? undefined : Buffer.concat(chunks).toString('utf8');
}
