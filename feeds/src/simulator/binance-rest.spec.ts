import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { DEPTH_INTERVAL_MICROS, JOURNAL_MICROS } from './market-simulation';
import { createSimulatedVenue, type SimulatedVenue } from './simulated-venue';
import {
  BINANCE_NUMBER,
  canonicalLevels,
  type DepthSnapshotPayload,
  restDepth,
  SymbolReplay,
} from './test-support/binance-replay';

const BASE = 'https://api.binance.com';

function get(venue: SimulatedVenue, path: string, now = venue.config.startTime) {
  return venue.http(new URL(path, BASE), now);
}

function errorOf(venue: SimulatedVenue, path: string): { status: number; code: number; msg: string } {
  const response = get(venue, path);
  if (response === undefined) throw new Error(`${path} is unknown`);
  const body = JSON.parse(response.body) as { code: number; msg: string };
  expect(Object.keys(body)).toEqual(['code', 'msg']);
  return { status: response.status, ...body };
}

describe('GET /api/v3/depth', () => {
  const venue = createSimulatedVenue({ seed: 3, bookLevels: 150 });

  it('answers Binance JSON with the default limit of 100, best first', () => {
    const response = get(venue, '/api/v3/depth?symbol=BTCUSDT');
    expect(response?.status).toBe(200);
    expect(response?.contentType).toMatch(/^application\/json/);
    const body = JSON.parse(response?.body ?? '') as DepthSnapshotPayload;
    expect(Object.keys(body)).toEqual(['lastUpdateId', 'bids', 'asks']);
    expect(Number.isSafeInteger(body.lastUpdateId)).toBe(true);
    expect(body.bids).toHaveLength(100);
    expect(body.asks).toHaveLength(100);
    for (const [price, quantity] of [...body.bids, ...body.asks]) {
      expect(price).toMatch(BINANCE_NUMBER);
      expect(quantity).toMatch(BINANCE_NUMBER);
    }
    const bids = body.bids.map(([price]) => Number(price));
    const asks = body.asks.map(([price]) => Number(price));
    expect(bids).toEqual([...bids].sort((a, b) => b - a));
    expect(asks).toEqual([...asks].sort((a, b) => a - b));
    expect(bids[0]).toBeLessThan(asks[0]!);
    // The start book sits around the configured start price.
    expect(body.asks[0]?.[0]).toBe('60000.00000000');
  });

  it('honours limit, and truncates a limit above 5000 to the whole book as Binance does', () => {
    expect(restDepth(venue, 'ETHUSDT', venue.config.startTime, 7).bids).toHaveLength(7);
    const all = restDepth(venue, 'ETHUSDT', venue.config.startTime, 100_000);
    expect(all.bids).toHaveLength(150);
    expect(all.asks).toHaveLength(150);
  });

  it.each([
    ['/api/v3/depth', -1102, /Mandatory parameter 'symbol'/],
    ['/api/v3/depth?symbol=', -1102, /Mandatory parameter 'symbol'/],
    ['/api/v3/depth?symbol=btcusdt', -1100, /Illegal characters found in parameter 'symbol'/],
    ['/api/v3/depth?symbol=DOGEUSDT', -1121, /^Invalid symbol\.$/],
    ['/api/v3/depth?symbol=BTCUSDT&limit=ten', -1100, /parameter 'limit'/],
    ['/api/v3/depth?symbol=BTCUSDT&limit=-5', -1100, /parameter 'limit'/],
    ['/api/v3/depth?symbol=BTCUSDT&limit=0', -1100, /parameter 'limit'/],
    ['/api/v3/depth?symbol=BTCUSDT&limit=', -1105, /Parameter 'limit' was empty/],
    ['/api/v3/depth?symbol=BTCUSDT&symbol=ETHUSDT', -1101, /Duplicate values/],
    ['/api/v3/depth?symbol=BTCUSDT&depth=5', -1104, /read '1' parameter\(s\) but was sent '2'/],
  ])('%s is a 400 with Binance error %i', (path, code, message) => {
    const error = errorOf(venue, path);
    expect(error.status).toBe(400);
    expect(error.code).toBe(code);
    expect(error.msg).toMatch(message);
  });

  it('leaves unknown paths to the exchange (404) and answers ping and time', () => {
    expect(get(venue, '/api/v3/klines?symbol=BTCUSDT')).toBeUndefined();
    expect(get(venue, '/api/v3/ping')?.body).toBe('{}');
    expect(get(venue, '/api/v3/time', 1_704_067_201_234_567)?.body).toBe('{"serverTime":1704067201234}');
  });
});

