import type { IncomingMessage } from 'node:http';
import type { INestApplicationContext } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import { API_SUBPROTOCOL, API_TOKEN_PROTOCOL_PREFIX } from '@tickwire/feeds';
import type { ServerOptions, WebSocketServer } from 'ws';
import type { AuthService } from '../auth/auth.service';
import type { LimitsConfig } from '../config/gateway-config.schema';
import type { GatewayMetrics } from '../metrics/gateway-metrics';

/** What the HTTP upgrade established about a connection, read by the gateway on 'connection'. */
export interface UpgradeAuth {
  readonly authenticated: boolean;
}

const upgrades = new WeakMap<IncomingMessage, UpgradeAuth>();

export function upgradeAuthOf(request: IncomingMessage | undefined): UpgradeAuth {
  return (request === undefined ? undefined : upgrades.get(request)) ?? { authenticated: false };
}

/** The subprotocols a client offered (`Sec-WebSocket-Protocol`), trimmed. */
function offeredProtocols(request: IncomingMessage): string[] {
  const header = request.headers['sec-websocket-protocol'];
  if (header === undefined) return [];
  return header
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/**
 * Nest's ws adapter with the gateway's limits and checks at the HTTP upgrade: maxPayload far below
 * ws's 100 MiB default, per-message deflate off (unbounded inflate is a memory hazard), a foreign
 * Origin refused with 403 (cross-site WebSocket hijacking), a bad token with 401. A token rides as
 * the subprotocol `token.<key-or-ticket>` beside `tickwire.v1`; only `tickwire.v1` is echoed, so
 * the token never appears in a response, and it is never logged.
 *
 * Messages are not dispatched through @SubscribeMessage handlers: the gateway reads each socket
 * itself, so every frame, malformed ones included, gets validated and answered.
 */
export class TickwireWsAdapter extends WsAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly settings: { limits: LimitsConfig; auth: AuthService; metrics: GatewayMetrics },
  ) {
    super(app);
  }

  override create(port: number, options: Record<string, unknown> & { path?: string } = {}): WebSocketServer {
    const wsOptions: ServerOptions = {
      maxPayload: this.settings.limits.maxPayloadBytes,
      perMessageDeflate: false,
      verifyClient: (info, done) => {
        this.verify(info.req, info.origin, done);
      },
      handleProtocols: (protocols) => (protocols.has(API_SUBPROTOCOL) ? API_SUBPROTOCOL : false),
    };
    return super.create(port, { ...options, ...wsOptions }) as WebSocketServer;
  }

  override bindMessageHandlers(): void {
    // The gateway attaches its own message listener per socket (see StreamGateway).
  }

  private verify(
    request: IncomingMessage,
    origin: string | undefined,
    done: (result: boolean, code?: number, message?: string) => void,
  ): void {
    const { auth, metrics } = this.settings;
    if (!auth.originAllowed(origin === '' ? undefined : origin)) {
      metrics.rejections.inc({ reason: 'origin' });
      done(false, 403, 'Forbidden');
      return;
    }
    const token = offeredProtocols(request)
      .find((protocol) => protocol.startsWith(API_TOKEN_PROTOCOL_PREFIX))
      ?.slice(API_TOKEN_PROTOCOL_PREFIX.length);
    if (token !== undefined) {
      if (!auth.accept(token)) {
        metrics.rejections.inc({ reason: 'bad_token' });
        done(false, 401, 'Unauthorized');
        return;
      }
      upgrades.set(request, { authenticated: true });
    } else {
      upgrades.set(request, { authenticated: !auth.required });
    }
    done(true);
  }
}
