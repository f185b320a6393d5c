import { describe, expect, it } from 'vitest';
import type { BookSide } from '../../book';
import { ReferenceBook } from '../../book/test-support/reference-book';
import { compareDecimals } from '../../decimal';
import type {
  BboEvent,
  BookDeltaEvent,
  BookSnapshotEvent,
  FeedStatusEvent,
  MarketEvent,
  TradeEvent,
} from '../../model/events';
import type { RecordingEntry } from '../../recording/recording-entry';
import type { KrakenSession } from './kraken-session';
import { BOOK, editFrame, entriesOf, receivedFrames, replay, TICKER, TRADE } from './test-support/kraken-replay';

const PAIRS = [
  'WAVES-EUR',
  'XMR-USD',
  'KSM-BTC',
  'GRT-ETH',
  'SC-EUR',
  'ETH-CHF',
  'OCEAN-BTC',
  'OMG-USD',
  'BTC-CHF',
  'ADA-BTC',
];

function statuses(events: readonly MarketEvent[], state: FeedStatusEvent['state']): FeedStatusEvent[] {
  return events.filter((event): event is FeedStatusEvent => event.type === 'status' && event.state === state);
}

function bookEvents(events: readonly MarketEvent[], symbol: string): (BookSnapshotEvent | BookDeltaEvent)[] {
  return events.filter(
    (event): event is BookSnapshotEvent | BookDeltaEvent =>
      (event.type === 'book_snapshot' || event.type === 'book_delta') && event.symbol === symbol,
  );
}

/** The recv entries of one pair's book updates (array frames that are not the snapshot), in order. */
function updateEntries(entries: readonly RecordingEntry[], pair: string): RecordingEntry[] {
  return entries.filter(
    (entry) =>
      entry.kind === 'recv' &&
      typeof entry.data === 'string' &&
      entry.data.endsWith(`"book-1000","${pair}"]`) &&
      !entry.data.includes('"as":'),
  );
}

function totalVerified(session: KrakenSession): number {
  return PAIRS.reduce((sum, symbol) => sum + (session.bookSync(symbol)?.stats.checksumsVerified ?? 0), 0);
}

describe('Kraken v1 adapter on the real book capture (../shared/recordings/kraken, depth 1000)', () => {
  it('accounts for every recorded frame exactly once, by kind', async () => {
    const entries = await entriesOf(BOOK);
    const { sink } = await replay(entries);
    expect(sink.frames).toBe(receivedFrames(entries).length);
    expect(sink.frames).toBe(4321);
    expect(sink.counts).toEqual({
      parsed: { systemStatus: 1, 'book snapshot synced': 10, 'book update verified': 4269 },
      ignored: { 'subscriptionStatus subscribed': 10, heartbeat: 31 },
      rejected: {},
    });
  });

  it('sends the very subscribe request the recorder sent', async () => {
    const entries = await entriesOf(BOOK);
    const { sink } = await replay(entries);
    const recorded = entries.find((entry) => entry.kind === 'sent');
    expect(sink.sent).toEqual([recorded?.kind === 'sent' ? recorded.data : undefined]);
  });

  it('verifies all 4269 update checksums (SOURCE.md: 4269 of 4269), with no resync', async () => {
    const { session, sink } = await replay(await entriesOf(BOOK));
    expect(totalVerified(session)).toBe(4269);
    for (const symbol of PAIRS) {
      const sync = session.bookSync(symbol);
      expect(sync?.state, symbol).toBe('live');
      expect(sync?.stats).toMatchObject({ checksumMismatches: 0, resyncs: 0, crossed: 0, unchecked: 0, unreadable: 0 });
    }
    // SOURCE.md: "GRT/ETH 20 updates … XMR/USD 846".
    expect(session.bookSync('GRT-ETH')?.stats.checksumsVerified).toBe(20);
    expect(session.bookSync('XMR-USD')?.stats.checksumsVerified).toBe(846);
    expect(statuses(sink.events, 'resyncing')).toEqual([]);
    expect(statuses(sink.events, 'live').filter((event) => event.symbol !== null)).toHaveLength(10);
  });

  it('reads the 5-element frame (asks and bids in two objects, checksum in the second) as one update', async () => {
    const entries = await entriesOf(BOOK);
    const { sink } = await replay(entries);
    const five = receivedFrames(entries).filter((frame) => (JSON.parse(frame) as unknown[]).length === 5);
    expect(five).toHaveLength(1);
    // [1920,{"a":[["0.042990","364630.28272081",…]]},{"b":[["0.042990","0.00000000",…]],"c":"4105471083"},…]
    const delta = bookEvents(sink.events, 'SC-EUR').find(
      (event) => event.type === 'book_delta' && event.venueTime === 1618678145920708,
    );
    expect(delta).toMatchObject({ asks: [['0.04299', '364630.28272081']], bids: [['0.04299', '0']] });
  });

  it('never holds a crossed book, and each book equals an independent rebuild from the emitted events', async () => {
    const entries = await entriesOf(BOOK);
    const { sink, session } = await replay(entries);
    for (const symbol of PAIRS) {
      const reference = new ReferenceBook();
      const events = bookEvents(sink.events, symbol);
      expect(events[0]?.type).toBe('book_snapshot');
      for (const event of events) {
        if (event.type === 'book_snapshot') reference.snapshot(event.bids, event.asks);
        else reference.delta(event.bids, event.asks);
      }
      const book = session.bookSync(symbol)!.book;
      expect(book.isCrossed()).toBe(false);
      expect(reference.isCrossed()).toBe(false);
      for (const side of ['bid', 'ask'] as const) {
        expect(book.top(side).map((level) => [level.price, level.size])).toEqual(
          reference.levels(side).map((level) => [level.price, level.size]),
        );
      }
    }
  });

  it('checks every book for crossing after every frame', async () => {
    const entries = await entriesOf(BOOK);
    const { session } = await replay(entries.filter((entry) => entry.kind !== 'recv'));
    let checked = 0;
    for (const frame of receivedFrames(entries)) {
      session.handleFrame(frame, 0);
      for (const symbol of PAIRS) {
        const book = session.bookSync(symbol)!.book;
        expect(book.isCrossed()).toBe(false);
        checked++;
      }
    }
    expect(checked).toBe(43210);
  });

  it('names the connection with its exact 64-bit connectionID (above 2^53)', async () => {
    const { sink } = await replay(await entriesOf(BOOK));
    expect(statuses(sink.events, 'live').find((event) => event.symbol === null)?.reason).toBe(
      'venue status online (connectionID 17843232920108168701, version 1.8.3)',
    );
  });
});

