import { describe, expect, it } from 'vitest';
import type { FeedStatusEvent } from '../../model/events';
import { readCryptofeedSession } from '../../recording/cryptofeed-recording';
import type { FrameEntry, HttpEntry, RecordingEntry } from '../../recording/recording-entry';
import { sharedRecording } from '../../test-support/shared-recordings';
import { CollectingSink } from '../collecting-sink';
import { replayIntoSessions } from '../replay-session';
import { BinanceAdapter } from './binance-adapter';
import type { BinanceSession } from './binance-session';
import { subscriptionsFromStreamUrl } from './binance-symbols';

/*
 * Binance's procedure, step 3: "If the lastUpdateId from the snapshot is strictly less than the U
 * from step 2, go back to step 3" (fetch the snapshot again). USD-M: the first event must have
 * U <= lastUpdateId AND u >= lastUpdateId, so a snapshot before the first buffered event is refetched.
 */

const SNAPSHOT_URL = 'https://api.binance.com/api/v3/depth?symbol=BNBBTC&limit=1000';

function diffFrame(U: number, u: number, bid: string, pu?: number): string {
  const previous = pu === undefined ? '' : `"pu":${pu},`;
  return (
    `{"stream":"bnbbtc@depth@100ms","data":{"e":"depthUpdate","E":1672515782136,"s":"BNBBTC","U":${U},"u":${u},` +
    `${previous}"b":[["${bid}","10"]],"a":[["0.0026","100"]]}}`
  );
}

function snapshotBody(lastUpdateId: number): string {
  return JSON.stringify({ lastUpdateId, bids: [['0.0024', '10']], asks: [['0.0026', '100']] });
}

function freshSession(venue: 'binance' | 'binance-usdm') {
  const sink = new CollectingSink();
  const session = new BinanceAdapter({ venue }).createSession([{ symbol: 'BNB-BTC', channel: 'book' }], sink);
  session.open(0);
  return { sink, session, sync: () => session.bookSync('BNB-BTC')! };
}

describe('Binance depth snapshot older than the first buffered diff', () => {
  it('spot: refetches, applies nothing from the stale snapshot, then syncs on the next one', () => {
    const { sink, session, sync } = freshSession('binance');
    session.handleFrame(diffFrame(157, 160, '0.0023'), 1);
    session.handleFrame(diffFrame(161, 163, '0.0022'), 2);
    expect(sink.requests.map((r) => r.url)).toEqual([SNAPSHOT_URL]);

    // lastUpdateId 150 < U 157 - 1: the stream's first diff does not follow it.
    session.handleHttp(SNAPSHOT_URL, 200, snapshotBody(150), 3);
    expect(sync().stats.snapshotsTooOld).toBe(1);
    expect(sync().isLive).toBe(false);
    expect(sink.requests.map((r) => r.url)).toEqual([SNAPSHOT_URL, SNAPSHOT_URL]);
    expect(sink.events.filter((e) => e.type === 'book_snapshot' || e.type === 'book_delta')).toEqual([]);

    // The next snapshot (158) lies inside the first buffered diff [157, 160]: synced, 157..158 dropped.
    session.handleHttp(SNAPSHOT_URL, 200, snapshotBody(158), 4);
    expect(sync().isLive).toBe(true);
    expect(sync().lastUpdateId).toBe(163);
    expect(sync().stats).toMatchObject({ snapshotsTooOld: 1, gaps: 0, resyncs: 0 });
    const book = sink.events.filter((e) => e.type === 'book_snapshot' || e.type === 'book_delta');
    expect(book.map((e) => [e.type, e.sequence])).toEqual([
      ['book_snapshot', 158],
      ['book_delta', 160],
      ['book_delta', 163],
    ]);
    expect(
      sync()
        .book.top('bid', 3)
        .map((level) => level.price),
    ).toEqual(['0.0024', '0.0023', '0.0022']);
  });

  it('spot: a snapshot exactly one before the first U is not stale (U <= lastUpdateId + 1)', () => {
    const { sink, session, sync } = freshSession('binance');
    session.handleFrame(diffFrame(157, 160, '0.0023'), 1);
    session.handleHttp(SNAPSHOT_URL, 200, snapshotBody(156), 2);
    expect(sync().isLive).toBe(true);
    expect(sync().stats.snapshotsTooOld).toBe(0);
    expect(sink.requests).toHaveLength(1);
  });

  it('USD-M: a snapshot before the first buffered U is refetched too', () => {
    const { sink, session, sync } = freshSession('binance-usdm');
    const url = 'https://fapi.binance.com/fapi/v1/depth?symbol=BNBBTC&limit=1000';
    session.handleFrame(diffFrame(157, 160, '0.0023', 150), 1);
    session.handleHttp(url, 200, snapshotBody(156), 2);
    expect(sync().stats.snapshotsTooOld).toBe(1);
    expect(sink.requests.map((r) => r.url)).toEqual([url, url]);
    session.handleHttp(url, 200, snapshotBody(157), 3);
    expect(sync().isLive).toBe(true);
    expect(sync().lastUpdateId).toBe(160);
  });
});

