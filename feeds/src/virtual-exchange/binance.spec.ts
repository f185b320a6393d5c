import { afterEach, describe, expect, it } from 'vitest';
import { binanceDialect } from './binance';
import { Harness, sharedSource } from './test-support/harness';
import { recordedFrames, recordedLines } from './test-support/recorded-lines';

const SPOT_WS = 'binance/binance-spot-ws.ndjson';
const SPOT_REST = 'binance/binance-spot-rest-depth.ndjson';
const FUTURES_WS = 'binance/binance-usdm-futures-ws.ndjson';
const FUTURES_REST = 'binance/binance-usdm-futures-rest-depth.ndjson';

const harness = new Harness();
afterEach(() => harness.cleanup());

/** Recorded combined frames of `streams`, straight from the capture. */
function recordedOf(file: string, streams: readonly string[]): string[] {
  return recordedFrames(file).filter((frame) => streams.includes((JSON.parse(frame) as { stream: string }).stream));
}

/** The bare event inside a recorded combined frame, cut from the text (not re-serialised). */
function dataOf(frame: string): string {
  return frame.slice(frame.indexOf(',"data":') + ',"data":'.length, -1);
}

async function spotExchange(options: Parameters<typeof binanceDialect>[0] = {}, speed: number | 'max' = 'max') {
  const dialect = binanceDialect(options);
  const source = await sharedSource(dialect, [SPOT_WS], SPOT_REST);
  return harness.exchange({ dialect, source, speed });
}

