import { randomBytes } from 'node:crypto';
import { type BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { CLOSE_CODES } from '@tickwire/feeds';
import { GATEWAY_CONFIG } from '../config/config.tokens';
import type { GatewayConfig } from '../config/gateway-config.schema';
import { AddressLimiter } from './address-limiter';
import { ClientRequests } from './client-requests';
import type { ClientSession } from './client-session';

/**
 * The open Server-Sent Events sessions, by their secret id (the capability a client uses to post
 * subscribe/unsubscribe/ping requests for its stream), with their heartbeats.
 */
@Injectable()
export class SseSessions implements BeforeApplicationShutdown {
  private readonly sessions = new Map<string, ClientSession>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    private readonly requests: ClientRequests,
    private readonly addresses: AddressLimiter,
  ) {
    this.heartbeat = setInterval(() => {
      const bytes = Buffer.from(JSON.stringify({ type: 'heartbeat', time: Date.now() * 1000 }));
      for (const session of this.sessions.values()) session.sendBytes(bytes);
    }, config.limits.heartbeatMs);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.sessions.size;
  }

  add(session: ClientSession): string {
    const id = randomBytes(16).toString('base64url');
    this.sessions.set(id, session);
    session.transport.onClose(() => {
      this.sessions.delete(id);
      this.requests.release(session);
      this.addresses.release(session.address);
    });
    return id;
  }

  get(id: string): ClientSession | undefined {
    return this.sessions.get(id);
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.heartbeat);
    for (const session of this.sessions.values()) session.close(CLOSE_CODES.goingAway, 'gateway shutting down');
  }
}
