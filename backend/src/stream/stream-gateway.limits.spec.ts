import 'reflect-metadata';
import type { IncomingMessage } from 'node:http';
import {
  API_SUBPROTOCOL,
  CLOSE_CODES,
  type ErrorCode,
  type ErrorMessage,
  type PongMessage,
  type ServerMessage,
  type SnapshotMessage,
  type UpdateMessage,
  type WireBook,
} from '@tickwire/feeds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type RunningGateway, simulatedConfig, startGateway } from '../test-support/gateway-harness';
import { StreamClient } from '../test-support/stream-client';

const BTC = 'simulated:BTC-USDT';
const TIMEOUT = { timeout: 30_000 };

let nextId = 1000;

/** Sends a ping and waits for its pong: the connection is up and still answering. */
async function pingPong(client: StreamClient): Promise<PongMessage> {
  const id = nextId++;
  const from = client.messages.length;
  client.send({ op: 'ping', id });
  return client.next<PongMessage>((m) => m.type === 'pong' && m.id === id, `pong ${id}`, { from });
}

/** Sends `message` and waits for the error it must get; then checks the connection still answers a ping. */
async function expectError(
  client: StreamClient,
  message: unknown,
  code: ErrorCode,
  options: { binary?: boolean } = {},
): Promise<ErrorMessage> {
  const from = client.messages.length;
  if (options.binary === true) client.socket.send(Buffer.from(JSON.stringify(message)), { binary: true });
  else client.send(message);
  const error = await client.next<ErrorMessage>((m) => m.type === 'error', `error ${code}`, { from });
  expect(error.code, error.message).toBe(code);
  expect(error.message.length).toBeGreaterThan(0);
  expect(client.socket.readyState).toBe(WebSocket.OPEN);
  await pingPong(client);
  expect(client.closeCode).toBeUndefined();
  return error;
}

function channelMessages(
  client: StreamClient,
  channel: string,
  params?: Record<string, unknown>,
): (SnapshotMessage | UpdateMessage)[] {
  return client.messages.filter(
    (m): m is SnapshotMessage | UpdateMessage =>
      (m.type === 'snapshot' || m.type === 'update') &&
      m.channel === channel &&
      (params === undefined || JSON.stringify(m.params) === JSON.stringify(params)),
  );
}

function isType<T extends ServerMessage['type']>(type: T) {
  return (m: ServerMessage): m is Extract<ServerMessage, { type: T }> => m.type === type;
}

