import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { GATEWAY_CONFIG } from '../config/config.tokens';
import type { GatewayConfig } from '../config/gateway-config.schema';

export interface Ticket {
  readonly ticket: string;
  /** Epoch ms after which the ticket is refused. */
  readonly expiresAt: number;
}

/** Most tickets outstanding at once; older ones are dropped first (a client asking too often gets fewer). */
const MAX_TICKETS = 10_000;

/**
 * API keys (configured) and short-lived, single-use tickets bought with a key over REST, so a
 * browser never holds the key itself. Tokens are compared in constant time and never logged.
 */
@Injectable()
export class AuthService {
  private readonly keys: readonly Buffer[];
  private readonly tickets = new Map<string, number>();

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {
    this.keys = config.auth.apiKeys.map((key) => Buffer.from(key));
  }

  get required(): boolean {
    return this.config.auth.required;
  }

  isApiKey(token: string): boolean {
    const candidate = Buffer.from(token);
    let found = false;
    for (const key of this.keys) {
      if (key.length === candidate.length && timingSafeEqual(key, candidate)) found = true;
    }
    return found;
  }

  issueTicket(now = Date.now()): Ticket {
    this.expire(now);
    while (this.tickets.size >= MAX_TICKETS) {
      const oldest = this.tickets.keys().next().value;
      if (oldest === undefined) break;
      this.tickets.delete(oldest);
    }
    const ticket = `tkt_${randomBytes(24).toString('base64url')}`;
    const expiresAt = now + this.config.auth.ticketTtlMs;
    this.tickets.set(ticket, expiresAt);
    return { ticket, expiresAt };
  }

  /** A valid API key, or an unexpired ticket (consumed: a ticket opens one connection). */
  accept(token: string, now = Date.now()): boolean {
    if (this.isApiKey(token)) return true;
    const expiresAt = this.tickets.get(token);
    if (expiresAt === undefined) return false;
    this.tickets.delete(token);
    return expiresAt >= now;
  }

  /** Whether a browser Origin may open the stream (no Origin header: not a browser, allowed). */
  originAllowed(origin: string | undefined): boolean {
    const allowed = this.config.auth.allowedOrigins;
    return origin === undefined || allowed.length === 0 || allowed.includes(origin);
  }

  private expire(now: number): void {
    for (const [ticket, expiresAt] of this.tickets) if (expiresAt < now) this.tickets.delete(ticket);
  }
}
