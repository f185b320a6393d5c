import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  API_STREAM_PATH,
  API_SUBPROTOCOL,
  type ChannelName,
  type ChannelPayloads,
  type ClientMessage,
  type ErrorCode,
  type PingRequest,
  type ServerMessage,
  type SubscribeParams,
  type SubscribeRequest,
  type UnsubscribeRequest,
} from '../../api/protocol';
import { Waiters } from './wait-until';

export interface ClosedInfo {
  readonly code: number;
  readonly reason: string;
}

type ChannelRequest = SubscribeRequest | UnsubscribeRequest;

/** The channel parameters of a request, as the gateway echoes them in `params`. */
export function paramsOf(request: SubscribeParams): SubscribeParams {
  return {
    ...(request.depth === undefined ? {} : { depth: request.depth }),
    ...(request.intervalMs === undefined ? {} : { intervalMs: request.intervalMs }),
    ...(request.interval === undefined ? {} : { interval: request.interval }),
  };
}

/** How a scripted connection reaches its client: a WebSocket, or an SSE stream (scripted-sse-server.ts). */
export interface ScriptedWire {
  /** One message: a text frame, or an event whose data is that text. */
  send(text: string): void;
  /** Closes from the gateway's side: a close frame, or a `close` event and the end of the response. */
  close(code: number, reason: string): void;
}

/**
 * One client connection to the scripted gateway: records what the client sends and lets the test
 * send exactly what it wants (acks, snapshots, updates with chosen seq, heartbeats, closes).
 */
export class ScriptedConnection {
  /** Every message the client sent, in order, and when (by the gateway's `now`) each arrived. */
  readonly received: ClientMessage[] = [];
  readonly receivedAt: number[] = [];
  closedWith: ClosedInfo | undefined;
  private cursor = 0;
  private readonly waiters = new Waiters();

  constructor(
    readonly index: number,
    private readonly wire: ScriptedWire,
    /** Subprotocols the client offered (over SSE: none). */
    readonly protocols: readonly string[],
    private readonly autoPong: boolean,
    private readonly now: () => number,
  ) {}

  /** Over a `ws` socket. */
  static overWebSocket(
    index: number,
    socket: WebSocket,
    protocols: readonly string[],
    autoPong: boolean,
    now: () => number,
  ): ScriptedConnection {
    const connection = new ScriptedConnection(
      index,
      {
        send: (text) => {
          socket.send(text);
        },
        close: (code, reason) => {
          socket.close(code, reason);
        },
      },
      protocols,
      autoPong,
      now,
    );
    socket.on('message', (data, isBinary) => {
      if (isBinary) throw new Error('the client sent a binary frame');
      connection.receive((data as Buffer).toString('utf8'));
    });
    socket.on('close', (code, reason) => {
      connection.ended({ code, reason: String(reason) });
    });
    return connection;
  }

  /** A message from the client. */
  receive(text: string): void {
    const message = JSON.parse(text) as ClientMessage;
    this.received.push(message);
    this.receivedAt.push(this.now());
    if (this.autoPong && message.op === 'ping') this.pong(message);
    this.waiters.notify();
  }

  /** The connection ended, from either side. */
  ended(closed: ClosedInfo): void {
    this.closedWith ??= closed;
    this.waiters.notify();
  }

  /** The next message not read yet. */
  next(): Promise<ClientMessage> {
    return this.waiters.until(`client message #${this.cursor} on connection ${this.index}`, () => {
      const message = this.received[this.cursor];
      if (message !== undefined) this.cursor++;
      return message;
    });
  }

  /** The next message, which must be a subscribe to `channel`; acknowledges it unless told not to. */
  async expectSubscribe<C extends ChannelName>(
    channel: C,
    { ack = true }: { ack?: boolean } = {},
  ): Promise<SubscribeRequest & { readonly channel: C }> {
    const message = await this.next();
    if (message.op !== 'subscribe' || message.channel !== channel)
      throw new Error(`expected a ${channel} subscribe, got ${JSON.stringify(message)}`);
    if (ack) this.ack(message);
    return message as SubscribeRequest & { readonly channel: C };
  }

  /** The next message, which must be an unsubscribe; acknowledges it. */
  async expectUnsubscribe(): Promise<UnsubscribeRequest> {
    const message = await this.next();
    if (message.op !== 'unsubscribe') throw new Error(`expected an unsubscribe, got ${JSON.stringify(message)}`);
    this.ack(message);
    return message;
  }

  /** Reads the next messages, which must be subscribes to these channels in this order; acknowledges each. */
  async expectSubscribes<const C extends readonly ChannelName[]>(
    ...channels: C
  ): Promise<{ [K in keyof C]: SubscribeRequest & { readonly channel: C[K] } }> {
    const requests: SubscribeRequest[] = [];
    for (const channel of channels) requests.push(await this.expectSubscribe(channel));
    return requests as { [K in keyof C]: SubscribeRequest & { readonly channel: C[K] } };
  }