describe('stream: every error reply keeps the connection open', TIMEOUT, () => {
  let gateway: RunningGateway;
  let client: StreamClient;

  beforeAll(async () => {
    gateway = await startGateway(simulatedConfig({ limits: { maxBookDepth: 50 } }));
    client = await StreamClient.open(gateway.streamUrl);
  }, 30_000);

  afterAll(async () => {
    await client.close();
    await gateway.close();
  });

  it('malformed JSON', async () => {
    const error = await expectError(client, '{"op":"ping",', 'malformed_json');
    expect(error.id).toBeUndefined();
  });

  it('a JSON value that is not an object', async () => {
    await expectError(client, '[1,2,3]', 'invalid_message');
  });

  it('an unknown op, with the id echoed', async () => {
    const error = await expectError(client, { op: 'subscrib', id: 11 }, 'unknown_op');
    expect(error.id).toBe(11);
    expect(error.message).toContain('subscrib');
  });

  it('an unknown field', async () => {
    const error = await expectError(client, { op: 'ping', id: 12, verbose: true }, 'invalid_message');
    expect(error.id).toBe(12);
  });

  it('an unknown venue', async () => {
    const error = await expectError(
      client,
      { op: 'subscribe', id: 13, channel: 'book', instrument: 'nope:BTC-USDT' },
      'unknown_venue',
    );
    expect(error.id).toBe(13);
    expect(error.message).toContain('"nope"');
    await expectError(client, { op: 'subscribe', channel: 'trades', instrument: 'BTC-USDT' }, 'unknown_venue');
  });

  it('an unknown instrument of a known venue', async () => {
    const error = await expectError(
      client,
      { op: 'subscribe', id: 14, channel: 'book', instrument: 'simulated:NOPE-USDT' },
      'unknown_instrument',
    );
    expect(error.id).toBe(14);
    expect(error.message).toContain('simulated:NOPE-USDT');
  });

  it('an unknown channel', async () => {
    const error = await expectError(
      client,
      { op: 'subscribe', id: 15, channel: 'orders', instrument: BTC },
      'unknown_channel',
    );
    expect(error.id).toBe(15);
  });

  it('bad parameters: depth 0, depth above the gateway maximum and the API maximum', async () => {
    const zero = await expectError(
      client,
      { op: 'subscribe', id: 16, channel: 'book', instrument: BTC, depth: 0 },
      'bad_parameter',
    );
    expect(zero.id).toBe(16);
    expect(zero.message).toMatch(/^depth/);
    const aboveGateway = await expectError(
      client,
      { op: 'subscribe', id: 17, channel: 'book', instrument: BTC, depth: 51 },
      'bad_parameter',
    );
    expect(aboveGateway.message).toBe('depth: at most 50 on this gateway');
    await expectError(client, { op: 'subscribe', channel: 'book', instrument: BTC, depth: 1001 }, 'bad_parameter');
  });

  it('bad parameters: intervalMs 10, interval 2m, depth on trades, intervalMs on status, an instrument on instruments', async () => {
    const interval = await expectError(
      client,
      { op: 'subscribe', id: 18, channel: 'book', instrument: BTC, intervalMs: 10 },
      'bad_parameter',
    );
    expect(interval.message).toMatch(/^intervalMs/);
    const candle = await expectError(
      client,
      { op: 'subscribe', id: 19, channel: 'candles', instrument: BTC, interval: '2m' },
      'bad_parameter',
    );
    expect(candle.message).toMatch(/^interval/);
    const misplaced = await expectError(
      client,
      { op: 'subscribe', id: 20, channel: 'trades', instrument: BTC, depth: 5 },
      'bad_parameter',
    );
    expect(misplaced.message).toBe('depth applies to book only');
    await expectError(
      client,
      { op: 'subscribe', channel: 'status', instrument: BTC, intervalMs: 100 },
      'bad_parameter',
    );
    await expectError(client, { op: 'subscribe', channel: 'instruments', instrument: BTC }, 'bad_parameter');
    await expectError(client, { op: 'subscribe', channel: 'book' }, 'bad_parameter');
  });

  it('unsubscribe of a channel not subscribed, or with other parameters', async () => {
    const error = await expectError(
      client,
      { op: 'unsubscribe', id: 21, channel: 'trades', instrument: BTC },
      'not_subscribed',
    );
    expect(error.id).toBe(21);
    const from = client.messages.length;
    client.send({ op: 'subscribe', id: 22, channel: 'book', instrument: BTC, depth: 7 });
    await client.next((m) => m.type === 'ack' && m.id === 22, 'ack 22', { from });
    await expectError(client, { op: 'unsubscribe', channel: 'book', instrument: BTC, depth: 8 }, 'not_subscribed');
    const before = client.messages.length;
    client.send({ op: 'unsubscribe', id: 23, channel: 'book', instrument: BTC, depth: 7 });
    await client.next((m) => m.type === 'ack' && m.id === 23 && m.op === 'unsubscribe', 'unsubscribe ack', {
      from: before,
    });
    await expectError(client, { op: 'unsubscribe', channel: 'book', instrument: BTC, depth: 7 }, 'not_subscribed');
  });

  it('a binary frame is refused as invalid_message', async () => {
    const error = await expectError(client, { op: 'ping', id: 24 }, 'invalid_message', { binary: true });
    expect(error.message).toMatch(/binary/);
  });

  it('every refusal is counted by reason in the metrics', async () => {
    const text = await (await fetch(`${gateway.baseUrl}/api/metrics`)).text();
    for (const reason of ['malformed_json', 'unknown_op', 'unknown_venue', 'unknown_instrument', 'not_subscribed']) {
      expect(text).toMatch(new RegExp(`tickwire_rejections_total\\{reason="${reason}"\\} [1-9]`));
    }
  });
});

