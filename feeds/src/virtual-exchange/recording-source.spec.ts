import { describe, expect, it } from 'vitest';
import type { RecordingEntry } from '../recording/recording-entry';
import { binanceDialect } from './binance';
import { bitfinexDialect } from './bitfinex';
import { coinbaseDialect } from './coinbase';
import type { Dialect } from './dialect';
import type { VenueFrame } from './frame-source';
import { krakenDialect } from './kraken';
import { okxDialect } from './okx';
import { recordedAt, recordingFrameSource } from './recording-source';
import { sharedSource } from './test-support/harness';

async function collect(frames: AsyncIterable<VenueFrame>): Promise<VenueFrame[]> {
  const out: VenueFrame[] = [];
  for await (const frame of frames) out.push(frame);
  return out;
}

/*
 * Counts from each SOURCE.md: the data frames are the received frames minus the control frames
 * the dialect regenerates (acks, heartbeats, status, info, conf).
 */
const RECORDINGS: readonly {
  name: string;
  dialect: () => Dialect;
  files: string[];
  data: number;
  control: number;
  stream: string;
}[] = [
  {
    name: 'Binance spot',
    dialect: () => binanceDialect(),
    files: ['binance/binance-spot-ws.ndjson'],
    data: 265,
    control: 0,
    stream: 'nknusdt@depth@100ms',
  },
  {
    name: 'Binance USD-M',
    dialect: () => binanceDialect({ market: 'usdm' }),
    files: ['binance/binance-usdm-futures-ws.ndjson'],
    data: 1535,
    control: 0,
    stream: 'sushiusdt@aggTrade',
  },
  // 4321 received: 1 systemStatus, 10 subscriptionStatus, 31 heartbeats.
  {
    name: 'Kraken book',
    dialect: () => krakenDialect(),
    files: ['kraken/kraken-v1-book1000.ndjson'],
    data: 4279,
    control: 42,
    stream: 'book-1000:XBT/CHF',
  },
  // 410 received, 18 subscribe acks.
  {
    name: 'OKX',
    dialect: () => okxDialect(),
    files: ['okx/okx-v5-public.ndjson'],
    data: 392,
    control: 18,
    stream: 'books:BTC-USDT',
  },
  // 9946 received, 3 subscriptions replies.
  {
    name: 'Coinbase',
    dialect: () => coinbaseDialect(),
    files: ['coinbase/coinbase-exchange-ws.ndjson'],
    data: 9943,
    control: 3,
    stream: 'level2:SKL-USD',
  },
  // 1693 received: 1 info, 1 conf, 21 subscribed, 42 heartbeats.
  {
    name: 'Bitfinex',
    dialect: () => bitfinexDialect(),
    files: ['bitfinex/bitfinex-v2-ws.ndjson'],
    data: 1628,
    control: 65,
    stream: 'book:tIOTETH',
  },
];

describe('recordingFrameSource', () => {
  it.each(RECORDINGS)('places every frame of the $name capture', async ({ dialect, files, data, control, stream }) => {
    const source = await sharedSource(dialect(), files);
    expect({ unclassified: source.unclassified, reasons: source.unclassifiedReasons }).toEqual({
      unclassified: 0,
      reasons: [],
    });
    expect(source.frameCount).toBe(data);
    expect(source.controlFrames).toBe(control);
    expect(source.streams).toContain(stream);
  });

  it('starts a new pass on every frames() call, in time order', async () => {
    const source = await sharedSource(okxDialect(), ['okx/okx-v5-public.ndjson']);
    const first = await collect(source.frames());
    const second = await collect(source.frames());
    expect(second).toEqual(first);
    expect(first).toHaveLength(392);
    for (let i = 1; i < first.length; i++) expect(first[i]!.time).toBeGreaterThanOrEqual(first[i - 1]!.time);
    expect(source.startTime).toBe(first[0]!.time);
  });

  it('keeps the Bitfinex payload and cuts only the recorded SEQ_ALL number', async () => {
    const source = await sharedSource(bitfinexDialect(), ['bitfinex/bitfinex-v2-ws.ndjson']);
    const frames = await collect(source.frames());
    expect(frames[0]).toMatchObject({
      stream: 'ticker:tBFTUSD',
      data: '[232949,[0.068965,60157.36709703,0.0774,48578.50804052,0.001969,0.0262,0.076989,101459.39453471,0.0828,0.068961]]',
    });
  });

  it('answers REST with the first recorded snapshot at or after now until one is reached, then the live book', async () => {
    const snapshot = (time: number, id: number): RecordingEntry => ({
      kind: 'http',
      time,
      url: 'https://api.binance.com/api/v3/depth?symbol=BTCUSDT&limit=1000',
      status: 200,
      body: `{"lastUpdateId":${id},"bids":[],"asks":[]}`,
    });
    const entries: RecordingEntry[] = [
      { kind: 'open', time: 0, conn: 1, url: 'wss://stream.binance.com:9443/stream?streams=btcusdt@depth' },
      snapshot(20, 2),
      snapshot(10, 1),
    ];
    const source = await recordingFrameSource(binanceDialect(), entries);
    const url = new URL('http://127.0.0.1/api/v3/depth?symbol=BTCUSDT&limit=5000');
    expect(source.http(url, 5)?.body).toBe('{"lastUpdateId":1,"bids":[],"asks":[]}');
    expect(source.http(url, 10)?.body).toContain('"lastUpdateId":1');
    // The live book, seeded from the snapshot reached at 10 (no diffs were published since).
    expect(source.http(url, 15)?.body).toContain('"lastUpdateId":1');
    // A newer recorded snapshot, once reached, seeds the book again.
    expect(source.http(url, 25)?.body).toContain('"lastUpdateId":2');
    expect(source.http(new URL('http://127.0.0.1/api/v3/depth?symbol=ETHUSDT'), 5)?.status).toBe(400);
    expect(source.http(new URL('http://127.0.0.1/api/v3/ticker'), 5)).toBeUndefined();
  });

  it('recordedAt picks the first candidate at or after now, else the last', () => {
    const candidates = [{ time: 10 }, { time: 20 }, { time: 30 }];
    expect(recordedAt(candidates, 0)).toBe(candidates[0]);
    expect(recordedAt(candidates, 20)).toBe(candidates[1]);
    expect(recordedAt(candidates, 21)).toBe(candidates[2]);
    expect(recordedAt(candidates, 99)).toBe(candidates[2]);
    expect(recordedAt<{ time: number }>([], 5)).toBeUndefined();
  });

  it('reports frames a dialect cannot place instead of serving them', async () => {
    const entries: RecordingEntry[] = [
      { kind: 'recv', time: 1, conn: 1, data: '{"arg":{"channel":"books","instId":"BTC-USDT"},"data":[]}' },
      { kind: 'recv', time: 2, conn: 1, data: '{"surprise":true}' },
      { kind: 'recv', time: 3, conn: 1, data: 'pong' },
    ];
    const source = await recordingFrameSource(okxDialect(), entries);
    expect(source.frameCount).toBe(1);
    expect(source.controlFrames).toBe(1);
    expect(source.unclassified).toBe(1);
    expect(source.unclassifiedReasons[0]).toContain('arg');
  });
});