describe('Binance snapshot refetch on the real spot capture', () => {
  async function entries(): Promise<RecordingEntry[]> {
    const out: RecordingEntry[] = [];
    const ws = sharedRecording('binance/binance-spot-ws.ndjson');
    const rest = sharedRecording('binance/binance-spot-rest-depth.ndjson');
    for await (const entry of readCryptofeedSession(ws, rest)) out.push(entry);
    return out;
  }

  async function replay(recorded: readonly RecordingEntry[]) {
    const adapter = new BinanceAdapter({ venue: 'binance' });
    const sink = new CollectingSink();
    let session: BinanceSession | undefined;
    await replayIntoSessions(recorded, (_conn, url) => {
      session = adapter.createSession(
        subscriptionsFromStreamUrl(url, (s) => adapter.symbolOf(s)),
        sink,
      );
      return session;
    });
    return { sink, session: session! };
  }

  it('a stale NKNUSDT snapshot before the recorded one: refetched, then synced to the same book', async () => {
    const recorded = await entries();
    const clean = await replay(recorded);
    const snapshot = recorded.find((e): e is HttpEntry => e.kind === 'http' && e.url.includes('symbol=NKNUSDT'))!;
    const firstDiff = recorded.find(
      (e): e is FrameEntry => e.kind === 'recv' && String(e.data).includes('"stream":"nknusdt@depth@100ms"'),
    )!;
    const firstU = (JSON.parse(String(firstDiff.data)) as { data: { U: number } }).data.U;
    const body = JSON.parse(snapshot.body) as { lastUpdateId: number };
    // The venue answered from a lagging replica: a snapshot 10 updates before the stream's first diff.
    const stale: HttpEntry = {
      ...snapshot,
      time: snapshot.time - 1,
      body: JSON.stringify({ ...body, lastUpdateId: firstU - 10 }),
    };
    const withStale = recorded.flatMap((e) => (e === snapshot ? [stale, e] : [e]));
    const run = await replay(withStale);

    const sync = run.session.bookSync('NKN-USDT')!;
    expect(sync.stats).toMatchObject({ snapshotsTooOld: 1, gaps: 0, resyncs: 0, crossed: 0 });
    expect(sync.isLive).toBe(true);
    const resyncs = run.sink.events.filter((e): e is FeedStatusEvent => e.type === 'status' && e.state === 'resyncing');
    expect(resyncs).toEqual([]);
    // The stale answer produced no book event: the first NKN-USDT snapshot event is the recorded one.
    const firstSnapshot = run.sink.events.find((e) => e.type === 'book_snapshot' && e.symbol === 'NKN-USDT');
    expect(firstSnapshot?.type === 'book_snapshot' && firstSnapshot.sequence).toBe(body.lastUpdateId);
    expect(run.sink.requests.filter((r) => r.url.includes('NKNUSDT'))).toHaveLength(2);
    expect(sync.book.toSnapshot()).toEqual(clean.session.bookSync('NKN-USDT')!.book.toSnapshot());
  });
});
