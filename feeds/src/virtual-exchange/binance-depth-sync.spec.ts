import { describe, expect, it } from 'vitest';
import type { RecordingEntry } from '../recording/recording-entry';
import { binanceDialect } from './binance';
import { BinanceDepthSync, type DepthDiff, type DepthSnapshot } from './binance-depth-sync';
import { recordingFrameSource } from './recording-source';

const snapshot = (time: number, lastUpdateId: number, bid = '1.00'): DepthSnapshot => ({
  time,
  lastUpdateId,
  T: undefined,
  bids: [[bid, '5']],
  asks: [['2.00', '5']],
});

const diff = (U: number, u: number, bid: string, pu?: number): DepthDiff => ({
  U,
  u,
  pu,
  T: undefined,
  bids: [[bid, '1']],
  asks: [],
});

const bids = (sync: BinanceDepthSync): string[] => sync.top('bid', 10).map((level) => level.wirePrice);

describe("BinanceDepthSync (the exchange's own book of one symbol)", () => {
  it('spot: buffers until the snapshot is reached, applies what bridges it, and follows U/u', () => {
    const sync = new BinanceDepthSync('spot', [snapshot(100, 10)]);
    sync.onDiff(diff(8, 9, '0.90'));
    sync.onDiff(diff(10, 11, '0.91'));
    sync.advance(99);
    expect(sync.live).toBe(false);
    sync.advance(100);
    expect(sync.live).toBe(true);
    expect(sync.lastUpdateId).toBe(11);
    // u <= lastUpdateId: already in the book.
    sync.onDiff(diff(9, 11, '0.99'));
    sync.onDiff(diff(12, 14, '0.92'));
    expect(bids(sync)).toEqual(['1.00', '0.92', '0.91']);
    expect(sync.lastUpdateId).toBe(14);
  });

  it('spot: a gap in the published diffs makes the book unknown until a newer snapshot is reached', () => {
    const sync = new BinanceDepthSync('spot', [snapshot(100, 10), snapshot(200, 20, '1.50')]);
    sync.advance(100);
    sync.onDiff(diff(11, 12, '0.91'));
    sync.onDiff(diff(14, 15, '0.92'));
    expect(sync.live).toBe(false);
    sync.onDiff(diff(16, 21, '0.93'));
    sync.advance(200);
    expect(sync.live).toBe(true);
    expect(bids(sync)).toEqual(['1.50', '0.93']);
    expect(sync.lastUpdateId).toBe(21);
  });

  it('spot: a later recorded snapshot seeds again only when it is newer than the live book', () => {
    const sync = new BinanceDepthSync('spot', [
      snapshot(100, 10),
      snapshot(200, 12, '1.50'),
      snapshot(300, 30, '1.70'),
    ]);
    sync.advance(100);
    sync.onDiff(diff(11, 15, '0.91'));
    sync.advance(200);
    expect(bids(sync)).toEqual(['1.00', '0.91']);
    sync.advance(300);
    expect(bids(sync)).toEqual(['1.70']);
    expect(sync.lastUpdateId).toBe(30);
  });

  it('usdm: the first event may end at lastUpdateId, then pu must chain; a broken chain loses the book', () => {
    const sync = new BinanceDepthSync('usdm', [snapshot(100, 50)]);
    sync.advance(100);
    sync.onDiff(diff(30, 40, '0.80'));
    sync.onDiff(diff(45, 50, '0.90', 40));
    expect(bids(sync)).toEqual(['1.00', '0.90']);
    sync.onDiff(diff(45, 50, '0.90', 40)); // a repeat of the last event is stale, not a gap
    sync.onDiff(diff(60, 70, '0.91', 50));
    expect(sync.lastUpdateId).toBe(70);
    sync.onDiff(diff(80, 90, '0.92', 75));
    expect(sync.live).toBe(false);
  });

  it('usdm: a first event that does not straddle the snapshot is a gap', () => {
    const sync = new BinanceDepthSync('usdm', [snapshot(100, 50)]);
    sync.advance(100);
    sync.onDiff(diff(51, 60, '0.90', 50));
    expect(sync.live).toBe(false);
  });
});

describe('Binance REST through the dialect', () => {
  it('answers with the live book once its snapshot is reached and the recorded one after a gap', async () => {
    const entries: RecordingEntry[] = [
      { kind: 'open', time: 0, conn: 1, url: 'wss://stream.binance.com:9443/stream?streams=btcusdt@depth' },
      {
        kind: 'http',
        time: 10,
        url: 'https://api.binance.com/api/v3/depth?symbol=BTCUSDT&limit=1000',
        status: 200,
        body: '{"lastUpdateId":5,"bids":[["1.00","5.00"]],"asks":[["2.00","5.00"]]}',
      },
    ];
    const dialect = binanceDialect();
    const source = await recordingFrameSource(dialect, entries);
    const publish = (time: number, U: number, u: number, bid: string): void => {
      const data = `{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":${U},"u":${u},"b":[["${bid}","1.00"]],"a":[]}`;
      dialect.observe?.({ time, stream: 'btcusdt@depth', data });
    };
    const url = new URL('http://127.0.0.1/api/v3/depth?symbol=BTCUSDT');
    publish(5, 4, 6, '0.90');
    expect(source.http(url, 5)?.body).toBe('{"lastUpdateId":5,"bids":[["1.00","5.00"]],"asks":[["2.00","5.00"]]}');
    publish(12, 7, 8, '0.95');
    expect(source.http(url, 12)?.body).toBe(
      '{"lastUpdateId":8,"bids":[["1.00","5.00"],["0.95","1.00"],["0.90","1.00"]],"asks":[["2.00","5.00"]]}',
    );
    publish(13, 10, 11, '0.96');
    expect(source.http(url, 13)?.body).toContain('"lastUpdateId":5');
  });
});