describe('stream: ping, heartbeat, ack, snapshot and sequence', TIMEOUT, () => {
  let gateway: RunningGateway;
  let client: StreamClient;

  beforeAll(async () => {
    gateway = await startGateway(simulatedConfig({ limits: { heartbeatMs: 150 } }));
    client = await StreamClient.open(gateway.streamUrl);
  }, 30_000);

  afterAll(async () => {
    await client.close();
    await gateway.close();
  });

  it('answers a ping with a pong carrying its id and the gateway time', async () => {
    const before = Date.now() * 1000;
    const pong = await pingPong(client);
    expect(pong.time).toBeGreaterThanOrEqual(before);
    expect(pong.time).toBeLessThanOrEqual(Date.now() * 1000);
    const from = client.messages.length;
    client.send({ op: 'ping' });
    const bare = await client.next<PongMessage>((m) => m.type === 'pong', 'pong without id', { from });
    expect('id' in bare).toBe(false);
  });

  it('sends heartbeats at the configured interval', async () => {
    const from = client.messages.length;
    const first = await client.next(isType('heartbeat'), 'a heartbeat', { from });
    const second = await client.next((m) => m.type === 'heartbeat' && m !== first, 'a second heartbeat', {
      from: client.messages.indexOf(first) + 1,
    });
    if (first.type !== 'heartbeat' || second.type !== 'heartbeat') throw new Error('not heartbeats');
    expect(second.time).toBeGreaterThan(first.time);
    expect(client.closeCode).toBeUndefined();
  });

  it('subscribe: the ack, then the snapshot, then updates each one seq more', async () => {
    const from = client.messages.length;
    client.send({ op: 'subscribe', id: 1, channel: 'book', instrument: BTC, depth: 10, intervalMs: 0 });
    const params = { depth: 10, intervalMs: 0 };
    await client.until(
      () => channelMessages(client, 'book', params).filter((m) => m.type === 'update').length >= 20,
      '20 book updates',
    );
    const received = client.messages.slice(from);
    const ackAt = received.findIndex((m) => m.type === 'ack' && m.id === 1);
    expect(received[ackAt]).toEqual({ type: 'ack', id: 1, op: 'subscribe', channel: 'book', instrument: BTC, params });
    const book = received.filter(
      (m): m is SnapshotMessage | UpdateMessage =>
        (m.type === 'snapshot' || m.type === 'update') && m.channel === 'book',
    );
    const snapshot = book[0];
    if (snapshot?.type !== 'snapshot')
      throw new Error(`the first book message is not a snapshot: ${JSON.stringify(snapshot)}`);
    expect(received.indexOf(snapshot)).toBe(ackAt + 1);
    expect(snapshot).toMatchObject({ channel: 'book', instrument: BTC, params });
    expect(Number.isInteger(snapshot.seq)).toBe(true);
    const data = snapshot.data as WireBook;
    expect(data.bids.length).toBeLessThanOrEqual(10);
    expect(data.asks.length).toBeLessThanOrEqual(10);
    const updates = book.slice(1);
    expect(updates.every((m) => m.type === 'update')).toBe(true);
    updates.forEach((update, index) => {
      expect(update.seq).toBe(snapshot.seq + index + 1);
    });
  });

  it('re-subscribing the same channel gives a fresh snapshot at the current seq, and no duplicate stream', async () => {
    const params = { depth: 10, intervalMs: 0 };
    const from = client.messages.length;
    client.send({ op: 'subscribe', id: 2, channel: 'book', instrument: BTC, depth: 10, intervalMs: 0 });
    const ack = await client.next((m) => m.type === 'ack' && m.id === 2, 'ack 2', { from });
    const ackAt = client.messages.indexOf(ack);
    const snapshot = client.messages[ackAt + 1];
    if (snapshot?.type !== 'snapshot') throw new Error(`no snapshot after the ack: ${JSON.stringify(snapshot)}`);
    expect(snapshot).toMatchObject({ channel: 'book', instrument: BTC, params });
    // The snapshot is at the seq of the last update this client got before it.
    const earlier = channelMessages(client, 'book', params).filter((m) => client.messages.indexOf(m) < ackAt);
    const lastBefore = earlier[earlier.length - 1];
    if (lastBefore === undefined) throw new Error('no earlier book message');
    expect(snapshot.seq).toBe(lastBefore.seq);
    await client.until(
      () => channelMessages(client, 'book', params).filter((m) => client.messages.indexOf(m) > ackAt + 1).length >= 10,
      '10 updates after the fresh snapshot',
    );
    const after = channelMessages(client, 'book', params).filter((m) => client.messages.indexOf(m) > ackAt + 1);
    after.forEach((update, index) => {
      expect(update.type).toBe('update');
      expect(update.seq).toBe(snapshot.seq + index + 1);
    });
    const status = (await (await fetch(`${gateway.baseUrl}/api/v1/status`)).json()) as { channelStreams: number };
    expect(status.channelStreams).toBe(1);
  });

  it('after an unsubscribe ack no update of that channel arrives', async () => {
    const old = { depth: 10, intervalMs: 0 };
    const from = client.messages.length;
    client.send({ op: 'unsubscribe', id: 3, channel: 'book', instrument: BTC, depth: 10, intervalMs: 0 });
    const ack = await client.next((m) => m.type === 'ack' && m.id === 3, 'unsubscribe ack', { from });
    expect(ack).toEqual({ type: 'ack', id: 3, op: 'unsubscribe', channel: 'book', instrument: BTC, params: old });
    const ackAt = client.messages.indexOf(ack);
    const fresh = { depth: 5, intervalMs: 0 };
    client.send({ op: 'subscribe', id: 4, channel: 'book', instrument: BTC, ...fresh });
    await client.until(
      () => channelMessages(client, 'book', fresh).filter((m) => m.type === 'update').length >= 10,
      '10 updates of the other book stream',
    );
    expect(channelMessages(client, 'book', old).filter((m) => client.messages.indexOf(m) > ackAt)).toEqual([]);
  });
});

