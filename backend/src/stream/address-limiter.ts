import type { IncomingMessage } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { GATEWAY_CONFIG } from '../config/config.tokens';
import type { GatewayConfig } from '../config/gateway-config.schema';

/**
 * Open client connections per client address, over every transport (WebSocket and SSE), within
 * `limits.maxConnectionsPerAddress`. Behind a trusted reverse proxy the address is the proxy's
 * X-Forwarded-For client (its last entry: the one the proxy itself saw).
 */
@Injectable()
export class AddressLimiter {
  private readonly open = new Map<string, number>();

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {}

  addressOf(request: IncomingMessage | undefined): string {
    const direct = request?.socket.remoteAddress ?? 'unknown';
    if (!this.config.proxy.trusted || request === undefined) return direct;
    const forwarded = request.headers['x-forwarded-for'];
    const header = Array.isArray(forwarded) ? forwarded.join(',') : forwarded;
    const last = header
      ?.split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '')
      .at(-1);
    return last ?? direct;
  }

  /** Counts a new connection; false when the address is over the limit (the caller refuses it and still calls release). */
  acquire(address: string): boolean {
    const count = (this.open.get(address) ?? 0) + 1;
    this.open.set(address, count);
    return count <= this.config.limits.maxConnectionsPerAddress;
  }

  release(address: string): void {
    const count = (this.open.get(address) ?? 1) - 1;
    if (count <= 0) this.open.delete(address);
    else this.open.set(address, count);
  }
}