describe('Kraken v1 checksum as the loss detector (the feed has no sequence numbers)', () => {
  it('catches one altered digit in one price: only that symbol resyncs, the others verify everything', async () => {
    const entries = await entriesOf(BOOK);
    const target = updateEntries(entries, 'XMR/USD')[0]!;
    const original = target.kind === 'recv' ? String(target.data) : '';
    // Recorded: [992,{"b":[["354.15000000","5.00000000","1618678133.365913"]],"c":"2583817756"},…]
    const altered = original.replace('"354.15000000"', '"354.17000000"');
    expect(altered).not.toBe(original);
    const { sink, session } = await replay(editFrame(entries, target, altered));

    const xmr = session.bookSync('XMR-USD')!;
    expect(xmr.stats).toMatchObject({ checksumMismatches: 1, resyncs: 1, checksumsVerified: 0 });
    expect(xmr.state).toBe('resyncing');
    expect(xmr.book.isEmpty).toBe(true);
    const resyncing = statuses(sink.events, 'resyncing');
    expect(resyncing).toHaveLength(1);
    expect(resyncing[0]).toMatchObject({ symbol: 'XMR-USD', venue: 'kraken' });
    expect(resyncing[0]?.reason).toMatch(/^checksum mismatch: venue 2583817756, local \d+ after update 1$/);
    // Kraken's way to a fresh snapshot: unsubscribe and subscribe that pair's book only.
    expect(sink.sent.slice(1)).toEqual([
      '{"event":"unsubscribe","pair":["XMR/USD"],"subscription":{"name":"book","depth":1000}}',
      '{"event":"subscribe","pair":["XMR/USD"],"subscription":{"name":"book","depth":1000}}',
    ]);
    // The rest of XMR/USD's updates wait for the new snapshot; no unverified delta is emitted.
    expect(sink.counts.ignored['book update not synced']).toBe(845);
    expect(sink.counts.parsed['book update checksum mismatch']).toBe(1);
    expect(bookEvents(sink.events, 'XMR-USD').filter((event) => event.type === 'book_delta')).toEqual([]);
    // Every other symbol is untouched.
    expect(totalVerified(session)).toBe(4269 - 846);
    for (const symbol of PAIRS.filter((s) => s !== 'XMR-USD')) {
      expect(session.bookSync(symbol)?.state, symbol).toBe('live');
      expect(session.bookSync(symbol)?.stats.resyncs, symbol).toBe(0);
    }
  });

  it('resyncs from the fresh snapshot and ends with the fault-free book', async () => {
    const entries = await entriesOf(BOOK);
    const target = updateEntries(entries, 'XMR/USD')[0]!;
    const altered = String(target.kind === 'recv' ? target.data : '').replace('"354.15000000"', '"354.17000000"');
    // The venue's answer to the resubscribe: the book as it stands after the (unaltered) update.
    const clean = await replay(entries.slice(0, entries.indexOf(target) + 1));
    const venueBook = clean.session.bookSync('XMR-USD')!.book;
    const levels = (side: BookSide): string[][] =>
      venueBook.top(side).map((level) => [level.wirePrice, level.wireSize, '1618678133.400000']);
    const snapshot = JSON.stringify([992, { as: levels('ask'), bs: levels('bid') }, 'book-1000', 'XMR/USD']);

    const faulty = await replay(editFrame(entries, target, altered, snapshot));
    const full = await replay(entries);
    const xmr = faulty.session.bookSync('XMR-USD')!;
    expect(xmr.state).toBe('live');
    expect(xmr.stats).toMatchObject({ checksumMismatches: 1, resyncs: 1, checksumsVerified: 845 });
    expect(xmr.book.toSnapshot()).toEqual(full.session.bookSync('XMR-USD')!.book.toSnapshot());
    const live = statuses(faulty.sink.events, 'live').filter((event) => event.symbol === 'XMR-USD');
    expect(live.map((event) => event.reason)).toEqual([
      'book synced from snapshot: 654 bids, 429 asks',
      expect.stringMatching(/^book resynced after checksum mismatch: venue 2583817756, local \d+ after update 1$/),
    ]);
    // The resynced book is announced with a snapshot before any further delta.
    const events = bookEvents(faulty.sink.events, 'XMR-USD');
    expect(events.filter((event) => event.type === 'book_snapshot')).toHaveLength(2);
  });

  it('detects a dropped update at the next update of that pair', async () => {
    const entries = await entriesOf(BOOK);
    const [, dropped, next] = updateEntries(entries, 'XMR/USD');
    // dropped: [992,{"b":[["354.12000000","0.00000000",…]],"c":"1822697057"},…] removes a top-10 bid.
    const { sink, session } = await replay(editFrame(entries, dropped!));
    const xmr = session.bookSync('XMR-USD')!;
    expect(xmr.stats).toMatchObject({ checksumsVerified: 1, checksumMismatches: 1, resyncs: 1 });
    const resync = statuses(sink.events, 'resyncing')[0];
    // The mismatch is reported on receipt of the very next XMR/USD update, with the venue's checksum.
    expect(resync?.receiveTime).toBe(next!.time);
    expect(resync?.reason).toMatch(/^checksum mismatch: venue 2236754247, local \d+ after update 2$/);
    // XMR/USD verified its first update only; the other pairs all of theirs.
    expect(totalVerified(session)).toBe(4269 - 846 + 1);
  });

  it('a duplicated update changes nothing: levels are absolute, so the checksum still matches', async () => {
    const entries = await entriesOf(BOOK);
    const target = updateEntries(entries, 'XMR/USD')[0]!;
    const text = String(target.kind === 'recv' ? target.data : '');
    const { session, sink } = await replay(editFrame(entries, target, text, text));
    expect(session.bookSync('XMR-USD')?.stats).toMatchObject({ checksumsVerified: 847, resyncs: 0 });
    expect(sink.counts.parsed['book update verified']).toBe(4270);
  });
});