  send(message: ServerMessage | string): void {
    this.wire.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  ack(request: ChannelRequest): void {
    this.send({
      type: 'ack',
      ...(request.id === undefined ? {} : { id: request.id }),
      op: request.op,
      channel: request.channel,
      ...(request.instrument === undefined ? {} : { instrument: request.instrument }),
      params: paramsOf(request),
    });
  }

  snapshot<C extends ChannelName>(
    request: ChannelRequest & { readonly channel: C },
    seq: number,
    data: ChannelPayloads[C]['snapshot'],
    extra: { conflated?: true; skipped?: number; withoutParams?: boolean } = {},
  ): void {
    this.send(
      JSON.stringify({
        type: 'snapshot',
        ...this.channelFields(request, seq, extra.withoutParams),
        data,
        ...conflation(extra),
      }),
    );
  }

  update<C extends ChannelName>(
    request: ChannelRequest & { readonly channel: C },
    seq: number,
    data: ChannelPayloads[C]['update'],
    extra: { withoutParams?: boolean } = {},
  ): void {
    this.send(JSON.stringify({ type: 'update', ...this.channelFields(request, seq, extra.withoutParams), data }));
  }

  error(request: { readonly id?: number } | undefined, code: ErrorCode, message: string): void {
    this.send({ type: 'error', ...(request?.id === undefined ? {} : { id: request.id }), code, message });
  }

  heartbeat(time = 1_700_000_000_000_000): void {
    this.send({ type: 'heartbeat', time });
  }

  pong(request: PingRequest): void {
    this.send({ type: 'pong', ...(request.id === undefined ? {} : { id: request.id }), time: 1_700_000_000_000_000 });
  }

  close(code: number, reason = ''): void {
    this.wire.close(code, reason);
  }

  /** Resolves once the connection is closed, from either side. */
  closed(): Promise<ClosedInfo> {
    return this.waiters.until(`close of connection ${this.index}`, () => this.closedWith);
  }

  private channelFields(request: ChannelRequest, seq: number, withoutParams = false): Record<string, unknown> {
    return {
      channel: request.channel,
      ...(request.instrument === undefined ? {} : { instrument: request.instrument }),
      ...(withoutParams ? {} : { params: paramsOf(request) }),
      seq,
    };
  }
}

function conflation(extra: { conflated?: true; skipped?: number }): Record<string, unknown> {
  return extra.conflated === true ? { conflated: true, skipped: extra.skipped ?? 0 } : {};
}

export interface ScriptedGatewayOptions {
  /** Answer pings with a pong at once (default true). */
  readonly autoPong?: boolean;
  /** Clock of `receivedAt` (Date.now by default). */
  readonly now?: () => number;
}

/**
 * A real `ws` WebSocketServer on 127.0.0.1 (a free port) at /api/v1/stream that accepts the
 * `tickwire.v1` subprotocol and does nothing by itself except answer pings: each test scripts
 * what every connection receives.
 */
export class ScriptedGateway {
  readonly connections: ScriptedConnection[] = [];
  private readonly waiters = new Waiters();

  private constructor(
    private readonly server: WebSocketServer,
    readonly url: string,
    options: ScriptedGatewayOptions,
  ) {
    server.on('connection', (socket, request) => {
      const offered = (request.headers['sec-websocket-protocol'] ?? '')
        .split(',')
        .map((p) => p.trim())
        .filter((p) => p !== '');
      this.connections.push(
        ScriptedConnection.overWebSocket(
          this.connections.length,
          socket,
          offered,
          options.autoPong ?? true,
          options.now ?? Date.now,
        ),
      );
      this.waiters.notify();
    });
  }

  static async start(options: ScriptedGatewayOptions = {}): Promise<ScriptedGateway> {
    const server = new WebSocketServer({
      host: '127.0.0.1',
      port: 0,
      path: API_STREAM_PATH,
      handleProtocols: (protocols) => (protocols.has(API_SUBPROTOCOL) ? API_SUBPROTOCOL : false),
    });
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    const { port } = server.address() as AddressInfo;
    return new ScriptedGateway(server, `ws://127.0.0.1:${port}${API_STREAM_PATH}`, options);
  }

  /** The connection with this index (0 = first), once the client made it. */
  connection(index: number): Promise<ScriptedConnection> {
    return this.waiters.until(`connection #${index}`, () => this.connections[index]);
  }

  /** Drops every connection and closes the server. */
  async stop(): Promise<void> {
    for (const client of this.server.clients) client.terminate();
    await new Promise<void>((resolve) => {
      this.server.close(() => {
        resolve();
      });
    });
  }
}

/** A ws:// URL on 127.0.0.1 where nothing listens: connections to it are refused. */
export async function refusingUrl(): Promise<string> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
  return `ws://127.0.0.1:${port}${API_STREAM_PATH}`;
}
