import 'reflect-metadata';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import type { LoggerService } from '@nestjs/common';
import { API_STREAM_PATH, API_SUBPROTOCOL, CLOSE_CODES, type ErrorMessage, type PongMessage } from '@tickwire/feeds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createApp } from '../app';
import { AuthService } from '../auth/auth.service';
import { validateConfig } from '../config/load-config';
import { type RunningGateway, simulatedConfig, startGateway } from '../test-support/gateway-harness';
import { StreamClient } from '../test-support/stream-client';

const KEY = 'k'.repeat(20);
const WRONG_KEY = 'w'.repeat(20);
const ALLOWED_ORIGIN = 'http://allowed.example';
const BTC = 'simulated:BTC-USDT';
const TIMEOUT = { timeout: 30_000 };

function auth(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { required: true, apiKeys: [KEY], allowedOrigins: [ALLOWED_ORIGIN], ...extra };
}

/** A Nest logger that keeps every line it is given, whatever the level. */
class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];

  log(message: unknown, ...params: unknown[]): void {
    this.add('log', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.add('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.add('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.add('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.add('verbose', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.add('fatal', message, params);
  }

  get text(): string {
    return this.lines.join('\n');
  }

  private add(level: string, message: unknown, params: unknown[]): void {
    const show = (value: unknown): string => (typeof value === 'string' ? value : inspect(value, { depth: 6 }));
    this.lines.push(`[${level}] ${[message, ...params].map(show).join(' ')}`);
  }
}

/** Like startGateway, with every log line captured. */
async function startLoggedGateway(raw: unknown, logger: LoggerService): Promise<RunningGateway> {
  const config = validateConfig(raw);
  const app = await createApp({ config, logger, terminal: false });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return {
    app,
    config,
    baseUrl: `http://127.0.0.1:${port}`,
    streamUrl: `ws://127.0.0.1:${port}${API_STREAM_PATH}`,
    close: () => app.close(),
  };
}

function withToken(token: string): string[] {
  return [API_SUBPROTOCOL, `token.${token}`];
}

async function pingPong(client: StreamClient, id: number): Promise<PongMessage> {
  const from = client.messages.length;
  client.send({ op: 'ping', id });
  return client.next<PongMessage>((m) => m.type === 'pong' && m.id === id, `pong ${id}`, { from });
}

/** Subscribes to the book and waits for its ack and snapshot. */
async function subscribeBook(client: StreamClient, id: number): Promise<void> {
  const from = client.messages.length;
  client.send({ op: 'subscribe', id, channel: 'book', instrument: BTC, depth: 5 });
  await client.next((m) => m.type === 'ack' && m.id === id, `subscribe ack ${id}`, { from });
  await client.next((m) => m.type === 'snapshot' && m.channel === 'book', 'book snapshot', { from });
}

async function postTicket(baseUrl: string, authorization?: string): Promise<Response> {
  return fetch(`${baseUrl}/api/v1/tickets`, {
    method: 'POST',
    headers: authorization === undefined ? {} : { Authorization: authorization },
  });
}

async function ticket(baseUrl: string): Promise<{ ticket: string; expiresAt: number }> {
  const response = await postTicket(baseUrl, `Bearer ${KEY}`);
  expect(response.status).toBe(201);
  return (await response.json()) as { ticket: string; expiresAt: number };
}

describe('stream auth: Origin allow-list, API keys, tickets', TIMEOUT, () => {
  const logger = new CapturingLogger();
  /** Every token this describe used, to check none was logged. */
  const tokens = new Set<string>([KEY, WRONG_KEY]);
  const clients: StreamClient[] = [];
  let gateway: RunningGateway;

  async function open(options: { protocols?: string[]; headers?: Record<string, string> }): Promise<StreamClient> {
    const client = await StreamClient.open(gateway.streamUrl, options);
    clients.push(client);
    return client;
  }

  beforeAll(async () => {
    gateway = await startLoggedGateway(simulatedConfig({ auth: auth() }), logger);
  }, 30_000);

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await gateway.close();
  });

  it('refuses a foreign Origin with HTTP 403 at the upgrade, even with a valid key', async () => {
    await expect(
      StreamClient.open(gateway.streamUrl, { protocols: withToken(KEY), headers: { Origin: 'http://evil.example' } }),
    ).rejects.toThrow('HTTP 403');
    await expect(
      StreamClient.open(gateway.streamUrl, { protocols: withToken(KEY), headers: { Origin: 'null' } }),
    ).rejects.toThrow('HTTP 403');
    // The allow-list is exact: another scheme or port is another origin.
    await expect(
      StreamClient.open(gateway.streamUrl, {
        protocols: withToken(KEY),
        headers: { Origin: 'https://allowed.example' },
      }),
    ).rejects.toThrow('HTTP 403');
  });

  it('accepts the allowed Origin', async () => {
    const client = await open({ protocols: withToken(KEY), headers: { Origin: ALLOWED_ORIGIN } });
    await subscribeBook(client, 1);
  });

  it('accepts a connection without an Origin header (not a browser)', async () => {
    const client = await open({ protocols: withToken(KEY) });
    await subscribeBook(client, 2);
  });

  it('a valid key as subprotocol authenticates; only tickwire.v1 is selected, the token never echoed', async () => {
    const socket = new WebSocket(gateway.streamUrl, withToken(KEY));
    const upgraded = new Promise<IncomingMessage>((resolve, reject) => {
      socket.once('upgrade', resolve);
      socket.once('error', reject);
    });
    const opened = new Promise<void>((resolve) => socket.once('open', () => resolve()));
    const response = await upgraded;
    await opened;
    expect(response.headers['sec-websocket-protocol']).toBe(API_SUBPROTOCOL);
    expect(socket.protocol).toBe(API_SUBPROTOCOL);
    expect(JSON.stringify(response.headers)).not.toContain(KEY);
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.close();
    await closed;

    const client = await open({ protocols: withToken(KEY) });
    expect(client.socket.protocol).toBe(API_SUBPROTOCOL);
    await subscribeBook(client, 3);
    await client.until(() => client.messages.some((m) => m.type === 'update' && m.channel === 'book'), 'a book update');
  });

  it('refuses a bad token with HTTP 401 at the upgrade', async () => {
    await expect(StreamClient.open(gateway.streamUrl, { protocols: withToken(WRONG_KEY) })).rejects.toThrow('HTTP 401');
    await expect(StreamClient.open(gateway.streamUrl, { protocols: withToken('') })).rejects.toThrow('HTTP 401');
  });

  it('without a token: ping works, subscribe gets not_authenticated; {op:auth} with a bad key fails, a good key works', async () => {
    const client = await open({});
    await pingPong(client, 10);
    let from = client.messages.length;
    client.send({ op: 'subscribe', id: 11, channel: 'book', instrument: BTC });
    const refused = await client.next<ErrorMessage>((m) => m.type === 'error' && m.id === 11, 'not_authenticated', {
      from,
    });
    expect(refused.code).toBe('not_authenticated');
    from = client.messages.length;
    client.send({ op: 'unsubscribe', id: 12, channel: 'book', instrument: BTC });
    const unsubscribe = await client.next<ErrorMessage>((m) => m.type === 'error' && m.id === 12, 'error 12', { from });
    expect(unsubscribe.code).toBe('not_authenticated');

    from = client.messages.length;
    client.send({ op: 'auth', id: 13, token: WRONG_KEY });
    const bad = await client.next<ErrorMessage>((m) => m.type === 'error' && m.id === 13, 'bad_token', { from });
    expect(bad.code).toBe('bad_token');
    expect(bad.message).not.toContain(WRONG_KEY);

    from = client.messages.length;
    client.send({ op: 'auth', id: 14, token: KEY });
    const ack = await client.next((m) => m.type === 'ack' && m.id === 14, 'auth ack', { from });
    expect(ack).toEqual({ type: 'ack', id: 14, op: 'auth' });
    expect(JSON.stringify(client.messages)).not.toContain(KEY);
    await subscribeBook(client, 15);
    expect(client.closeCode).toBeUndefined();
  });

  it('POST /api/v1/tickets: 201 with a ticket for a valid key, 401 without or with a wrong one', async () => {
    const before = Date.now();
    const response = await postTicket(gateway.baseUrl, `Bearer ${KEY}`);
    expect(response.status).toBe(201);
    const body = (await response.json()) as { ticket: string; expiresAt: number };
    expect(Object.keys(body).sort()).toEqual(['expiresAt', 'ticket']);
    expect(body.ticket).toMatch(/^tkt_[A-Za-z0-9_-]{32}$/);
    expect(body.ticket).not.toContain(KEY);
    expect(body.expiresAt).toBeGreaterThanOrEqual(before + 30_000);
    expect(body.expiresAt).toBeLessThanOrEqual(Date.now() + 30_000);
    tokens.add(body.ticket);

    for (const authorization of [undefined, `Bearer ${WRONG_KEY}`, KEY, `Basic ${KEY}`, 'Bearer ']) {
      const refused = await postTicket(gateway.baseUrl, authorization);
      expect(refused.status, String(authorization)).toBe(401);
      expect(await refused.text()).not.toContain(KEY);
    }
    // A ticket does not buy tickets.
    expect((await postTicket(gateway.baseUrl, `Bearer ${body.ticket}`)).status).toBe(401);
  });

  it('a ticket opens exactly one connection', async () => {
    const { ticket: token } = await ticket(gateway.baseUrl);
    tokens.add(token);
    const client = await open({ protocols: withToken(token), headers: { Origin: ALLOWED_ORIGIN } });
    expect(client.socket.protocol).toBe(API_SUBPROTOCOL);
    await subscribeBook(client, 20);
    await expect(StreamClient.open(gateway.streamUrl, { protocols: withToken(token) })).rejects.toThrow('HTTP 401');
    // The first connection is unaffected by the refused reuse.
    await pingPong(client, 21);
  });

  it('a ticket also authenticates with {op:auth}, once', async () => {
    const { ticket: token } = await ticket(gateway.baseUrl);
    tokens.add(token);
    const first = await open({});
    first.send({ op: 'auth', id: 30, token });
    await first.next((m) => m.type === 'ack' && m.id === 30, 'auth ack with a ticket');
    await subscribeBook(first, 31);
    const second = await open({});
    second.send({ op: 'auth', id: 32, token });
    const refused = await second.next<ErrorMessage>((m) => m.type === 'error' && m.id === 32, 'reused ticket');
    expect(refused.code).toBe('bad_token');
  });

  it('no token or key appears in anything the gateway logged', () => {
    // The capture works: the gateway did log (its start-up, its routes).
    expect(logger.text).toMatch(/simulated/);
    expect(logger.text).toMatch(/\/api\/v1\/tickets/);
    expect(tokens.size).toBeGreaterThanOrEqual(5);
    for (const token of tokens) expect(logger.text).not.toContain(token);
  });
});