describe('Binance dialect', () => {
  it('serves a combined /stream?streams= connection exactly the recorded frames of its streams', async () => {
    const exchange = await spotExchange();
    const streams = ['nknusdt@depth@100ms', 'blzeth@bookTicker', 'lrcbtc@kline_1m'];
    const client = await harness.client(exchange.url(`/stream?streams=${streams.join('/')}`));
    const expected = recordedOf(SPOT_WS, streams);
    expect(expected.length).toBeGreaterThan(150);
    exchange.start();
    await exchange.finished;
    await client.waitFor(() => client.messages.length >= expected.length, 'all recorded frames');
    expect(client.texts()).toEqual(expected);
  });

  it('serves every frame of the USD-M futures capture byte for byte', async () => {
    const dialect = binanceDialect({ market: 'usdm' });
    const source = await sharedSource(dialect, [FUTURES_WS], FUTURES_REST);
    const exchange = await harness.exchange({ dialect, source, speed: 'max' });
    const expected = recordedFrames(FUTURES_WS);
    const streams = [...new Set(expected.map((frame) => (JSON.parse(frame) as { stream: string }).stream))];
    const client = await harness.client(exchange.url(`/stream?streams=${streams.join('/')}`));
    exchange.start();
    await exchange.finished;
    await client.waitFor(() => client.messages.length >= expected.length, 'all 1535 frames');
    expect(client.messages).toHaveLength(1535);
    expect(client.texts()).toEqual(expected);
    expect(exchange.stats().framesSent['sushiusdt@depth@100ms']).toBe(
      expected.filter((frame) => frame.includes('"stream":"sushiusdt@depth@100ms"')).length,
    );
  });

  it('subscribes a raw /ws connection by SUBSCRIBE message and sends bare events', async () => {
    const exchange = await spotExchange();
    const client = await harness.client(exchange.url('/ws'));
    client.send({ method: 'SUBSCRIBE', params: ['lrcbtc@depth@100ms', 'runeeur@bookTicker'], id: 1 });
    await client.next((text) => text === '{"result":null,"id":1}', 'subscribe ack');
    const expected = recordedOf(SPOT_WS, ['lrcbtc@depth@100ms', 'runeeur@bookTicker']).map(dataOf);
    exchange.start();
    await exchange.finished;
    await client.waitFor(() => client.messages.length >= expected.length + 1, 'all frames');
    expect(client.texts()).toEqual(['{"result":null,"id":1}', ...expected]);
    // Bare events, not envelopes.
    expect(JSON.parse(expected[0]!)).not.toHaveProperty('stream');
  });

  it('stops a stream on UNSUBSCRIBE and lists subscriptions', async () => {
    const exchange = await spotExchange({}, 40);
    const client = await harness.client(exchange.url('/stream?streams=nknusdt@depth@100ms/nknusdt@bookTicker'));
    exchange.start();
    const isDepth = (text: string): boolean => text.startsWith('{"stream":"nknusdt@depth@100ms"');
    await client.waitFor(() => client.texts().filter(isDepth).length >= 10, '10 depth frames');
    client.send({ method: 'UNSUBSCRIBE', params: ['nknusdt@depth@100ms'], id: 312 });
    client.send({ method: 'LIST_SUBSCRIPTIONS', id: 3 });
    const ack = await client.next((text) => text === '{"result":null,"id":312}', 'unsubscribe ack');
    await client.next((text) => text === '{"result":["nknusdt@bookTicker"],"id":3}', 'subscription list');
    await exchange.finished;
    const ackIndex = client.messages.indexOf(ack);
    const after = client.texts().slice(ackIndex + 1);
    expect(after.filter(isDepth)).toEqual([]);
    expect(after.some((text) => text.startsWith('{"stream":"nknusdt@bookTicker"'))).toBe(true);
    expect(client.texts().filter(isDepth).length).toBeLessThan(recordedOf(SPOT_WS, ['nknusdt@depth@100ms']).length);
  });

  it('answers bad requests with Binance error shapes and acks unknown symbols silently', async () => {
    const exchange = await spotExchange({ maxIncomingPerSecond: 100 });
    const client = await harness.client(exchange.url('/ws'));
    client.send({ method: 'SUBSCRIBE', params: ['not a stream'], id: 2 });
    client.send('{"method":"SUBSCRIBE",');
    client.send({ method: 'SUBSCRIB', params: [], id: 4 });
    client.send({ method: 'SUBSCRIBE', params: ['xrpxrp@depth'], id: 5 });
    client.send({ method: 'SUBSCRIBE', params: ['btcusdt@trade'], id: -1 });
    client.send({ method: 'GET_PROPERTY', params: ['combined'], id: 6 });
    client.send({ method: 'SET_PROPERTY', params: ['combined', 'yes'], id: 7 });
    await client.waitFor(() => client.messages.length >= 7, 'seven replies');
    const [invalidStream, badJson, unknownMethod, unknownSymbol, badId, property, badValue] = client.texts();
    expect(invalidStream).toBe('{"error":{"code":2,"msg":"Invalid request: invalid stream"},"id":2}');
    expect(JSON.parse(badJson!)).toEqual({
      error: { code: 3, msg: expect.stringMatching(/^Invalid JSON: expected value at line 1 column \d+$/) as unknown },
      id: null,
    });
    expect(JSON.parse(unknownMethod!)).toMatchObject({ error: { code: 2 }, id: 4 });
    expect(unknownMethod).toContain('unknown variant \\"SUBSCRIB\\", expected one of `SUBSCRIBE`');
    expect(unknownSymbol).toBe('{"result":null,"id":5}');
    expect(badId).toBe(
      '{"error":{"code":2,"msg":"Invalid request: request ID must be an unsigned integer"},"id":null}',
    );
    expect(property).toBe('{"result":false,"id":6}');
    expect(badValue).toBe('{"error":{"code":1,"msg":"Invalid value type: expected Boolean"},"id":7}');
    exchange.start();
    await exchange.finished;
    // The silently accepted unknown symbol delivers nothing; the connection is still up.
    expect(client.messages).toHaveLength(7);
    expect(client.isClosed).toBe(false);
    expect(exchange.stats().clientErrors).toBe(5);
  });

  it('pings every interval and closes a connection that never pongs', async () => {
    const exchange = await spotExchange({ pingIntervalMs: 40, pongTimeoutMs: 150, maxIncomingPerSecond: 1000 });
    const answering = await harness.client(exchange.url('/ws'));
    const silent = await harness.client(exchange.url('/ws'), { autoPong: false });
    const closed = await silent.closed;
    expect(closed.code).toBe(1008);
    expect(closed.reason).toBe('Pong timeout');
    const firstPing = silent.pings[0];
    expect(firstPing).toBeDefined();
    expect(closed.at - firstPing!.at).toBeGreaterThanOrEqual(140);
    await answering.waitFor(() => answering.pings.length >= 8, '8 pings');
    expect(answering.isClosed).toBe(false);
    // Each ping carries a payload (the pong must echo it).
    expect(new Set(answering.pings.map((ping) => ping.payload)).size).toBe(answering.pings.length);
  });

  it('does not count unsolicited pongs: only an echo of the ping payload keeps the connection', async () => {
    const exchange = await spotExchange({ pingIntervalMs: 40, pongTimeoutMs: 150, maxIncomingPerSecond: 1000 });
    const client = await harness.client(exchange.url('/ws'), { autoPong: false });
    const timer = setInterval(() => {
      client.pong('unsolicited');
    }, 20);
    try {
      expect(await client.closed).toMatchObject({ code: 1008, reason: 'Pong timeout' });
    } finally {
      clearInterval(timer);
    }
  });

  it('switches a raw connection to combined envelopes with SET_PROPERTY', async () => {
    const exchange = await spotExchange();
    const client = await harness.client(exchange.url('/ws/runeeur@bookTicker'));
    client.send({ method: 'SET_PROPERTY', params: ['combined', true], id: 1 });
    client.send({ method: 'GET_PROPERTY', params: ['combined'], id: 2 });
    await client.waitFor(() => client.messages.length >= 2, 'two replies');
    expect(client.texts()).toEqual(['{"result":null,"id":1}', '{"result":true,"id":2}']);
    const expected = recordedOf(SPOT_WS, ['runeeur@bookTicker']);
    exchange.start();
    await exchange.finished;
    await client.waitFor(() => client.messages.length >= 2 + expected.length, 'all frames');
    expect(client.texts().slice(2)).toEqual(expected);
  });

  it('disconnects a client that sends more than 5 messages a second', async () => {
    const exchange = await spotExchange();
    const client = await harness.client(exchange.url('/ws'));
    for (let id = 1; id <= 6; id++) client.send({ method: 'LIST_SUBSCRIPTIONS', id });
    const closed = await client.closed;
    expect(closed).toMatchObject({ code: 1008, reason: 'Too many requests' });
    expect(client.texts()).toHaveLength(5);
  });

  it('refuses WebSocket upgrades on paths Binance does not serve', async () => {
    const exchange = await spotExchange();
    await expect(harness.client(exchange.url('/v2/socket'))).rejects.toThrow('HTTP 404');
    expect(exchange.stats().connectionsRejected).toBe(1);
  });

  it('answers REST depth with the recorded snapshot, and unknown symbols with error JSON and 400', async () => {
    const exchange = await spotExchange();
    const recorded = recordedLines(SPOT_REST).find((line) => line.url?.includes('symbol=NKNUSDT'));
    const ok = await fetch(exchange.httpUrl('/api/v3/depth?symbol=NKNUSDT&limit=1000'));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toContain('application/json');
    expect(await ok.text()).toBe(recorded?.frame);
    const unknown = await fetch(exchange.httpUrl('/api/v3/depth?symbol=BTCXYZ'));
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toBe('{"code":-1121,"msg":"Invalid symbol."}');
    const missing = await fetch(exchange.httpUrl('/api/v3/depth'));
    expect(missing.status).toBe(400);
    expect(JSON.parse(await missing.text())).toMatchObject({ code: -1102 });
    expect((await fetch(exchange.httpUrl('/fapi/v1/depth?symbol=NKNUSDT'))).status).toBe(404);
  });

  it('answers USD-M futures REST depth on /fapi/v1/depth', async () => {
    const dialect = binanceDialect({ market: 'usdm' });
    const source = await sharedSource(dialect, [FUTURES_WS], FUTURES_REST);
    const exchange = await harness.exchange({ dialect, source });
    const recorded = recordedLines(FUTURES_REST).find((line) => line.url?.includes('symbol=CTKUSDT'));
    const response = await fetch(exchange.httpUrl('/fapi/v1/depth?symbol=CTKUSDT&limit=1000'));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(recorded?.frame);
    expect((await fetch(exchange.httpUrl('/api/v3/depth?symbol=CTKUSDT'))).status).toBe(404);
  });
});
