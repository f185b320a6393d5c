import { describe, expect, it } from 'vitest';
import { OrderBook } from '../../book';
import { ReferenceBook } from '../../book/test-support/reference-book';
import { toDecimal } from '../../decimal';
import type { FrameEntry, RecordingEntry } from '../../recording/recording-entry';
import {
  eventsOf,
  exchangeEntries,
  RECORDED_PRODUCTS,
  receivedFrames,
  replayExchange,
} from './test-support/exchange-replay';

interface RecordedTrade {
  type: string;
  product_id: string;
  trade_id: number;
  side: 'buy' | 'sell';
  price: string;
  size?: string;
  last_size?: string;
  time: string;
}

function parsedFrames(entries: readonly RecordingEntry[], type: string): RecordedTrade[] {
  return receivedFrames(entries, (text) => text.includes(`"type":"${type}"`)).map(
    (entry) => JSON.parse(String(entry.data)) as RecordedTrade,
  );
}

function replaceFrame(entries: readonly RecordingEntry[], target: FrameEntry, data: string): RecordingEntry[] {
  return entries.map((entry) => (entry === target ? { ...target, data } : entry));
}

describe('Coinbase Exchange feed on the real capture (../shared/recordings/coinbase)', () => {
  it('accounts for every recorded frame exactly once, none rejected', async () => {
    const { sink } = await replayExchange(await exchangeEntries());
    expect(sink.frames).toBe(9946);
    expect(sink.counts).toEqual({
      parsed: { snapshot: 10, l2update: 9719, match: 97, last_match: 10 },
      // The 2021 tickers carry best prices without sizes; a BBO needs both (README.md).
      ignored: { subscriptions: 3, 'ticker without best sizes': 107 },
      rejected: {},
    });
    expect(eventsOf(sink.events, 'book_snapshot')).toHaveLength(10);
    expect(eventsOf(sink.events, 'book_delta')).toHaveLength(9719);
    expect(eventsOf(sink.events, 'trade')).toHaveLength(97);
  });

  it('subscribes exactly as the recorded session did', async () => {
    const entries = await exchangeEntries();
    const { sink } = await replayExchange(entries);
    const recordedSent = entries.flatMap((entry) => (entry.kind === 'sent' ? [entry.data] : []));
    expect(sink.sent).toEqual(recordedSent);
  });

  it('syncs all 10 books from their snapshots, never crossed after any of the 9719 updates', async () => {
    const { sink, session } = await replayExchange(await exchangeEntries());
    // A separate book per product rebuilt from the emitted events alone (the rebuild test below
    // compares it with the reference book), checked after every event.
    const rebuilt = new Map<string, OrderBook>(RECORDED_PRODUCTS.map((symbol) => [symbol, new OrderBook()]));
    let checked = 0;
    for (const event of sink.events) {
      if (event.type !== 'book_snapshot' && event.type !== 'book_delta') continue;
      const book = rebuilt.get(event.symbol)!;
      book.applyEvent(event);
      if (book.isCrossed()) expect.fail(`${event.symbol} crossed after event ${checked}`);
      checked++;
    }
    expect(checked).toBe(9729);
    for (const symbol of RECORDED_PRODUCTS) {
      const sync = session.bookSync(symbol)!;
      expect(sync.isLive, symbol).toBe(true);
      expect(sync.stats).toMatchObject({ snapshots: 1, resyncs: 0, crossed: 0, updatesWhileResyncing: 0 });
      expect(sync.book.isCrossed()).toBe(false);
    }
    expect(eventsOf(sink.events, 'status').map((event) => event.state)).toEqual([
      ...RECORDED_PRODUCTS.map(() => 'connecting'),
      ...RECORDED_PRODUCTS.map(() => 'live'),
    ]);
  });

  it('keeps every book equal to an independent rebuild from the emitted events (top 20 and whole book)', async () => {
    const { sink, session } = await replayExchange(await exchangeEntries());
    for (const symbol of RECORDED_PRODUCTS) {
      const reference = new ReferenceBook();
      for (const event of [
        ...eventsOf(sink.events, 'book_snapshot', symbol),
        ...eventsOf(sink.events, 'book_delta', symbol),
      ]) {
        if (event.type === 'book_snapshot') reference.snapshot(event.bids, event.asks);
        else reference.delta(event.bids, event.asks);
      }
      const book = session.bookSync(symbol)!.book;
      for (const side of ['bid', 'ask'] as const) {
        const ours = book.top(side).map((level) => [level.price, level.size]);
        const theirs = reference.levels(side).map((level) => [level.price, level.size]);
        expect(ours.slice(0, 20), `${symbol} ${side} top 20`).toEqual(theirs.slice(0, 20));
        expect(ours, `${symbol} ${side}`).toEqual(theirs);
      }
    }
  });

  it('reads each match as the taker side: the opposite of the maker side, as the ticker of the same trade says', async () => {
    const entries = await exchangeEntries();
    const { sink } = await replayExchange(entries);
    const tickers = new Map(parsedFrames(entries, 'ticker').map((t) => [`${t.product_id}/${t.trade_id}`, t]));
    const trades = eventsOf(sink.events, 'trade');
    expect(trades).toHaveLength(97);
    for (const trade of trades) {
      const ticker = tickers.get(`${trade.symbol}/${trade.tradeId}`);
      expect(ticker, `${trade.symbol} ${trade.tradeId}`).toBeDefined();
      expect(trade.side).toBe(ticker!.side);
      expect(trade.price).toBe(toDecimal(ticker!.price));
      expect(trade.size).toBe(toDecimal(ticker!.last_size!));
    }
    const first = parsedFrames(entries, 'match')[0]!;
    const emitted = trades[0]!;
    expect(first).toMatchObject({
      product_id: 'SKL-BTC',
      trade_id: 280232,
      side: 'sell',
      time: '2021-04-17T16:43:37.089723Z',
    });
    expect(emitted).toMatchObject({
      symbol: 'SKL-BTC',
      tradeId: '280232',
      side: 'buy',
      price: '0.00001305',
      size: '985',
    });
    expect(emitted.venueTime).toBe(Date.UTC(2021, 3, 17, 16, 43, 37) * 1000 + 89723);
  });

  it('keeps venue times to the microsecond and sizes exact (canonical decimal text)', async () => {
    const entries = await exchangeEntries();
    const { sink } = await replayExchange(entries);
    const update = receivedFrames(entries, (text) => text.includes('"type":"l2update"'))[0]!;
    const wire = JSON.parse(String(update.data)) as { changes: [string, string, string][]; time: string };
    const delta = eventsOf(sink.events, 'book_delta')[0]!;
    expect(wire.time).toBe('2021-04-17T16:43:37.075687Z');
    expect(delta.venueTime).toBe(1_618_677_817_075_687);
    expect(delta.asks).toEqual([['0.00001306', '660.5']]);
    const snapshot = eventsOf(sink.events, 'book_snapshot', 'BAND-GBP')[0]!;
    expect(snapshot.asks[3]).toEqual(['14.8098', '123.1']);
  });

  it('finds no false trade_id gap in the whole capture, and detects a dropped match on its product only', async () => {
    const entries = await exchangeEntries();
    const clean = await replayExchange(entries);
    for (const symbol of RECORDED_PRODUCTS) {
      expect(clean.session.sequences.state(symbol), symbol).toMatchObject({ tradeGaps: 0, missedTrades: 0 });
    }
    const matches = receivedFrames(entries, (text) => text.includes('"type":"match"') && text.includes('"DASH-BTC"'));
    const dropped = matches[3]!;
    const faulty = await replayExchange(entries.filter((entry) => entry !== dropped));
    expect(faulty.sink.counts.parsed['match after a trade_id gap']).toBe(1);
    expect(faulty.sink.counts.parsed['match']).toBe(95);
    expect(faulty.session.sequences.state('DASH-BTC')).toMatchObject({ tradeGaps: 1, missedTrades: 1 });
    for (const symbol of RECORDED_PRODUCTS.filter((s) => s !== 'DASH-BTC')) {
      expect(faulty.session.sequences.state(symbol).tradeGaps, symbol).toBe(0);
    }
    // Trades never touch the books: level2 is a separate, guaranteed-delivery channel.
    expect(eventsOf(faulty.sink.events, 'status').filter((event) => event.state === 'resyncing')).toEqual([]);
  });

  it('ignores duplicated and older match and ticker frames', async () => {
    const entries = await exchangeEntries();
    const match = receivedFrames(entries, (text) => text.includes('"type":"match"'))[10]!;
    const ticker = receivedFrames(entries, (text) => text.includes('"type":"ticker"'))[20]!;
    const earlierMatch = receivedFrames(
      entries,
      (text) => text.includes('"type":"match"') && text.includes('"SKL-USD"'),
    )[0]!;
    const withEcho = entries.flatMap((entry) => (entry === match || entry === ticker ? [entry, { ...entry }] : entry));
    // An old SKL-USD match replayed at the very end, as if it arrived out of order.
    withEcho.push({ ...earlierMatch, time: entries.at(-1)!.time });
    const { sink } = await replayExchange(withEcho);
    expect(sink.frames).toBe(9949);
    expect(sink.counts.ignored['match with an older sequence or trade_id']).toBe(2);
    expect(sink.counts.ignored['ticker with an older sequence']).toBe(1);
    expect(eventsOf(sink.events, 'trade')).toHaveLength(97);
  });

  it('resyncs only the product whose price was altered into a crossed book, then recovers from a fresh snapshot', async () => {
    const entries = await exchangeEntries();
    const clean = await replayExchange(entries);
    // One digit: the first SKL-USD bid change after the 500th update, "0.4…" made "9.4…".
    const updates = receivedFrames(entries, (text) => text.includes('"type":"l2update"') && text.includes('"SKL-USD"'));
    const target = updates.slice(500).find((entry) => /\["buy","0\.\d+","[1-9]/.test(String(entry.data)))!;
    const altered = String(target.data).replace(/\["buy","0\./, '["buy","9.');
    expect(altered).not.toBe(target.data);
    const faulty = await replayExchange(replaceFrame(entries, target, altered));

    expect(faulty.sink.frames).toBe(9946);
    expect(faulty.sink.total('rejected')).toBe(0);
    expect(faulty.sink.counts.parsed['l2update crossed']).toBe(1);
    const resyncs = eventsOf(faulty.sink.events, 'status').filter((event) => event.state === 'resyncing');
    expect(resyncs).toHaveLength(1);
    expect(resyncs[0]!.symbol).toBe('SKL-USD');
    expect(resyncs[0]!.reason).toMatch(
      /^crossed book after l2update at 2021-04-17T\S+: best bid 9\.\d+ >= best ask 0\.\d+$/,
    );
    // Only SKL-USD's level2 is requested again: unsubscribe, then subscribe (a new snapshot follows).
    expect(faulty.sink.sent.slice(3)).toEqual([
      '{"type":"unsubscribe","product_ids":["SKL-USD"],"channels":["level2"]}',
      '{"type":"subscribe","product_ids":["SKL-USD"],"channels":["level2"]}',
    ]);
    const skl = faulty.session.bookSync('SKL-USD')!;
    expect(skl.isLive).toBe(false);
    const laterSklUpdates = updates.length - updates.indexOf(target) - 1;
    expect(faulty.sink.counts.ignored['l2update while awaiting the snapshot']).toBe(laterSklUpdates);
    for (const symbol of RECORDED_PRODUCTS.filter((s) => s !== 'SKL-USD')) {
      const sync = faulty.session.bookSync(symbol)!;
      expect(sync.isLive, symbol).toBe(true);
      expect(sync.book.toSnapshot(), symbol).toEqual(clean.session.bookSync(symbol)!.book.toSnapshot());
    }
    // No SKL-USD book event is published between the crossing update and the recovery.
    const lastSklEvent = faulty.sink.events.filter((e) => e.symbol === 'SKL-USD' && e.type !== 'trade').at(-1);
    expect(lastSklEvent).toMatchObject({ type: 'status', state: 'resyncing' });

    // The venue answers the resubscribe with a snapshot of its book as of now.
    const { bids, asks } = clean.session.bookSync('SKL-USD')!.book.toSnapshot();
    const before = faulty.sink.events.length;
    faulty.session.handleFrame(
      JSON.stringify({ type: 'snapshot', product_id: 'SKL-USD', bids, asks }),
      entries.at(-1)!.time,
    );
    expect(faulty.sink.events.slice(before).map((event) => event.type)).toEqual(['book_snapshot', 'status']);
    expect(faulty.sink.events.at(-1)).toMatchObject({ type: 'status', symbol: 'SKL-USD', state: 'live' });
    expect(skl.isLive).toBe(true);
    expect(skl.book.toSnapshot()).toEqual(clean.session.bookSync('SKL-USD')!.book.toSnapshot());
  });

  it('cannot see a dropped l2update unless the book crosses: level2 has no sequence (documented limit)', async () => {
    const entries = await exchangeEntries();
    const clean = await replayExchange(entries);
    const updates = receivedFrames(entries, (text) => text.includes('"type":"l2update"') && text.includes('"NU-GBP"'));
    const faulty = await replayExchange(entries.filter((entry) => entry !== updates[5]));
    expect(faulty.session.bookSync('NU-GBP')!.stats.resyncs).toBe(0);
    expect(faulty.session.bookSync('NU-GBP')!.book.toSnapshot()).not.toEqual(
      clean.session.bookSync('NU-GBP')!.book.toSnapshot(),
    );
  });

  it('rejects an l2update it cannot apply and resyncs that product, since the book missed an update', async () => {
    const entries = await exchangeEntries();
    const updates = receivedFrames(entries, (text) => text.includes('"type":"l2update"') && text.includes('"YFI-BTC"'));
    const target = updates[10]!;
    const broken = String(target.data).replace(/"changes":\[\["(buy|sell)","[^"]+"/, '"changes":[["$1","-1"');
    const faulty = await replayExchange(replaceFrame(entries, target, broken));
    expect(faulty.sink.total('rejected')).toBe(1);
    expect(Object.keys(faulty.sink.counts.rejected)[0]).toMatch(
      /^l2update: (bid|ask) level 0 .*price must be positive/,
    );
    const resyncs = eventsOf(faulty.sink.events, 'status').filter((event) => event.state === 'resyncing');
    expect(resyncs.map((event) => event.symbol)).toEqual(['YFI-BTC']);
    expect(faulty.sink.sent.slice(3)).toEqual([
      '{"type":"unsubscribe","product_ids":["YFI-BTC"],"channels":["level2"]}',
      '{"type":"subscribe","product_ids":["YFI-BTC"],"channels":["level2"]}',
    ]);
  });
});