describe('stream auth: expired tickets', TIMEOUT, () => {
  let gateway: RunningGateway;

  beforeAll(async () => {
    gateway = await startGateway(simulatedConfig({ auth: auth({ ticketTtlMs: 50 }) }));
  }, 30_000);

  afterAll(async () => {
    await gateway.close();
  });

  it('refuses a ticket after its expiry, at the upgrade and with {op:auth}', async () => {
    const upgrade = await ticket(gateway.baseUrl);
    const message = await ticket(gateway.baseUrl);
    const expiresAt = Math.max(upgrade.expiresAt, message.expiresAt);
    // Waits for the clock to pass the expiry (a condition, not the assertion).
    while (Date.now() <= expiresAt) await new Promise((resolve) => setTimeout(resolve, 10));
    await expect(StreamClient.open(gateway.streamUrl, { protocols: withToken(upgrade.ticket) })).rejects.toThrow(
      'HTTP 401',
    );
    const client = await StreamClient.open(gateway.streamUrl);
    client.send({ op: 'auth', id: 1, token: message.ticket });
    const refused = await client.next<ErrorMessage>((m) => m.type === 'error' && m.id === 1, 'expired ticket');
    expect(refused.code).toBe('bad_token');
    await client.close();
  });
});

describe('AuthService: ticket expiry and single use, on a given clock', () => {
  const service = new AuthService(validateConfig({ auth: auth({ ticketTtlMs: 1000 }) }));

  it('accepts a ticket up to its expiry, refuses it after', () => {
    const atExpiry = service.issueTicket(10_000);
    expect(atExpiry.expiresAt).toBe(11_000);
    expect(service.accept(atExpiry.ticket, 11_000)).toBe(true);
    const late = service.issueTicket(10_000);
    expect(service.accept(late.ticket, 11_001)).toBe(false);
  });

  it('a ticket is consumed by its first use, even a refused late one', () => {
    const { ticket: token } = service.issueTicket(0);
    expect(service.accept(token, 1)).toBe(true);
    expect(service.accept(token, 2)).toBe(false);
    const late = service.issueTicket(0);
    expect(service.accept(late.ticket, 5000)).toBe(false);
    expect(service.accept(late.ticket, 10)).toBe(false);
  });

  it('API keys do not expire and are not consumed', () => {
    expect(service.accept(KEY, 0)).toBe(true);
    expect(service.accept(KEY, Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(service.accept(WRONG_KEY, 0)).toBe(false);
    expect(service.accept(`${KEY}x`, 0)).toBe(false);
  });
});

describe('stream auth: authentication timeout', TIMEOUT, () => {
  let gateway: RunningGateway;

  beforeAll(async () => {
    gateway = await startGateway(simulatedConfig({ auth: auth(), limits: { authTimeoutMs: 300 } }));
  }, 30_000);

  afterAll(async () => {
    await gateway.close();
  });

  it('closes a socket still unauthenticated after authTimeoutMs with 1008; authenticated ones stay', async () => {
    const authenticated = await StreamClient.open(gateway.streamUrl);
    authenticated.send({ op: 'auth', id: 1, token: KEY });
    const withKey = await StreamClient.open(gateway.streamUrl, { protocols: withToken(KEY) });
    const idle = await StreamClient.open(gateway.streamUrl);
    await idle.closed;
    expect(idle.closeCode).toBe(CLOSE_CODES.policy);
    expect(idle.closeReason).toMatch(/not authenticated/);
    // Their timers were due before the idle one's: they are past them and still served.
    await authenticated.next((m) => m.type === 'ack' && m.id === 1, 'auth ack');
    await pingPong(authenticated, 2);
    await pingPong(withKey, 3);
    expect(authenticated.closeCode).toBeUndefined();
    expect(withKey.closeCode).toBeUndefined();
    await authenticated.close();
    await withKey.close();
  });

  it('pings do not count as authentication', async () => {
    const client = await StreamClient.open(gateway.streamUrl);
    await pingPong(client, 4);
    await client.closed;
    expect(client.closeCode).toBe(CLOSE_CODES.policy);
  });
});
