import { describe, expect, it } from 'vitest';
import { okxBookChecksum } from '../../book';
import { ReferenceBook } from '../../book/test-support/reference-book';
import type { BboEvent, BookDeltaEvent, BookSnapshotEvent, MarketEvent, TradeEvent } from '../../model/events';
import type { RecordingEntry } from '../../recording/recording-entry';
import {
  framesWhere,
  isBooksOf,
  RECORDED_INST_IDS,
  recordedEntries,
  replay,
  rewriteFrames,
} from './test-support/okx-recording';

function bookEvents(events: readonly MarketEvent[], symbol: string): (BookSnapshotEvent | BookDeltaEvent)[] {
  return events.filter(
    (event): event is BookSnapshotEvent | BookDeltaEvent =>
      (event.type === 'book_snapshot' || event.type === 'book_delta') && event.symbol === symbol,
  );
}

function statuses(events: readonly MarketEvent[], state: string): MarketEvent[] {
  return events.filter((event) => event.type === 'status' && event.state === state);
}

const SYMBOL_OF = { 'BTC-USDT': 'BTC-USDT', 'UNI-USD-SWAP': 'UNI-USD', 'BTC-USD-220527': 'BTC-USD' } as const;

describe('OKX adapter on the real v5 capture (../shared/recordings/okx)', () => {
  it('accounts for all 410 frames: 3 snapshots + 287 updates, 74 trades, 28 tickers parsed; 18 acks ignored', async () => {
    const { sink } = await replay(await recordedEntries());
    expect(sink.frames).toBe(410);
    expect(sink.counts).toEqual({
      parsed: { 'books snapshot applied': 3, 'books update applied': 287, trades: 74, tickers: 28 },
      // cryptofeed's cumulative subscribes: tickers acked 3 times, trades twice, books once.
      ignored: { 'subscribe ack': 18 },
      rejected: {},
    });
  });

  it('verifies all 290 checksums (the SOURCE.md figure) with no gap, mismatch or resync', async () => {
    const { sink, session } = await replay(await recordedEntries());
    const verified = RECORDED_INST_IDS.map((instId) => session.bookSync(instId)!.stats.checksumsVerified);
    expect(verified).toEqual([98, 93, 99]);
    expect(verified.reduce((a, b) => a + b, 0)).toBe(290);
    for (const instId of RECORDED_INST_IDS) {
      const sync = session.bookSync(instId)!;
      expect(sync.isLive, instId).toBe(true);
      expect(sync.stats).toMatchObject({ checksumsAbsent: 0, checksumMismatches: 0, gaps: 0, crossed: 0, resyncs: 0 });
    }
    expect(statuses(sink.events, 'resyncing')).toEqual([]);
    expect(sink.requests).toEqual([]);
  });

  it('routes by instId: spot, swap and future each name their own book, trades and BBO', async () => {
    const { sink, session, adapter } = await replay(await recordedEntries());
    expect(adapter.instrument('UNI-USD')).toMatchObject({ venueSymbol: 'UNI-USD-SWAP', kind: 'perpetual' });
    expect(adapter.instrument('BTC-USD')).toMatchObject({ venueSymbol: 'BTC-USD-220527', kind: 'future' });
    expect(adapter.instrument('BTC-USDT')).toMatchObject({ venueSymbol: 'BTC-USDT', kind: 'spot' });
    const bySymbol = (type: MarketEvent['type']): Record<string, number> => {
      const counts: Record<string, number> = {};
      for (const event of sink.events) {
        if (event.type === type && event.symbol !== null) counts[event.symbol] = (counts[event.symbol] ?? 0) + 1;
      }
      return counts;
    };
    expect(bySymbol('book_delta')).toEqual({ 'BTC-USDT': 97, 'UNI-USD': 92, 'BTC-USD': 98 });
    expect(bySymbol('bbo')).toEqual({ 'BTC-USDT': 25, 'UNI-USD': 1, 'BTC-USD': 2 });
    expect(session.bookSync('UNI-USD-SWAP')!.book.bestAsk()!.wirePrice).toMatch(/^5\.\d{3}$/);
  });

  it('never crosses after a verified update, and keeps top 25 equal to an independent rebuild', async () => {
    const { sink, session } = await replay(await recordedEntries());
    for (const instId of RECORDED_INST_IDS) {
      const reference = new ReferenceBook();
      const events = bookEvents(sink.events, SYMBOL_OF[instId]);
      expect(events[0]?.type).toBe('book_snapshot');
      expect(events.length).toBeGreaterThan(90);
      for (const event of events) {
        if (event.type === 'book_snapshot') reference.snapshot(event.bids, event.asks);
        else reference.delta(event.bids, event.asks);
        expect(reference.isCrossed(), `${instId} at ${String(event.venueTime)}`).toBe(false);
      }
      const book = session.bookSync(instId)!.book;
      for (const side of ['bid', 'ask'] as const) {
        expect(book.top(side, 25).map((level) => [level.price, level.size])).toEqual(
          reference
            .levels(side)
            .slice(0, 25)
            .map((level) => [level.price, level.size]),
        );
      }
    }
  });

  it('maps trades exactly: one event per data element, taker side as sent, canonical decimals', async () => {
    const entries = await recordedEntries();
    const { sink } = await replay(entries);
    const trades = sink.events.filter((event): event is TradeEvent => event.type === 'trade');
    const recorded = framesWhere(entries, (text) => text.startsWith('{"arg":{"channel":"trades"')).flatMap(
      (entry) =>
        (
          JSON.parse(String(entry.data)) as {
            data: { tradeId: string; px: string; sz: string; side: string; ts: string }[];
          }
        ).data,
    );
    expect(trades).toHaveLength(recorded.length);
    expect(trades.map((t) => [t.tradeId, t.side, t.price, t.size, t.venueTime])).toEqual(
      recorded.map((t) => [t.tradeId, t.side, t.px, t.sz, Number(t.ts) * 1000]),
    );
    expect(trades[0]).toMatchObject({
      venue: 'okx',
      symbol: 'BTC-USD',
      tradeId: '7849',
      side: 'buy',
      price: '30218.8',
    });
  });

  it('maps tickers to BBO with the exact best bid and ask text', async () => {
    const { sink } = await replay(await recordedEntries());
    const bbo = sink.events.find((event): event is BboEvent => event.type === 'bbo');
    // The first ticker frame: BTC-USD-220527 bidPx 30210.4 bidSz 4, askPx 30220.1 askSz 3.
    expect(bbo).toMatchObject({
      venue: 'okx',
      symbol: 'BTC-USD',
      bid: ['30210.4', '4'],
      ask: ['30220.1', '3'],
      venueTime: 1652459223003000,
    });
  });
});

