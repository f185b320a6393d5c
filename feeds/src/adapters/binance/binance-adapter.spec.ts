import { describe, expect, it } from 'vitest';
import { ReferenceBook } from '../../book/test-support/reference-book';
import { CandleBuilder } from '../../candles';
import type { BookDeltaEvent, BookSnapshotEvent, CandleEvent, MarketEvent, TradeEvent } from '../../model/events';
import type { FrameEntry, RecordingEntry } from '../../recording/recording-entry';
import { readCryptofeedSession } from '../../recording/cryptofeed-recording';
import { sharedRecording } from '../../test-support/shared-recordings';
import { CollectingSink } from '../collecting-sink';
import { replayIntoSessions } from '../replay-session';
import { BinanceAdapter } from './binance-adapter';
import type { BinanceSession } from './binance-session';
import { subscriptionsFromStreamUrl } from './binance-symbols';

const SPOT = ['binance/binance-spot-ws.ndjson', 'binance/binance-spot-rest-depth.ndjson'] as const;
const FUTURES = ['binance/binance-usdm-futures-ws.ndjson', 'binance/binance-usdm-futures-rest-depth.ndjson'] as const;

async function entriesOf(files: readonly [string, string]): Promise<RecordingEntry[]> {
  const out: RecordingEntry[] = [];
  for await (const entry of readCryptofeedSession(sharedRecording(files[0]), sharedRecording(files[1])))
    out.push(entry);
  return out;
}

interface Run {
  readonly sink: CollectingSink;
  readonly session: BinanceSession;
  readonly adapter: BinanceAdapter;
}

async function replay(venue: 'binance' | 'binance-usdm', entries: RecordingEntry[]): Promise<Run> {
  const adapter = new BinanceAdapter({ venue });
  const sink = new CollectingSink();
  let session: BinanceSession | undefined;
  await replayIntoSessions(entries, (_conn, url) => {
    // The recorder subscribed through the URL; the session subscribes to the same streams.
    const subscriptions = subscriptionsFromStreamUrl(url, (venueSymbol) => adapter.symbolOf(venueSymbol));
    session = adapter.createSession(subscriptions, sink);
    return session;
  });
  if (session === undefined) throw new Error('recording opened no connection');
  return { sink, session, adapter };
}

function bookEvents(events: MarketEvent[], symbol: string): (BookSnapshotEvent | BookDeltaEvent)[] {
  return events.filter(
    (event): event is BookSnapshotEvent | BookDeltaEvent =>
      (event.type === 'book_snapshot' || event.type === 'book_delta') && event.symbol === symbol,
  );
}