describe('stream: max subscriptions per connection', TIMEOUT, () => {
  let gateway: RunningGateway;
  let client: StreamClient;

  beforeAll(async () => {
    gateway = await startGateway(simulatedConfig({ limits: { maxSubscriptionsPerConnection: 3 } }));
    client = await StreamClient.open(gateway.streamUrl);
  }, 30_000);

  afterAll(async () => {
    await client.close();
    await gateway.close();
  });

  it('the excess subscription gets too_many_subscriptions; the connection and the earlier subscriptions go on', async () => {
    const requests = [
      { op: 'subscribe', id: 1, channel: 'book', instrument: BTC, intervalMs: 0 },
      { op: 'subscribe', id: 2, channel: 'status', instrument: BTC },
      { op: 'subscribe', id: 3, channel: 'instruments' },
    ];
    for (const request of requests) client.send(request);
    await client.until(
      () => [1, 2, 3].every((id) => client.messages.some((m) => m.type === 'ack' && m.id === id)),
      'three acks',
    );
    const error = await expectError(
      client,
      { op: 'subscribe', id: 4, channel: 'trades', instrument: BTC },
      'too_many_subscriptions',
    );
    expect(error.id).toBe(4);
    expect(error.message).toContain('3');
    expect(client.messages.some((m) => m.type === 'ack' && m.id === 4)).toBe(false);
    // Re-subscribing an existing one is not an extra subscription: a fresh snapshot.
    const from = client.messages.length;
    client.send({ op: 'subscribe', id: 5, channel: 'status', instrument: BTC });
    await client.next((m) => m.type === 'ack' && m.id === 5, 'ack 5', { from });
    await client.next((m) => m.type === 'snapshot' && m.channel === 'status', 'status snapshot', { from });
    // The earlier book subscription still delivers.
    const errorAt = client.messages.indexOf(error);
    await client.until(
      () => client.messages.slice(errorAt).filter((m) => m.type === 'update' && m.channel === 'book').length >= 3,
      'book updates after the refusal',
    );
    // One freed slot is usable again.
    client.send({ op: 'unsubscribe', id: 6, channel: 'instruments' });
    client.send({ op: 'subscribe', id: 7, channel: 'trades', instrument: BTC });
    await client.next((m) => m.type === 'ack' && m.id === 7, 'ack 7 after a slot freed', { from });
    expect(client.closeCode).toBeUndefined();
  });
});

describe('stream: max message size', TIMEOUT, () => {
  let gateway: RunningGateway;

  beforeAll(async () => {
    gateway = await startGateway(simulatedConfig({ limits: { maxPayloadBytes: 1024 } }));
  }, 30_000);

  afterAll(async () => {
    await gateway.close();
  });

  it('a message of exactly the limit is read', async () => {
    const client = await StreamClient.open(gateway.streamUrl);
    const text = JSON.stringify({ op: 'ping', id: 1 });
    client.send(text + ' '.repeat(1024 - Buffer.byteLength(text)));
    await client.next((m) => m.type === 'pong' && m.id === 1, 'pong of a 1024-byte message');
    await client.close();
  });

  it('a message larger than the limit closes the connection with 1009', async () => {
    const client = await StreamClient.open(gateway.streamUrl);
    await pingPong(client);
    client.send(JSON.stringify({ op: 'ping', id: 2, pad: 'x'.repeat(2000) }));
    await client.closed;
    expect(client.closeCode).toBe(CLOSE_CODES.messageTooBig);
    expect(client.messages.some((m) => m.type === 'pong' && m.id === 2)).toBe(false);
    // Other clients are not affected.
    const other = await StreamClient.open(gateway.streamUrl);
    await pingPong(other);
    await other.close();
  });
});