describe('Kraken v1 trade and ticker captures', () => {
  it('accounts for every trade frame and maps 10 trades exactly (taker side, µs time, canonical decimals)', async () => {
    const entries = await entriesOf(TRADE);
    const { sink } = await replay(entries);
    expect(sink.frames).toBe(receivedFrames(entries).length);
    expect(sink.counts).toEqual({
      parsed: { systemStatus: 1, trade: 8 },
      ignored: { 'subscriptionStatus subscribed': 10, heartbeat: 30 },
      rejected: {},
    });
    const trades = sink.events.filter((event): event is TradeEvent => event.type === 'trade');
    expect(trades).toHaveLength(10);
    // ["354.11000000","0.89594024","1618678142.557535","s","l",""] on XMR/USD
    expect(trades[0]).toMatchObject({
      venue: 'kraken',
      symbol: 'XMR-USD',
      tradeId: '1618678142.557535-0',
      side: 'sell',
      price: '354.11',
      size: '0.89594024',
      venueTime: 1618678142557535,
    });
    expect(new Set(trades.map((trade) => `${trade.symbol} ${trade.tradeId}`)).size).toBe(10);
    expect(trades.map((trade) => trade.side)).toEqual([
      'sell',
      'buy',
      'sell',
      'sell',
      'sell',
      'buy',
      'buy',
      'buy',
      'sell',
      'buy',
    ]);
  });

  it('maps each ticker to a BBO from the best prices and their lot volumes', async () => {
    const entries = await entriesOf(TICKER);
    const { sink } = await replay(entries);
    expect(sink.frames).toBe(60);
    expect(sink.counts).toEqual({
      parsed: { systemStatus: 1, ticker: 18 },
      ignored: { 'subscriptionStatus subscribed': 10, heartbeat: 31 },
      rejected: {},
    });
    const bbos = sink.events.filter((event): event is BboEvent => event.type === 'bbo');
    expect(bbos).toHaveLength(18);
    // {"a":["13.253900",35,"35.72892241"],"b":["13.232900",185,"185.18432037"],…} on WAVES/EUR
    expect(bbos[0]).toMatchObject({
      symbol: 'WAVES-EUR',
      bid: ['13.2329', '185.18432037'],
      ask: ['13.2539', '35.72892241'],
      venueTime: null,
    });
    for (const bbo of bbos) {
      if (bbo.bid === null || bbo.ask === null) throw new Error('one-sided ticker');
      expect(compareDecimals(bbo.bid[0], bbo.ask[0])).toBe(-1);
    }
  });
});