describe('OKX book integrity faults on the real capture', () => {
  /**
   * The capture with one digit of the first (lowest) ask price in BTC-USDT's 40th update altered (index 0 is
   * the snapshot, so 1 + 39 frames verify before it).
   */
  async function withAlteredPrice(): Promise<{ entries: RecordingEntry[] }> {
    const entries = await recordedEntries();
    const target = framesWhere(entries, isBooksOf('BTC-USDT'))[40]!;
    const altered = rewriteFrames(entries, (text, entry) => {
      if (entry !== target) return text;
      // The first ask of the update: its last price digit + 1 (mod 10).
      const match = /"asks":\[\["(\d+\.?\d*?)(\d)"/.exec(text)!;
      const digit = (Number(match[2]) + 1) % 10;
      return text.replace(match[0], `"asks":[["${match[1]}${digit}"`);
    });
    expect(altered).not.toEqual(entries);
    return { entries: altered };
  }

  it('catches a single altered price digit: that book resyncs, the other two stay live and verified', async () => {
    const { entries } = await withAlteredPrice();
    const { sink, session } = await replay(entries);
    const resyncs = statuses(sink.events, 'resyncing');
    expect(resyncs).toHaveLength(1);
    const resync = resyncs[0]!;
    expect(resync.symbol).toBe('BTC-USDT');
    expect(resync.type === 'status' && resync.reason).toMatch(/^checksum mismatch at ts \d+: venue -?\d+, book -?\d+$/);
    const btc = session.bookSync('BTC-USDT')!;
    expect(btc.stats).toMatchObject({ checksumMismatches: 1, resyncs: 1, checksumsVerified: 40 });
    expect(btc.state).toBe('subscribing');
    expect(btc.book.isEmpty).toBe(true);
    // Resync = unsubscribe + subscribe of that one books channel, after the initial subscribe.
    expect(sink.sent.slice(1)).toEqual([
      '{"op":"unsubscribe","args":[{"channel":"books","instId":"BTC-USDT"}]}',
      '{"op":"subscribe","args":[{"channel":"books","instId":"BTC-USDT"}]}',
    ]);
    // Updates still in flight from the old subscription are ignored until the venue acks the new one.
    expect(sink.counts.ignored['books update before subscribe ack']).toBe(97 - 40);
    for (const instId of ['UNI-USD-SWAP', 'BTC-USD-220527']) {
      const sync = session.bookSync(instId)!;
      expect(sync.isLive).toBe(true);
      expect(sync.stats).toMatchObject({ checksumMismatches: 0, resyncs: 0 });
    }
    expect(session.bookSync('UNI-USD-SWAP')!.stats.checksumsVerified).toBe(93);
    expect(session.bookSync('BTC-USD-220527')!.stats.checksumsVerified).toBe(99);
    expect(sink.total('rejected')).toBe(0);
  });

  it('emits a fresh book_snapshot and status live once the venue answers the resubscribe', async () => {
    const clean = await replay(await recordedEntries());
    const { entries } = await withAlteredPrice();
    const { sink, session } = await replay(entries);
    const cleanBook = clean.session.bookSync('BTC-USDT')!.book;
    // The venue's answer to the resubscribe: acks, then its book as of now (the clean run's final book).
    const level = (l: { wirePrice: string; wireSize: string }): string[] => [l.wirePrice, l.wireSize, '0', '1'];
    const snapshot = {
      arg: { channel: 'books', instId: 'BTC-USDT' },
      action: 'snapshot',
      data: [
        {
          asks: cleanBook.top('ask').map(level),
          bids: cleanBook.top('bid').map(level),
          ts: '1652459236000',
          checksum: okxBookChecksum(cleanBook),
        },
      ],
    };
    const time = entries.at(-1)!.time + 1000;
    const eventsBefore = sink.events.length;
    session.handleFrame('{"event":"unsubscribe","arg":{"channel":"books","instId":"BTC-USDT"}}', time);
    session.handleFrame('{"event":"subscribe","arg":{"channel":"books","instId":"BTC-USDT"}}', time);
    session.handleFrame(JSON.stringify(snapshot), time);
    const after = sink.events.slice(eventsBefore);
    expect(after.map((event) => event.type)).toEqual(['book_snapshot', 'status']);
    expect(after[1]).toMatchObject({ state: 'live', symbol: 'BTC-USDT' });
    const sync = session.bookSync('BTC-USDT')!;
    expect(sync.isLive).toBe(true);
    expect(sync.book.toSnapshot()).toEqual(cleanBook.toSnapshot());
  });

  it('detects a dropped update through the checksum of the next one (the capture has no seqId)', async () => {
    const entries = await recordedEntries();
    const dropped = framesWhere(entries, isBooksOf('UNI-USD-SWAP'))[30]!;
    const { sink, session } = await replay(entries.filter((entry) => entry !== dropped));
    const sync = session.bookSync('UNI-USD-SWAP')!;
    expect(sync.stats.checksumMismatches).toBe(1);
    expect(statuses(sink.events, 'resyncing').map((event) => event.symbol)).toEqual(['UNI-USD']);
    expect(session.bookSync('BTC-USDT')!.isLive).toBe(true);
  });
});