describe('stream: client message rate', TIMEOUT, () => {
  let gateway: RunningGateway;

  beforeAll(async () => {
    gateway = await startGateway(simulatedConfig({ limits: { maxMessagesPerSecond: 5, messageBurst: 10 } }));
  }, 30_000);

  afterAll(async () => {
    await gateway.close();
  });

  it('a burst beyond the limit closes the connection with 4008 after answering the allowed ones', async () => {
    const client = await StreamClient.open(gateway.streamUrl);
    for (let id = 1; id <= 40; id++) client.send({ op: 'ping', id });
    await client.closed;
    expect(client.closeCode).toBe(CLOSE_CODES.rateLimited);
    const pongs = client.messages.filter((m) => m.type === 'pong');
    expect(pongs.length).toBeGreaterThanOrEqual(10);
    expect(pongs.length).toBeLessThan(40);
    expect(pongs.map((m) => m.id)).toEqual(pongs.map((_, index) => index + 1));
    const text = await (await fetch(`${gateway.baseUrl}/api/metrics`)).text();
    expect(text).toMatch(/tickwire_rejections_total\{reason="rate"\} 1/);
  });

  it('messages within the burst keep the connection open', async () => {
    const client = await StreamClient.open(gateway.streamUrl);
    for (let id = 1; id <= 8; id++) client.send({ op: 'ping', id });
    await client.until(() => client.messages.filter((m) => m.type === 'pong').length === 8, 'eight pongs');
    expect(client.closeCode).toBeUndefined();
    await client.close();
  });
});

describe('stream: connections per address', TIMEOUT, () => {
  let gateway: RunningGateway;
  const clients: StreamClient[] = [];

  beforeAll(async () => {
    gateway = await startGateway(simulatedConfig({ limits: { maxConnectionsPerAddress: 3 } }));
  }, 30_000);

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await gateway.close();
  });

  it('the connections beyond the limit are closed with 4029, the others go on', async () => {
    for (let i = 0; i < 3; i++) clients.push(await StreamClient.open(gateway.streamUrl));
    const excess = [await StreamClient.open(gateway.streamUrl), await StreamClient.open(gateway.streamUrl)];
    clients.push(...excess);
    await Promise.all(excess.map((client) => client.closed));
    for (const client of excess) expect(client.closeCode).toBe(CLOSE_CODES.tooManyConnections);
    for (const client of clients.slice(0, 3)) {
      await pingPong(client);
      expect(client.closeCode).toBeUndefined();
    }
    // A closed connection frees its place.
    await clients[0]?.close();
    const replacement = await StreamClient.open(gateway.streamUrl);
    clients.push(replacement);
    await pingPong(replacement);
    expect(replacement.closeCode).toBeUndefined();
  });
});

describe('stream: per-message deflate is off', TIMEOUT, () => {
  let gateway: RunningGateway;

  beforeAll(async () => {
    gateway = await startGateway(simulatedConfig());
  }, 30_000);

  afterAll(async () => {
    await gateway.close();
  });

  it('is not negotiated even when the client offers it', async () => {
    const socket = new WebSocket(gateway.streamUrl, [API_SUBPROTOCOL], {
      perMessageDeflate: { clientNoContextTakeover: true, serverNoContextTakeover: true },
    });
    const upgraded = new Promise<IncomingMessage>((resolve, reject) => {
      socket.once('upgrade', resolve);
      socket.once('error', reject);
    });
    const opened = new Promise<void>((resolve) => socket.once('open', () => resolve()));
    const response = await upgraded;
    await opened;
    expect(response.headers['sec-websocket-extensions']).toBeUndefined();
    expect(socket.extensions).toBe('');
    expect(socket.protocol).toBe(API_SUBPROTOCOL);
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.close();
    await closed;
  });

  it('the harness client (which offers deflate by default) gets none either', async () => {
    const client = await StreamClient.open(gateway.streamUrl);
    expect(client.socket.extensions).toBe('');
    await client.close();
  });
});