describe('Binance adapter on the real spot capture (../shared/recordings/binance)', () => {
  it('accounts for every frame: 177 depth diffs, 84 bookTicker, 2 aggTrade parsed; 2 klines ignored', async () => {
    const { sink } = await replay('binance', await entriesOf(SPOT));
    expect(sink.frames).toBe(265);
    expect(sink.total('rejected')).toBe(0);
    // One diff arrived after its snapshot already contained it (u <= lastUpdateId): ignored by rule.
    expect(sink.counts.ignored).toEqual({ kline: 2, 'depthUpdate stale': 1 });
    const depth = Object.entries(sink.counts.parsed)
      .filter(([kind]) => kind.startsWith('depthUpdate'))
      .reduce((sum, [, n]) => sum + n, 0);
    expect(depth + (sink.counts.ignored['depthUpdate stale'] ?? 0)).toBe(177);
    expect(sink.counts.parsed['bookTicker']).toBe(84);
    expect(sink.counts.parsed['aggTrade']).toBe(2);
  });

  it('syncs all 4 books from snapshot + buffered diffs with no false gap, never crossed', async () => {
    const { sink, session } = await replay('binance', await entriesOf(SPOT));
    for (const symbol of ['NKN-USDT', 'BLZ-ETH', 'LRC-BTC', 'RUNE-EUR']) {
      const sync = session.bookSync(symbol);
      expect(sync?.isLive, symbol).toBe(true);
      expect(sync?.stats).toMatchObject({ gaps: 0, resyncs: 0, crossed: 0 });
      expect(sync?.book.isCrossed()).toBe(false);
    }
    expect(sink.events.filter((event) => event.type === 'status' && event.state === 'resyncing')).toEqual([]);
    // Snapshots were requested once per symbol, when the first diff was buffered.
    expect(sink.requests.map((request) => request.url).sort()).toEqual(
      ['BLZETH', 'LRCBTC', 'NKNUSDT', 'RUNEEUR'].map(
        (symbol) => `https://api.binance.com/api/v3/depth?symbol=${symbol}&limit=1000`,
      ),
    );
  });

  it('keeps a book equal to an independent rebuild after every event (top 20)', async () => {
    const { sink, session } = await replay('binance', await entriesOf(SPOT));
    const reference = new ReferenceBook();
    const events = bookEvents(sink.events, 'NKN-USDT');
    expect(events[0]?.type).toBe('book_snapshot');
    expect(events.length).toBeGreaterThan(100);
    for (const event of events) {
      if (event.type === 'book_snapshot') reference.snapshot(event.bids, event.asks);
      else reference.delta(event.bids, event.asks);
      const [bid, ask] = reference.best();
      expect(bid !== undefined && ask !== undefined && Number(bid.price) < Number(ask.price)).toBe(true);
    }
    const book = session.bookSync('NKN-USDT')!.book;
    for (const side of ['bid', 'ask'] as const) {
      expect(book.top(side, 20).map((level) => [level.price, level.size])).toEqual(
        reference
          .levels(side)
          .slice(0, 20)
          .map((level) => [level.price, level.size]),
      );
    }
  });

  it('detects a missing diff, resyncs from a fresh snapshot and ends with the fault-free book', async () => {
    const entries = await entriesOf(SPOT);
    const clean = await replay('binance', entries);
    const depthFrames = entries.filter(
      (entry) => entry.kind === 'recv' && String(entry.data).includes('"stream":"nknusdt@depth@100ms"'),
    );
    const dropped = depthFrames[100]!;
    const faulty = await replay(
      'binance',
      entries.filter((entry) => entry !== dropped),
    );
    const sync = faulty.session.bookSync('NKN-USDT')!;
    expect(sync.stats.gaps).toBe(1);
    expect(sync.isLive).toBe(false);
    const resync = faulty.sink.events.find((event) => event.type === 'status' && event.state === 'resyncing');
    expect(resync?.symbol).toBe('NKN-USDT');
    expect(resync?.type === 'status' && resync.reason).toMatch(/^sequence gap: U=\d+ after u=\d+/);
    expect(faulty.sink.requests.filter((request) => request.url.includes('NKNUSDT'))).toHaveLength(2);

    // The venue answers the new request with its book as of now: the clean run's book at the last diff.
    const cleanBook = clean.session.bookSync('NKN-USDT')!;
    const { bids, asks } = cleanBook.book.toSnapshot();
    faulty.session.handleHttp(
      'https://api.binance.com/api/v3/depth?symbol=NKNUSDT&limit=1000',
      200,
      JSON.stringify({ lastUpdateId: cleanBook.lastUpdateId, bids, asks }),
      entries.at(-1)!.time,
    );
    expect(sync.isLive).toBe(true);
    expect(sync.book.toSnapshot()).toEqual(cleanBook.book.toSnapshot());
  });

  it('maps trades and BBO exactly: taker side from the maker flag, decimals canonical', async () => {
    const { sink } = await replay('binance', await entriesOf(SPOT));
    const trades = sink.events.filter((event): event is TradeEvent => event.type === 'trade');
    expect(trades).toHaveLength(2);
    for (const trade of trades) {
      expect(trade.price).not.toMatch(/0$/);
      expect(['buy', 'sell']).toContain(trade.side);
      expect(Number.isSafeInteger(trade.venueTime)).toBe(true);
    }
    const bbo = sink.events.find((event) => event.type === 'bbo');
    expect(bbo).toMatchObject({ venue: 'binance', bid: [expect.any(String), expect.any(String)] });
  });
});