describe('GET /api/v3/exchangeInfo', () => {
  const venue = createSimulatedVenue({ generatedSymbols: 2 });

  interface SymbolInfo {
    symbol: string;
    status: string;
    baseAsset: string;
    quoteAsset: string;
    filters: Record<string, string>[];
  }

  function symbolsOf(path: string): SymbolInfo[] {
    const response = get(venue, path);
    expect(response?.status).toBe(200);
    return (JSON.parse(response?.body ?? '') as { symbols: SymbolInfo[] }).symbols;
  }

  it('lists every symbol with its assets, tick size and lot size', () => {
    const symbols = symbolsOf('/api/v3/exchangeInfo');
    expect(symbols.map((info) => info.symbol)).toEqual(['BTCUSDT', 'ETHUSDT', 'SIM001USDT', 'SIM002USDT']);
    const btc = symbols[0]!;
    expect(btc).toMatchObject({ status: 'TRADING', baseAsset: 'BTC', quoteAsset: 'USDT' });
    expect(btc.filters.find((filter) => filter['filterType'] === 'PRICE_FILTER')).toMatchObject({
      minPrice: '0.01000000',
      tickSize: '0.01000000',
    });
    expect(btc.filters.find((filter) => filter['filterType'] === 'LOT_SIZE')).toMatchObject({
      minQty: '0.00001000',
      stepSize: '0.00001000',
    });
    // Generated symbols carry their own, seed-derived grid.
    const generated = venue.symbols[2]!;
    expect(symbols[2]?.filters[0]?.['tickSize']).toBe(new Decimal(generated.tickSize).toFixed(8));
  });

  it('filters by symbol or symbols, with Binance errors', () => {
    expect(symbolsOf('/api/v3/exchangeInfo?symbol=ETHUSDT').map((info) => info.symbol)).toEqual(['ETHUSDT']);
    const both = encodeURIComponent('["SIM002USDT","BTCUSDT"]');
    expect(symbolsOf(`/api/v3/exchangeInfo?symbols=${both}`).map((info) => info.symbol)).toEqual([
      'SIM002USDT',
      'BTCUSDT',
    ]);
    expect(errorOf(venue, '/api/v3/exchangeInfo?symbol=NOPE').code).toBe(-1121);
    expect(errorOf(venue, '/api/v3/exchangeInfo?symbols=BTCUSDT').code).toBe(-1100);
    expect(errorOf(venue, `/api/v3/exchangeInfo?symbol=BTCUSDT&symbols=${both}`).code).toBe(-1128);
  });
});

