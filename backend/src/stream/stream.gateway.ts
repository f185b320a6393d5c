import type { IncomingMessage } from 'node:http';
import { Inject, Logger, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { type OnGatewayConnection, type OnGatewayDisconnect, WebSocketGateway } from '@nestjs/websockets';
import { API_STREAM_PATH, CLOSE_CODES } from '@tickwire/feeds';
import type WebSocket from 'ws';
import { GATEWAY_CONFIG } from '../config/config.tokens';
import type { GatewayConfig } from '../config/gateway-config.schema';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { AddressLimiter } from './address-limiter';
import { ClientRequests } from './client-requests';
import { ClientSession } from './client-session';
import { WsTransport } from './transports/ws-transport';
import { rawText } from './raw-text';
import { upgradeAuthOf } from './tickwire-ws-adapter';

/**
 * The subscription API v1 over WebSocket (docs/api.md): validates every client message, keeps each
 * connection's subscriptions within the limits, answers with an ack, a snapshot and then the
 * channel's shared update bytes, sends heartbeats and pings, and closes abusive or dead clients
 * with the documented codes. It never throws out of a socket handler.
 */
/** How long clients get to finish the close handshake when the gateway stops. */
const SHUTDOWN_GRACE_MS = 1000;

@WebSocketGateway({ path: API_STREAM_PATH })
export class StreamGateway
  implements OnGatewayConnection, OnGatewayDisconnect, OnModuleInit, BeforeApplicationShutdown
{
  private readonly logger = new Logger('Stream');
  private readonly sessions = new Map<WebSocket, ClientSession>();
  private readonly alive = new WeakSet<WebSocket>();
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly requests: ClientRequests,
    private readonly addresses: AddressLimiter,
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

  /**
   * Before Nest closes the servers (which destroys sockets): every client gets 1001 "going away"
   * and up to a second for the close handshake, so SDKs reconnect at once instead of timing out.
   */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.heartbeat);
    const closed = [...this.sessions.keys()].map(
      (socket) =>
        new Promise<void>((resolve) => {
          if (socket.readyState === socket.CLOSED) resolve();
          else
            socket.once('close', () => {
              resolve();
            });
        }),
    );
    for (const session of this.sessions.values()) session.close(CLOSE_CODES.goingAway, 'gateway shutting down');
    await Promise.race([Promise.all(closed), new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS))]);
  }

  handleConnection(socket: WebSocket, request?: IncomingMessage): void {
    const address = this.addresses.addressOf(request);
    const session = new ClientSession({
      transport: new WsTransport(socket),
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
    if (!this.addresses.acquire(address)) {
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
    this.requests.release(session);
    this.addresses.release(session.address);
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
    this.requests.handleText(session, rawText(data));
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
