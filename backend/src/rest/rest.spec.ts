import 'reflect-metadata';
import {
  CHANNELS,
  compareDecimals,
  type DecimalString,
  ERROR_CODES,
  type ErrorMessage,
  type WireBook,
  type WireCandle,
  type WireInstrument,
  type WireStatus,
  type WireTrade,
} from '@tickwire/feeds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedSummary } from '../market/market.service';
import { type RunningGateway, startGateway } from '../test-support/gateway-harness';
import { StreamClient } from '../test-support/stream-client';
import type { GatewayStatus } from './status.controller';

const BTC = 'simulated:BTC-USDT';
const AAPL = 'alpaca:AAPL-USD';
const DECIMAL = /^-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?$/;

/** Polls `probe` until it gives a value (the timeout is only a failure guard). */
async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('REST API over real HTTP', { timeout: 30_000 }, () => {
  let gateway: RunningGateway;
  const get = (path: string): Promise<Response> => fetch(`${gateway.baseUrl}${path}`);
  async function json<T>(path: string, status = 200): Promise<T> {
    const response = await get(path);
    expect(response.status, `${path}: ${response.status}`).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    return (await response.json()) as T;
  }

  beforeAll(async () => {
    gateway = await startGateway({
      feeds: [
        { kind: 'simulated', protocol: 'binance', seed: 7, messagesPerSecond: 400 },
        { kind: 'simulated', protocol: 'alpaca', seed: 3, messagesPerSecond: 100 },
      ],
    });
    // Both feeds live before the reads below.
    await eventually(async () => {
      const response = await get('/api/health');
      const body = (await response.json()) as { status: string };
      return response.status === 200 && body.status === 'ok' ? true : undefined;
    }, 'both feeds live');
  }, 30_000);

  afterAll(async () => {
    await gateway.close();
  });

  it('GET /api/v1/instruments lists the crypto and stock instruments', async () => {
    const instruments = await json<WireInstrument[]>('/api/v1/instruments');
    const keys = instruments.map((instrument) => instrument.instrument).sort();
    expect(keys).toEqual(
      ['alpaca:AAPL-USD', 'alpaca:MSFT-USD', 'alpaca:NVDA-USD', 'alpaca:SPY-USD', BTC, 'simulated:ETH-USDT'].sort(),
    );
    const btc = instruments.find((instrument) => instrument.instrument === BTC);
    expect(btc).toEqual({
      instrument: BTC,
      venue: 'simulated',
      symbol: 'BTC-USDT',
      venueSymbol: 'BTCUSDT',
      base: 'BTC',
      quote: 'USDT',
      kind: 'spot',
      tickSize: '0.01',
      lotSize: '0.00001',
      source: 'simulated',
      channels: ['trades', 'book', 'bbo', 'candles', 'status'],
      increments: 'venue',
    });
    const aapl = instruments.find((instrument) => instrument.instrument === AAPL);
    expect(aapl).toMatchObject({ venue: 'alpaca', symbol: 'AAPL-USD', kind: 'stock', source: 'simulated' });
    expect(aapl?.channels).not.toContain('book');
    expect(aapl?.channels).toContain('bbo');
  });

  it('GET /api/v1/instruments/:instrument gives the instrument with its status; 404 for an unknown one', async () => {
    // The instrument is live once its own book is in sync, which may follow the feed's connection.
    const one = await eventually(async () => {
      const body = await json<WireInstrument & { status: WireStatus }>(`/api/v1/instruments/${BTC}`);
      return body.status.state === 'live' ? body : undefined;
    }, `${BTC} live`);
    expect(one).toMatchObject({ instrument: BTC, venue: 'simulated', kind: 'spot' });
    expect(one.status).toMatchObject({ state: 'live', source: 'simulated' });
    expect(typeof one.status.time).toBe('number');
    for (const unknown of ['simulated:NOPE-USDT', 'nope:BTC-USDT', 'BTC-USDT']) {
      const body = await json<{ statusCode: number; message: string }>(`/api/v1/instruments/${unknown}`, 404);
      expect(body.statusCode).toBe(404);
      expect(body.message).toBe(`no instrument "${unknown}"`);
    }
    await json(`/api/v1/instruments/simulated:NOPE-USDT/book`, 404);
    await json(`/api/v1/instruments/simulated:NOPE-USDT/trades`, 404);
    await json(`/api/v1/instruments/simulated:NOPE-USDT/candles`, 404);
  });

  it('GET /book?depth=5: at most 5 levels a side, bids descending, asks ascending, not crossed', async () => {
    const book = await eventually(async () => {
      const response = await get(`/api/v1/instruments/${BTC}/book?depth=5`);
      if (response.status === 503) return undefined;
      expect(response.status).toBe(200);
      const body = (await response.json()) as WireBook & { status: WireStatus };
      return body.bids.length > 0 && body.asks.length > 0 ? body : undefined;
    }, 'a book with both sides');
    expect(book.bids.length).toBeLessThanOrEqual(5);
    expect(book.asks.length).toBeLessThanOrEqual(5);
    for (const [price, size] of [...book.bids, ...book.asks]) {
      expect(price).toMatch(DECIMAL);
      expect(size).toMatch(DECIMAL);
      expect(compareDecimals(size, '0' as DecimalString)).toBe(1);
    }
    for (let i = 1; i < book.bids.length; i++) {
      expect(compareDecimals(book.bids[i - 1]?.[0] as DecimalString, book.bids[i]?.[0] as DecimalString)).toBe(1);
    }
    for (let i = 1; i < book.asks.length; i++) {
      expect(compareDecimals(book.asks[i - 1]?.[0] as DecimalString, book.asks[i]?.[0] as DecimalString)).toBe(-1);
    }
    expect(compareDecimals(book.bids[0]?.[0] as DecimalString, book.asks[0]?.[0] as DecimalString)).toBe(-1);
    expect(book.status.state).toBe('live');
    expect(typeof book.receiveTime).toBe('number');
    // The simulated book is deeper than 5: the limit is what cut it.
    const deep = await json<WireBook>(`/api/v1/instruments/${BTC}/book?depth=50`);
    expect(deep.bids.length).toBeGreaterThan(5);
    expect(deep.asks.length).toBeGreaterThan(5);
    const one = await json<WireBook>(`/api/v1/instruments/${BTC}/book?depth=1`);
    expect(one.bids).toHaveLength(1);
    expect(one.asks).toHaveLength(1);
  });

  it('GET /book with a bad depth or an unknown parameter is a 400 naming it', async () => {
    for (const query of ['depth=0', 'depth=1001', 'depth=abc', 'depth=2.5', 'depth=-3']) {
      const body = await json<{ statusCode: number; message: string }>(`/api/v1/instruments/${BTC}/book?${query}`, 400);
      expect(body.message, query).toMatch(/^depth: /);
    }
    const unknown = await json<{ message: string }>(`/api/v1/instruments/${BTC}/book?levels=5`, 400);
    expect(unknown.message).toMatch(/levels/);
  });

  it('GET /trades?limit=3: the last 3 trades, oldest first', async () => {
    const trades = await eventually(async () => {
      const list = await json<WireTrade[]>(`/api/v1/instruments/${BTC}/trades?limit=3`);
      expect(list.length).toBeLessThanOrEqual(3);
      return list.length === 3 ? list : undefined;
    }, '3 trades');
    for (const trade of trades) {
      expect(['buy', 'sell']).toContain(trade.side);
      expect(trade.price).toMatch(DECIMAL);
      expect(trade.size).toMatch(DECIMAL);
      expect(typeof trade.id).toBe('string');
      expect(typeof trade.receiveTime).toBe('number');
    }
    for (let i = 1; i < trades.length; i++) {
      expect(trades[i]?.receiveTime).toBeGreaterThanOrEqual(trades[i - 1]?.receiveTime ?? Infinity);
    }
    expect(new Set(trades.map((trade) => trade.id)).size).toBe(3);
    await json(`/api/v1/instruments/${BTC}/trades?limit=0`, 400);
    await json(`/api/v1/instruments/${BTC}/trades?limit=10001`, 400);
  });

  it('GET /candles?interval=1s: oldest first, closed ones marked, at most the open one last', async () => {
    const candles = await eventually(async () => {
      const list = await json<WireCandle[]>(`/api/v1/instruments/${BTC}/candles?interval=1s`);
      return list.filter((candle) => candle.closed).length >= 2 ? list : undefined;
    }, 'two closed 1s candles');
    for (const candle of candles) {
      expect(candle.interval).toBe('1s');
      expect(candle.closeTime - candle.openTime).toBe(1_000_000);
      expect(candle.openTime % 1_000_000).toBe(0);
      for (const value of [candle.open, candle.high, candle.low, candle.close, candle.volume, candle.vwap]) {
        expect(value).toMatch(DECIMAL);
      }
      expect(compareDecimals(candle.low, candle.high)).toBeLessThanOrEqual(0);
      expect(compareDecimals(candle.low, candle.open)).toBeLessThanOrEqual(0);
      expect(compareDecimals(candle.close, candle.high)).toBeLessThanOrEqual(0);
    }
    for (let i = 1; i < candles.length; i++) {
      expect(candles[i]?.openTime).toBeGreaterThan(candles[i - 1]?.openTime ?? Infinity);
    }
    // Only the last one may be open.
    expect(candles.slice(0, -1).every((candle) => candle.closed)).toBe(true);
    const limited = await json<WireCandle[]>(`/api/v1/instruments/${BTC}/candles?interval=1s&limit=1`);
    expect(limited).toHaveLength(1);
  });

  it('GET /candles with an unknown interval is a 400', async () => {
    const body = await json<{ statusCode: number; message: string }>(
      `/api/v1/instruments/${BTC}/candles?interval=7m`,
      400,
    );
    expect(body.message).toMatch(/^interval: /);
  });

  it('stocks have no order book: REST 404 "no order book", WS subscribe book → bad_parameter', async () => {
    const body = await json<{ message: string }>(`/api/v1/instruments/${AAPL}/book`, 404);
    expect(body.message).toBe(`${AAPL} has no order book`);
    const client = await StreamClient.open(gateway.streamUrl);
    try {
      client.send({ op: 'subscribe', id: 1, channel: 'book', instrument: AAPL });
      const error = await client.next<ErrorMessage>((m) => m.type === 'error' && m.id === 1, 'book refused');
      expect(error.code).toBe('bad_parameter');
      expect(error.message).toMatch(/no book channel/);
      // The stock's quotes come on bbo.
      client.send({ op: 'subscribe', id: 2, channel: 'bbo', instrument: AAPL });
      await client.next((m) => m.type === 'ack' && m.id === 2, 'bbo ack');
      await client.next((m) => m.type === 'snapshot' && m.channel === 'bbo' && m.instrument === AAPL, 'bbo snapshot');
    } finally {
      await client.close();
    }
  });

  it('GET /api/v1/status: every feed, connections and streams', async () => {
    const status = await json<GatewayStatus>('/api/v1/status');
    expect(status.apiVersion).toBe(1);
    expect(status.feeds.map((feed) => feed.id).sort()).toEqual(['alpaca', 'simulated']);
    for (const feed of status.feeds) {
      expect(feed).toMatchObject({ source: 'simulated', state: 'live' });
      expect(feed.upstreamConnections).toBeGreaterThanOrEqual(1);
      expect(feed.upstreamSubscriptions).toBeGreaterThan(0);
    }
    expect(status.feeds.find((feed) => feed.id === 'simulated')?.instruments).toBe(2);
    expect(status.feeds.find((feed) => feed.id === 'alpaca')?.instruments).toBe(4);
    expect(typeof status.connections).toBe('number');
    expect(typeof status.channelStreams).toBe('number');
    expect(status.upstreamSubscriptions).toBe(status.feeds.reduce((sum, feed) => sum + feed.upstreamSubscriptions, 0));
  });

  it('GET /api/health is 200 with every feed live; /api/health/live is 200', async () => {
    const health = await json<{ status: string; apiVersion: number; service: string; feeds: FeedSummary[] }>(
      '/api/health',
    );
    expect(health).toMatchObject({ status: 'ok', apiVersion: 1, service: 'tickwire-gateway' });
    expect(health.feeds).toHaveLength(2);
    expect(health.feeds.every((feed) => feed.state === 'live')).toBe(true);
    expect(await json('/api/health/live')).toEqual({ status: 'ok' });
  });

  it('GET /api/metrics counts events in, messages out and rejections by reason', async () => {
    const client = await StreamClient.open(gateway.streamUrl);
    try {
      client.send({ op: 'subscribe', id: 1, channel: 'book', instrument: BTC, intervalMs: 0 });
      await client.next((m) => m.type === 'update' && m.channel === 'book', 'a book update');
      client.send('{not json');
      await client.next((m) => m.type === 'error' && m.code === 'malformed_json', 'malformed_json error');
      const response = await get('/api/metrics');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      const text = await response.text();
      expect(text).toMatch(/^# HELP tickwire_events_in_total /m);
      expect(text).toMatch(/^tickwire_events_in_total\{feed="simulated",type="book_delta"\} [1-9]\d*$/m);
      expect(text).toMatch(/^tickwire_events_in_total\{feed="alpaca",type="bbo"\} [1-9]\d*$/m);
      expect(text).toMatch(/^tickwire_messages_out_total\{channel="book"\} [1-9]\d*$/m);
      expect(text).toMatch(/^tickwire_rejections_total\{reason="malformed_json"\} 1$/m);
      expect(text).toMatch(/^tickwire_client_connections [1-9]\d*$/m);
      expect(text).toMatch(/^tickwire_subscribers\{channel="book"\} 1$/m);
    } finally {
      await client.close();
    }
  });

  it('GET /api/v1/openapi.json is an OpenAPI 3 document with the REST paths', async () => {
    const document = await json<{ openapi: string; paths: Record<string, Record<string, unknown>> }>(
      '/api/v1/openapi.json',
    );
    expect(document.openapi).toMatch(/^3\./);
    for (const path of [
      '/api/v1/instruments',
      '/api/v1/instruments/{instrument}',
      '/api/v1/instruments/{instrument}/book',
      '/api/v1/instruments/{instrument}/trades',
      '/api/v1/instruments/{instrument}/candles',
      '/api/v1/status',
      '/api/health',
    ]) {
      expect(document.paths[path], path).toHaveProperty('get');
    }
    expect(document.paths['/api/v1/tickets']).toHaveProperty('post');
  });

  it('GET /api/v1/asyncapi.json names every channel and every error code of the protocol', async () => {
    const document = await json<Record<string, unknown>>('/api/v1/asyncapi.json');
    expect(document['asyncapi']).toMatch(/^3\./);
    const messages = (
      document['components'] as {
        messages: Record<string, { payload: { properties: Record<string, { enum?: unknown }> } }>;
      }
    ).messages;
    expect(messages['subscribe']?.payload.properties['channel']?.enum).toEqual([...CHANNELS]);
    expect(messages['error']?.payload.properties['code']?.enum).toEqual([...ERROR_CODES]);
    const text = JSON.stringify(document);
    for (const name of [...CHANNELS, ...ERROR_CODES]) expect(text).toContain(`"${name}"`);
    expect(text).toContain('/api/v1/stream');
  });
});
