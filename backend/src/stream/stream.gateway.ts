import type { IncomingMessage } from 'node:http';
import { Inject, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { type OnGatewayConnection, type OnGatewayDisconnect, WebSocketGateway } from '@nestjs/websockets';
import { API_STREAM_PATH, CLOSE_CODES, type SubscribeRequest, type UnsubscribeRequest } from '@tickwire/feeds';
import type WebSocket from 'ws';
import { AuthService } from '../auth/auth.service';
import { GATEWAY_CONFIG } from '../config/config.tokens';
import type { GatewayConfig } from '../config/gateway-config.schema';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { ChannelRegistry } from './channel-registry';
import { parseClientMessage } from './client-message.schema';
import { ClientSession } from './client-session';
import { upgradeAuthOf } from './tickwire-ws-adapter';

/**
 * The subscription API v1 over WebSocket (docs/api.md): validates every client message, keeps each
 * connection's subscriptions within the limits, answers with an ack, a snapshot and then the
 * channel's shared update bytes, sends heartbeats and pings, and closes abusive or dead clients
 * with the documented codes. It never throws out of a socket handler.
 */
@WebSocketGateway({ path: API_STREAM_PATH })
export class StreamGateway implements OnGatewayConnection, OnGatewayDisconnect, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Stream');
  private readonly sessions = new Map<WebSocket, ClientSession>();
  private readonly perAddress = new Map<string, number>();
  private readonly alive = new WeakSet<WebSocket>();
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly registry: ChannelRegistry,
    private readonly auth: AuthService,
    private readonly metrics: GatewayMetrics,
  ) {}

  get connectionCount(): number {
    return this.sessions.size;
  }

  onModuleInit(): void {
    this.heartbeat = setInterval(() => {
      this.beat();
    }, this.config.limits.heartbeatMs);
    this.heartbeat.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.heartbeat);
    for (const session of this.sessions.values()) session.close(CLOSE_CODES.goingAway, 'gateway shutting down');
  }

  handleConnection(socket: WebSocket, request?: IncomingMessage): void {
    const address = request?.socket.remoteAddress ?? 'unknown';
    const session = new ClientSession({
      socket,
      address,
      limits: this.config.limits,
      metrics: this.metrics,
      authenticated: upgradeAuthOf(request).authenticated,
      now: Date.now,
    });
    this.sessions.set(socket, session);
    this.metrics.connections.set(this.sessions.size);
    this.alive.add(socket);
    socket.on('pong', () => this.alive.add(socket));
    socket.on('error', (error) => {
      this.logger.debug(`client ${address}: ${error.message}`);
    });
    const count = (this.perAddress.get(address) ?? 0) + 1;
    this.perAddress.set(address, count);
    if (count > this.config.limits.maxConnectionsPerAddress) {
      this.metrics.rejections.inc({ reason: 'connections_per_address' });
      session.close(CLOSE_CODES.tooManyConnections, 'too many connections from this address');
      return;
    }
    socket.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
      try {
        this.onMessage(session, data, isBinary);
      } catch (error) {
        // A bug of ours must not take the process or the other clients down.
        this.logger.error(
          `message handling failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
      }
    });
    if (!session.authenticated) {
      const timer = setTimeout(() => {
        if (!session.authenticated) {
          this.metrics.rejections.inc({ reason: 'auth_timeout' });
          session.close(CLOSE_CODES.policy, 'not authenticated in time');
        }
      }, this.config.limits.authTimeoutMs);
      timer.unref();
      socket.once('close', () => {
        clearTimeout(timer);
      });
    }
  }

  handleDisconnect(socket: WebSocket): void {
    const session = this.sessions.get(socket);
    if (session === undefined) return;
    this.sessions.delete(socket);
    this.metrics.connections.set(this.sessions.size);
    session.dispose();
    for (const stream of session.subscriptions.values()) this.registry.unsubscribe(stream, session);
    session.subscriptions.clear();
    const count = (this.perAddress.get(session.address) ?? 1) - 1;
    if (count <= 0) this.perAddress.delete(session.address);
    else this.perAddress.set(session.address, count);
  }

  private onMessage(session: ClientSession, data: WebSocket.RawData, isBinary: boolean): void {
    if (session.isClosing) return;
    if (!session.takeMessageToken()) {
      this.metrics.rejections.inc({ reason: 'rate' });
      session.close(CLOSE_CODES.rateLimited, 'message rate exceeded');
      return;
    }
    if (isBinary) {
      this.metrics.rejections.inc({ reason: 'invalid_message' });
      session.error({ code: 'invalid_message', message: 'binary frames are not accepted: send JSON text' });
      return;
    }
    const text = Array.isArray(data)
      ? Buffer.concat(data).toString('utf8')
      : Buffer.from(data as ArrayBuffer).toString('utf8');
    const parsed = parseClientMessage(text);
    if (!parsed.ok) {
      this.metrics.rejections.inc({ reason: parsed.error.code });
      session.error(parsed.error);
      return;
    }
    const message = parsed.message;
    const id = message.id === undefined ? {} : { id: message.id };
    switch (message.op) {
      case 'ping':
        session.send({ type: 'pong', ...id, time: Date.now() * 1000 });
        return;
      case 'auth':
        if (this.auth.accept(message.token)) {
          session.authenticated = true;
          session.send({ type: 'ack', ...id, op: 'auth' });
        } else {
          this.metrics.rejections.inc({ reason: 'bad_token' });
          session.error({ ...id, code: 'bad_token', message: 'the token is not a valid API key or ticket' });
        }
        return;
      case 'subscribe':
      case 'unsubscribe':
        if (!session.authenticated) {
          this.metrics.rejections.inc({ reason: 'not_authenticated' });
          session.error({ ...id, code: 'not_authenticated', message: 'authenticate first: {"op":"auth","token":...}' });
          return;
        }
        if (message.op === 'subscribe') this.subscribe(session, message);
        else this.unsubscribe(session, message);
    }
  }

  private subscribe(session: ClientSession, request: SubscribeRequest): void {
    const id = request.id === undefined ? {} : { id: request.id };
    const resolved = this.registry.resolve(request);
    if ('code' in resolved) {
      this.metrics.rejections.inc({ reason: resolved.code });
      session.error({ ...id, ...resolved });
      return;
    }
    const existing = session.subscriptions.get(resolved.key);
    if (existing === undefined && session.subscriptions.size >= this.config.limits.maxSubscriptionsPerConnection) {
      this.metrics.rejections.inc({ reason: 'too_many_subscriptions' });
      session.error({
        ...id,
        code: 'too_many_subscriptions',
        message: `at most ${this.config.limits.maxSubscriptionsPerConnection} subscriptions per connection`,
      });
      return;
    }
    const stream = existing ?? this.registry.subscribe(resolved, session);
    session.subscriptions.set(resolved.key, stream);
    session.send({
      type: 'ack',
      ...id,
      op: 'subscribe',
      channel: request.channel,
      ...(resolved.instrument === undefined ? {} : { instrument: resolved.instrument }),
      ...(resolved.params === undefined ? {} : { params: resolved.params }),
    });
    // Subscribing again to the same stream is how a client asks for a fresh snapshot (after a gap).
    session.sendSnapshot(stream);
  }

  private unsubscribe(session: ClientSession, request: UnsubscribeRequest): void {
    const id = request.id === undefined ? {} : { id: request.id };
    const resolved = this.registry.resolve(request);
    if ('code' in resolved) {
      this.metrics.rejections.inc({ reason: resolved.code });
      session.error({ ...id, ...resolved });
      return;
    }
    const stream = session.subscriptions.get(resolved.key);
    if (stream === undefined) {
      this.metrics.rejections.inc({ reason: 'not_subscribed' });
      session.error({ ...id, code: 'not_subscribed', message: `not subscribed to ${resolved.key}` });
      return;
    }
    session.subscriptions.delete(resolved.key);
    session.forget(stream);
    this.registry.unsubscribe(stream, session);
    session.send({
      type: 'ack',
      ...id,
      op: 'unsubscribe',
      channel: request.channel,
      ...(resolved.instrument === undefined ? {} : { instrument: resolved.instrument }),
      ...(resolved.params === undefined ? {} : { params: resolved.params }),
    });
  }

  /** Heartbeat to every client (one serialization) and a WebSocket ping; a client whose pong has not come by the next beat is dropped. */
  private beat(): void {
    const bytes = Buffer.from(JSON.stringify({ type: 'heartbeat', time: Date.now() * 1000 }));
    for (const [socket, session] of this.sessions) {
      if (!this.alive.has(socket)) {
        this.metrics.rejections.inc({ reason: 'dead_client' });
        socket.terminate();
        continue;
      }
      this.alive.delete(socket);
      session.sendBytes(bytes);
      try {
        socket.ping();
      } catch {
        socket.terminate();
      }
    }
  }
}
