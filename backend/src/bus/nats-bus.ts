import { connect, Events, headers as natsHeaders, type KV, type Msg, type MsgHdrs, type NatsConnection } from 'nats';
import { type Bus, type BusMessage, type BusReply, NO_HEADERS } from './bus';

/** How long the first connection may take before start-up fails. */
const CONNECT_TIMEOUT_MS = 5000;

/**
 * The bus over NATS (the `nats` client): core NATS publish/subscribe and request/reply, at most
 * once (a message published while the link is down, or to a slow consumer the server cuts off, may
 * be lost: Tickwire's per-channel seq detects that). Reconnects forever; JetStream KV for leases.
 */
export class NatsBus implements Bus {
  private readonly reconnectListeners = new Set<() => void>();

  private constructor(readonly connection: NatsConnection) {
    void this.watchStatus();
  }

  static async connect(servers: string, name: string): Promise<NatsBus> {
    const connection = await connect({
      servers: servers.split(',').map((server) => server.trim()),
      name,
      timeout: CONNECT_TIMEOUT_MS,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      reconnectJitter: 100,
      pingInterval: 2000,
      maxPingOut: 2,
    });
    return new NatsBus(connection);
  }

  publish(subject: string, data: Uint8Array, headers: Readonly<Record<string, string>> = NO_HEADERS): void {
    if (this.connection.isClosed()) return;
    this.connection.publish(subject, data, { headers: toHeaders(headers) });
  }

  subscribe(subject: string, handler: (message: BusMessage) => void): () => void {
    const subscription = this.connection.subscribe(subject, {
      callback: (error, message) => {
        if (error === null) handler(fromMsg(message));
      },
    });
    return () => {
      if (!this.connection.isClosed()) subscription.unsubscribe();
    };
  }

  serve(subject: string, handler: (message: BusMessage) => BusReply | undefined): () => void {
    const subscription = this.connection.subscribe(subject, {
      callback: (error, message) => {
        if (error !== null) return;
        const reply = handler(fromMsg(message));
        if (reply !== undefined) message.respond(reply.data, { headers: toHeaders(reply.headers ?? NO_HEADERS) });
      },
    });
    return () => {
      if (!this.connection.isClosed()) subscription.unsubscribe();
    };
  }

  async request(subject: string, data: Uint8Array, timeoutMs: number): Promise<BusMessage> {
    return fromMsg(await this.connection.request(subject, data, { timeout: timeoutMs }));
  }

  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => {
      this.reconnectListeners.delete(listener);
    };
  }

  /** A JetStream KV bucket whose entries lapse `ttlMs` after their last write (created when missing). */
  kv(bucket: string, ttlMs: number): Promise<KV> {
    return this.connection.jetstream().views.kv(bucket, { ttl: ttlMs, history: 1 });
  }

  async close(): Promise<void> {
    if (this.connection.isClosed()) return;
    await this.connection.close();
  }

  private async watchStatus(): Promise<void> {
    for await (const status of this.connection.status()) {
      if (status.type === Events.Reconnect) for (const listener of [...this.reconnectListeners]) listener();
    }
  }
}

function toHeaders(headers: Readonly<Record<string, string>>): MsgHdrs | undefined {
  const keys = Object.keys(headers);
  if (keys.length === 0) return undefined;
  const result = natsHeaders();
  for (const key of keys) result.set(key, headers[key] as string);
  return result;
}

function fromMsg(message: Msg): BusMessage {
  const headers: Record<string, string> = {};
  if (message.headers !== undefined) for (const [key, values] of message.headers) headers[key] = values[0] ?? '';
  return { subject: message.subject, data: message.data, headers };
}