describe('Kraken v1 control messages (documentation examples)', () => {
  async function liveXbt() {
    const entries = await entriesOf(BOOK);
    const run = await replay(entries.filter((entry) => entry.kind !== 'recv'));
    const { session } = run;
    // The recorded XBT/CHF snapshot makes that book live.
    const snapshot = receivedFrames(entries).find((frame) => frame.startsWith('[464,{"as"'))!;
    session.handleFrame(snapshot, 1);
    expect(session.bookSync('BTC-CHF')?.state).toBe('live');
    return run;
  }

  it('reports a refused subscription for its symbol', async () => {
    const { sink, session } = await liveXbt();
    session.handleFrame(
      '{"errorMessage":"Subscription depth not supported","event":"subscriptionStatus","pair":"XBT/USD",' +
        '"status":"error","subscription":{"depth":42,"name":"book"}}',
      2,
    );
    expect(sink.counts.parsed['subscriptionStatus error']).toBe(1);
    expect(sink.events.at(-1)).toEqual({
      type: 'status',
      venue: 'kraken',
      symbol: 'BTC-USD',
      state: 'disconnected',
      reason: 'subscription error (book XBT/USD): Subscription depth not supported',
      receiveTime: 2,
    });
  });

  it('a book the venue unsubscribes on its own stops being live; an unsubscribe during a resync is expected', async () => {
    const { sink, session } = await liveXbt();
    const unsubscribed =
      '{"channelID":464,"channelName":"book-1000","event":"subscriptionStatus","pair":"XBT/CHF",' +
      '"status":"unsubscribed","subscription":{"depth":1000,"name":"book"}}';
    session.handleFrame(unsubscribed, 2);
    expect(session.bookSync('BTC-CHF')?.state).toBe('awaiting snapshot');
    expect(sink.events.at(-1)).toMatchObject({
      symbol: 'BTC-CHF',
      state: 'disconnected',
      reason: 'the venue ended the book subscription',
    });
    session.handleFrame(unsubscribed, 3);
    expect(sink.counts.parsed['subscriptionStatus unsubscribed by the venue']).toBe(1);
    expect(sink.counts.ignored['subscriptionStatus unsubscribed']).toBe(1);
  });

  it('accounts pong and general errors as ignored, unknown events and shapes as rejected', async () => {
    const { sink, session } = await liveXbt();
    session.handleFrame('{"event":"pong","reqid":42}', 2);
    session.handleFrame('{"errorMessage":"Malformed request","event":"error"}', 3);
    session.handleFrame('{"event":"dance"}', 4);
    session.handleFrame('[464,{"a":[]},"spread","XBT/CHF"]', 5);
    expect(sink.counts.ignored).toMatchObject({ pong: 1, 'error reply': 1, spread: 1 });
    expect(sink.counts.rejected).toEqual({ 'unknown event': 1 });
  });
});