describe('Binance USD-M futures adapter on the real capture', () => {
  it('accounts for every frame and follows the pu chain on all 4 symbols', async () => {
    const { sink, session } = await replay('binance-usdm', await entriesOf(FUTURES));
    expect(sink.frames).toBe(1535);
    expect(sink.total('rejected')).toBe(0);
    expect(sink.counts.ignored['kline']).toBe(67);
    expect(sink.counts.parsed['aggTrade']).toBe(91);
    expect(sink.counts.parsed['bookTicker']).toBe(613);
    for (const symbol of ['SUSHI-USDT', 'AKRO-USDT', 'KEEP-USDT', 'CTK-USDT']) {
      const sync = session.bookSync(symbol)!;
      expect(sync.isLive, symbol).toBe(true);
      expect(sync.stats).toMatchObject({ gaps: 0, resyncs: 0, crossed: 0 });
    }
  });

  it('builds the open 1m candle exactly as the venue kline reports it', async () => {
    const entries = await entriesOf(FUTURES);
    const { sink } = await replay('binance-usdm', entries);
    const payloads = entries
      .filter((entry): entry is FrameEntry => entry.kind === 'recv')
      .map((entry) => (JSON.parse(String(entry.data)) as { data: Record<string, unknown> }).data);
    const klines = payloads.filter((data) => data['e'] === 'kline') as unknown as { s: string; k: KlineFields }[];
    const aggTrades = payloads.filter((data) => data['e'] === 'aggTrade') as unknown as AggTradeFields[];
    let checked = 0;
    for (const symbol of ['SUSHI-USDT', 'AKRO-USDT', 'KEEP-USDT', 'CTK-USDT']) {
      const venueSymbol = symbol.replace('-', '');
      // The latest kline of the capture whose trades are all in it: the aggTrade fill ranges must
      // chain from the kline's first fill id f to its last L (aggTrades can arrive after the kline).
      const symbolTrades = aggTrades.filter((t) => t.s === venueSymbol);
      const coveredBy = (k: KlineFields): AggTradeFields[] | undefined => {
        const inMinute = symbolTrades.filter((t) => t.T >= k.t && t.l <= k.L);
        let next = k.f;
        for (const t of inMinute) {
          if (t.f !== next) return undefined;
          next = t.l + 1;
        }
        return next === k.L + 1 ? inMinute : undefined;
      };
      const kline = klines.filter((k) => k.s === venueSymbol && coveredBy(k.k) !== undefined).at(-1)?.k;
      if (kline === undefined) continue;
      const covered = coveredBy(kline) ?? [];
      const ids = new Set(covered.map((t) => String(t.a)));
      const candles: CandleEvent[] = [];
      const builder = new CandleBuilder({
        venue: 'binance-usdm',
        symbol,
        interval: '1m',
        emit: (c) => candles.push(c),
      });
      for (const event of sink.events) {
        if (event.type === 'trade' && event.symbol === symbol && ids.has(event.tradeId)) builder.addTrade(event);
      }
      const ours = candles.at(-1)!;
      expect(ours.openTime).toBe(kline.t * 1000);
      expect([ours.open, ours.high, ours.low, ours.close, ours.volume]).toEqual(
        [kline.o, kline.h, kline.l, kline.c, kline.v].map(toCanonical),
      );
      // Binance counts fills; each aggTrade spans fills f..l.
      expect(covered.reduce((n, t) => n + t.l - t.f + 1, 0)).toBe(kline.n);
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });
});

interface AggTradeFields {
  s: string;
  a: number;
  f: number;
  l: number;
  T: number;
}

interface KlineFields {
  t: number;
  f: number;
  L: number;
  o: string;
  h: string;
  l: string;
  c: string;
  v: string;
  n: number;
}

function toCanonical(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}
