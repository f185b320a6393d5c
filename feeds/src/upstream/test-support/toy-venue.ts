import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { toDecimal } from '../../decimal';
import type { SessionSink, UpstreamSubscription, VenueAdapter, VenueSession } from '../../adapters/venue-adapter';

/**
 * A toy venue protocol: the client sends "sub <symbols>", the venue sends "trade <symbol> <id>",
 * "shutdown" announces a forced disconnect. Enough to exercise the connection manager alone.
 */
export function toyAdapter(
  url: string,
  expectedIntervalMs: number,
  clientPing?: string,
  extra: { maxMessagesPerSecond?: number; snapshotUrl?: string; answers?: string[]; lifetimeMs?: number } = {},
): VenueAdapter {
  let sessions = 0;
  return {
    ...(extra.lifetimeMs === undefined ? {} : { maxConnectionLifetimeMs: extra.lifetimeMs }),
    ...(extra.maxMessagesPerSecond === undefined ? {} : { maxMessagesPerSecond: extra.maxMessagesPerSecond }),
    venue: 'simulated',
    url: () => url,
    maxSubscriptionsPerConnection: 100,
    heartbeat: {
      expectedIntervalMs,
      ...(clientPing === undefined ? {} : { clientPing: { text: clientPing, intervalMs: expectedIntervalMs } }),
    },
    instrument: () => undefined,
    createSession: (subscriptions: readonly UpstreamSubscription[], sink: SessionSink): VenueSession => {
      const wanted = new Set(subscriptions.map((s) => s.symbol));
      const session = ++sessions;
      const sendWanted = (): void => {
        sink.send(`sub ${[...wanted].sort().join(',')}`);
      };
      return {
        open: () => {
          sendWanted();
          if (extra.snapshotUrl !== undefined) sink.request({ url: extra.snapshotUrl, purpose: 'snapshot' });
        },
        handleFrame: (text, receiveTime) => {
          const [kind, symbol, id] = text.split(' ');
          if (kind === 'trade' && symbol !== undefined && id !== undefined) {
            sink.event({
              type: 'trade',
              venue: 'simulated',
              symbol,
              receiveTime,
              tradeId: id,
              side: 'buy',
              price: toDecimal('1'),
              size: toDecimal('1'),
              venueTime: null,
            });
            sink.account('parsed', 'trade');
          } else if (kind === 'shutdown') {
            sink.replaceConnection('venue announced shutdown');
            sink.account('parsed', 'shutdown');
          } else {
            sink.account('ignored', kind ?? 'empty');
          }
        },
        handleHttp: (_url, status, body) => {
          extra.answers?.push(`session ${session}: ${status} ${body}`);
        },
        close: () => undefined,
        subscribe: (added) => {
          for (const s of added) wanted.add(s.symbol);
          sendWanted();
        },
        unsubscribe: (removed) => {
          for (const s of removed) wanted.delete(s.symbol);
          sendWanted();
        },
      };
    },
  };
}

export async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * A loopback WebSocket server speaking the toy protocol's venue side: it keeps every accepted
 * socket (in order) and every message received as "<socket index>:<text>".
 */
export class LoopbackVenue {
  readonly sockets: WebSocket[] = [];
  readonly received: string[] = [];
  private constructor(
    private readonly server: Server,
    readonly wss: WebSocketServer,
    readonly url: string,
  ) {
    wss.on('connection', (socket) => {
      this.sockets.push(socket);
      socket.on('message', (data: Buffer) =>
        this.received.push(`${this.sockets.indexOf(socket)}:${data.toString('utf8')}`),
      );
    });
  }

  static async start(): Promise<LoopbackVenue> {
    const server = createServer();
    const wss = new WebSocketServer({ server });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new LoopbackVenue(server, wss, `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  }

  async close(): Promise<void> {
    for (const socket of this.wss.clients) socket.terminate();
    this.wss.close();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