describe('REST depth as of a time', () => {
  const options = { seed: 11, messagesPerSecond: 2000, bookLevels: 80, generatedSymbols: 1 } as const;

  it(
    'snapshot at T plus the depth updates after it equals the snapshot at T2 (Binance sync)',
    { timeout: 60_000 },
    () => {
      const venue = createSimulatedVenue(options);
      let client: SymbolReplay | undefined;
      let snapshotTime = Infinity;
      let end = Infinity;
      for (const frame of venue.framesSync()) {
        if (frame.time > end) break;
        if (client === undefined && frame.time - venue.config.startTime > 2_345_678) {
          // Mid-window, while the reader is at this frame: the snapshot has every event up to its
          // time, so frames at that time (this one, the rest of its event) are already in it.
          snapshotTime = frame.time;
          client = new SymbolReplay('ETHUSDT', restDepth(venue, 'ETHUSDT', snapshotTime), '0.01', '0.0001');
          end = (Math.floor(frame.time / DEPTH_INTERVAL_MICROS) + 40) * DEPTH_INTERVAL_MICROS;
        }
        if (client !== undefined && frame.time > snapshotTime && frame.stream.startsWith('ethusdt@')) {
          client.apply(frame);
        }
      }
      if (client === undefined) throw new Error('no snapshot taken');
      expect(client.depthUpdates).toBeGreaterThan(30);
      const later = restDepth(venue, 'ETHUSDT', end - 1);
      expect(client.lastUpdateId).toBe(later.lastUpdateId);
      expect(client.book.toSnapshot()).toEqual({
        bids: canonicalLevels(later.bids),
        asks: canonicalLevels(later.asks),
      });
    },
  );

  it(
    'gives the same answer from the live pass (behind or ahead of it) as from a fresh run',
    { timeout: 60_000 },
    () => {
      const live = createSimulatedVenue(options);
      const untouched = createSimulatedVenue(options);
      const reference = [...take(untouched.framesSync(), 30_000)];
      const answers: [now: number, body: string][] = [];
      let index = 0;
      for (const frame of live.framesSync()) {
        expect(frame).toEqual(reference[index]);
        if (++index === reference.length) break;
        if (index % 5000 !== 0) continue;
        // Behind the live pass (undone from its journal), at it, and ahead (the pass is advanced
        // and its frames wait for this reader, who must still get exactly the reference stream).
        for (const now of [frame.time - 3_000, frame.time - 1, frame.time, frame.time + 250_000]) {
          const body = get(live, '/api/v3/depth?symbol=BTCUSDT&limit=1000', now)?.body ?? '';
          answers.push([now, body]);
        }
      }
      expect(answers).toHaveLength(20);
      const fresh = createSimulatedVenue(options);
      for (const [now, body] of answers) {
        expect(get(fresh, '/api/v3/depth?symbol=BTCUSDT&limit=1000', now)?.body).toBe(body);
      }
      // Answers differ over time (the book moves), so the comparison above means something.
      expect(new Set(answers.map(([, body]) => body)).size).toBeGreaterThan(15);
    },
  );

  it('regenerates the run for a time older than the journal keeps', { timeout: 60_000 }, () => {
    const venue = createSimulatedVenue(options);
    const start = venue.config.startTime;
    const early = start + 1_000_000;
    const expected = get(createSimulatedVenue(options), '/api/v3/depth?symbol=SIM001USDT', early)?.body;
    for (const frame of venue.framesSync()) {
      if (frame.time > start + JOURNAL_MICROS + 5_000_000) {
        expect(get(venue, '/api/v3/depth?symbol=SIM001USDT', early)?.body).toBe(expected);
        break;
      }
    }
  });

  it('refuses a time far beyond everything generated (503, Binance -1001) and a non-integer time', () => {
    const venue = createSimulatedVenue(options);
    const response = get(venue, '/api/v3/depth?symbol=BTCUSDT', venue.config.startTime + 3_600_000_000);
    expect(response?.status).toBe(503);
    expect(JSON.parse(response?.body ?? '')).toMatchObject({ code: -1001 });
    expect(() => get(venue, '/api/v3/depth?symbol=BTCUSDT', Number.NaN)).toThrow(RangeError);
    // Within a minute of the generated series it answers (generating up to there).
    expect(get(venue, '/api/v3/depth?symbol=BTCUSDT', venue.config.startTime + 50_000_000)?.status).toBe(200);
  });

  it('answers from the start book before any event', () => {
    const venue = createSimulatedVenue(options);
    const before = restDepth(venue, 'BTCUSDT', venue.config.startTime - 1_000_000);
    expect(restDepth(venue, 'BTCUSDT', venue.config.startTime)).toEqual(before);
  });
});

function* take<T>(items: Iterable<T>, count: number): Generator<T> {
  if (count <= 0) return;
  let taken = 0;
  for (const item of items) {
    yield item;
    if (++taken === count) return;
  }
}
