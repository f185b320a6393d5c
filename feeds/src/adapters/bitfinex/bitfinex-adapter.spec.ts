import { beforeAll, describe, expect, it } from 'vitest';
import { ReferenceBook } from '../../book/test-support/reference-book';
import type { BboEvent, BookDeltaEvent, BookSnapshotEvent, FeedStatusEvent, MarketEvent } from '../../model/events';
import type { RecordingEntry } from '../../recording/recording-entry';
import { BitfinexAdapter } from './bitfinex-adapter';
import {
  RECORDED_SYMBOLS,
  type Replay,
  ScriptedVenue,
  receivedFrames,
  recordingEntries,
  replayRecording,
} from './test-support/bitfinex-frames';

function bookEvents(events: readonly MarketEvent[], symbol: string): (BookSnapshotEvent | BookDeltaEvent)[] {
  return events.filter(
    (event): event is BookSnapshotEvent | BookDeltaEvent =>
      (event.type === 'book_snapshot' || event.type === 'book_delta') && event.symbol === symbol,
  );
}

function statuses(events: readonly MarketEvent[], state: FeedStatusEvent['state']): FeedStatusEvent[] {
  return events.filter((event): event is FeedStatusEvent => event.type === 'status' && event.state === state);
}

/** The chanId of a recorded book channel, from the recorded "subscribed" event. */
function recordedChanId(entries: readonly RecordingEntry[], channel: string, venueSymbol: string): number {
  for (const frame of receivedFrames(entries)) {
    const text = String(frame.data);
    if (text.includes('"event":"subscribed"') && text.includes(`"channel":"${channel}"`)) {
      const event = JSON.parse(text) as { chanId: number; symbol: string };
      if (event.symbol === venueSymbol) return event.chanId;
    }
  }
  throw new Error(`no ${channel} channel for ${venueSymbol}`);
}

describe('Bitfinex adapter on the real v2 capture (../shared/recordings/bitfinex)', () => {
  let entries: RecordingEntry[];
  let clean: Replay;

  beforeAll(async () => {
    entries = await recordingEntries();
    clean = await replayRecording(entries);
  });

  it('accounts for every one of the 1693 received frames, none rejected', () => {
    const { sink } = clean;
    expect(receivedFrames(entries)).toHaveLength(1693);
    expect(sink.frames).toBe(1693);
    expect(sink.total('rejected')).toBe(0);
    expect(sink.counts.parsed).toEqual({
      info: 1,
      conf: 1,
      subscribed: 14,
      heartbeat: 42,
      'book snapshot': 7,
      'book update': 1593,
    });
    // The recorder also subscribed to tickers, whose sizes are 25-level sums, not a BBO (README.md).
    expect(sink.counts.ignored).toEqual({
      'subscribed (not requested)': 7,
      'ticker (not requested)': 21,
      'trades snapshot': 7,
    });
    // Those 7 unasked channels are unsubscribed so they do not hold 7 of the 25 slots.
    expect(sink.sent.filter((text) => text.startsWith('{"event":"unsubscribe"'))).toHaveLength(7);
  });

  it('follows the SEQ_ALL sequence 1 → 1670 with no false gap and no resync', () => {
    const { sink, session } = clean;
    expect(session.sequenceStats).toEqual({ gaps: 0, missing: 0, duplicates: 0, last: 1670 });
    expect(session.stats.resyncs).toBe(0);
    expect(statuses(sink.events, 'resyncing')).toEqual([]);
    expect(
      statuses(sink.events, 'live')
        .map((event) => event.symbol)
        .sort(),
    ).toEqual([...RECORDED_SYMBOLS].sort());
  });

  it('holds no checksum frames, as SOURCE.md says (conf flags 65536 is SEQ_ALL only)', () => {
    const { sink, session } = clean;
    expect(sink.counts.parsed['checksum'] ?? 0).toBe(0);
    for (const symbol of RECORDED_SYMBOLS) expect(session.bookSync(symbol)?.stats.checksumsVerified).toBe(0);
  });

  it('keeps every book live, never crossed, and equal to an independent rebuild from its events', () => {
    const { sink, session } = clean;
    let deltas = 0;
    for (const symbol of RECORDED_SYMBOLS) {
      const sync = session.bookSync(symbol)!;
      expect(sync.isLive, symbol).toBe(true);
      expect(sync.stats).toMatchObject({ snapshots: 1, crossed: 0, resyncs: 0, trimmedLevels: 0 });
      const events = bookEvents(sink.events, symbol);
      expect(events[0]?.type, symbol).toBe('book_snapshot');
      const reference = new ReferenceBook();
      for (const event of events) {
        if (event.type === 'book_snapshot') reference.snapshot(event.bids, event.asks);
        else reference.delta(event.bids, event.asks);
        expect(reference.isCrossed(), `${symbol} at seq ${String(event.sequence)}`).toBe(false);
      }
      deltas += events.length - 1;
      for (const side of ['bid', 'ask'] as const) {
        expect(sync.book.top(side, 100).map((level) => [level.price, level.size])).toEqual(
          reference
            .levels(side)
            .slice(0, 100)
            .map((level) => [level.price, level.size]),
        );
      }
    }
    expect(deltas).toBe(1593);
  });

  it('reads prices and amounts exactly from the frame text, keeping the wire text for checksums', () => {
    const { sink, session } = clean;
    const snapshot = bookEvents(sink.events, 'BFT-USD')[0] as BookSnapshotEvent;
    // The frame has [2e-8,11,2200000] and [0.0774,1,-6662.31867263].
    expect(snapshot.bids.at(-1)).toEqual(['0.00000002', '2200000']);
    expect(snapshot.asks[0]).toEqual(['0.0774', '6662.31867263']);
    const book = session.bookSync('BFT-USD')!.book;
    expect(book.level('bid', '0.00000002')?.wirePrice).toBe('2e-8');
    expect(book.level('ask', '0.0774')?.wireSize).toBe('6662.31867263');
    // 1e-7 as a double is 9.99999999999999954748e-8; the level is exactly 0.0000001.
    expect(book.level('bid', '0.0000001')).toMatchObject({ price: '0.0000001', wirePrice: '1e-7', size: '200000' });
  });

  it('detects a dropped frame as a gap, resyncs the books by resubscribing, and re-syncs from a fresh snapshot', async () => {
    const frames = receivedFrames(entries);
    const iotaChanId = recordedChanId(entries, 'book', 'tIOTETH');
    // An IOTA-ETH book update well inside the capture (it has 783).
    const dropped = frames.filter((frame) => String(frame.data).startsWith(`[${iotaChanId},[`))[400]!;
    const droppedSeq = Number(/,(\d+)\]$/.exec(String(dropped.data))?.[1]);
    const faulty = await replayRecording(entries.filter((entry) => entry !== dropped));

    expect(faulty.sink.frames).toBe(1692);
    expect(faulty.sink.total('rejected')).toBe(0);
    expect(faulty.session.sequenceStats).toMatchObject({ gaps: 1, missing: 1, duplicates: 0 });
    const resyncing = statuses(faulty.sink.events, 'resyncing');
    // One connection-wide sequence: the lost frame could have belonged to any book, so all resync.
    expect(resyncing.map((event) => event.symbol).sort()).toEqual([...RECORDED_SYMBOLS].sort());
    for (const event of resyncing) {
      expect(event.reason).toBe(`sequence gap: expected ${droppedSeq}, got ${droppedSeq + 1} (1 lost)`);
    }
    const connection = faulty.sink.events.find((event) => event.type === 'status' && event.symbol === null);
    expect(connection).toMatchObject({ state: 'live', reason: expect.stringMatching(/^sequence gap/) as unknown });
    // The way Bitfinex gives a fresh snapshot: unsubscribe the channel, then subscribe again.
    expect(faulty.sink.sent).toContain(`{"event":"unsubscribe","chanId":${iotaChanId}}`);
    expect(faulty.sink.counts.ignored['book data while resubscribing']).toBeGreaterThan(0);
    const sync = faulty.session.bookSync('IOTA-ETH')!;
    expect(sync.isLive).toBe(false);
    expect(sync.stats.resyncs).toBe(1);

    // The venue confirms, the session subscribes again, and a new snapshot (the venue's book as of
    // now: the clean run's final book) makes it live.
    const venue = new ScriptedVenue(faulty.session);
    venue.seq = 1670;
    const sentBefore = faulty.sink.sent.length;
    venue.unsubscribed(iotaChanId);
    expect(faulty.sink.sent.slice(sentBefore)).toEqual([
      '{"event":"subscribe","channel":"book","symbol":"tIOTETH","prec":"P0","freq":"F0","len":"100"}',
    ]);
    venue.subscribed('book', 'tIOTETH', 777);
    const cleanBook = clean.session.bookSync('IOTA-ETH')!.book;
    const levels = [
      ...cleanBook.top('bid').map((l) => `[${l.wirePrice},1,${l.wireSize}]`),
      ...cleanBook.top('ask').map((l) => `[${l.wirePrice},1,-${l.wireSize}]`),
    ];
    const eventsBefore = faulty.sink.events.length;
    venue.data(777, `[${levels.join(',')}]`);
    const after = faulty.sink.events.slice(eventsBefore);
    expect(after.map((event) => event.type)).toEqual(['book_snapshot', 'status']);
    expect(after[1]).toMatchObject({ symbol: 'IOTA-ETH', state: 'live' });
    expect(sync.isLive).toBe(true);
    expect(sync.book.toSnapshot()).toEqual(cleanBook.toSnapshot());
    // The other books stay out of sync until their own snapshots come; nothing else was touched.
    expect(faulty.session.bookSync('SNG-USD')!.isLive).toBe(false);
  });

  it('ignores a repeated frame (same sequence number) and ends with the fault-free books', async () => {
    const frames = receivedFrames(entries);
    const repeated = frames[900]!;
    const withDuplicate = entries.flatMap((entry) => (entry === repeated ? [entry, entry] : [entry]));
    const run = await replayRecording(withDuplicate);
    expect(run.sink.frames).toBe(1694);
    expect(run.sink.counts.ignored['duplicate sequence']).toBe(1);
    expect(run.session.sequenceStats).toMatchObject({ gaps: 0, duplicates: 1, last: 1670 });
    expect(statuses(run.sink.events, 'resyncing')).toEqual([]);
    for (const symbol of RECORDED_SYMBOLS) {
      expect(run.session.bookSync(symbol)!.book.toSnapshot()).toEqual(
        clean.session.bookSync(symbol)!.book.toSnapshot(),
      );
    }
  });

  it('serves bbo from the book channel: every top-of-book change, exact sizes, no extra channel', async () => {
    const run = await replayRecording(entries, { extra: ['bbo'] });
    expect(run.sink.counts).toEqual(clean.sink.counts);
    for (const symbol of RECORDED_SYMBOLS) {
      const bbos = run.sink.events.filter((e): e is BboEvent => e.type === 'bbo' && e.symbol === symbol);
      expect(bbos.length, symbol).toBeGreaterThan(0);
      const book = run.session.bookSync(symbol)!.book;
      const best = (level: { price: string; size: string } | undefined): unknown =>
        level === undefined ? null : [level.price, level.size];
      expect(bbos.at(-1)).toMatchObject({ bid: best(book.bestBid()), ask: best(book.bestAsk()) });
      for (let i = 1; i < bbos.length; i++)
        expect(bbos[i]).not.toMatchObject({ bid: bbos[i - 1]!.bid, ask: bbos[i - 1]!.ask });
    }
    // The recorder sent 14 subscribes for books and trades; bbo added none.
    const subscribes = run.sink.sent.filter((text) => text.startsWith('{"event":"subscribe"'));
    expect(subscribes).toHaveLength(14);
  });

  it('names the adapter, its endpoint and its limits', () => {
    const adapter = new BitfinexAdapter();
    expect(adapter.venue).toBe('bitfinex');
    expect(adapter.url()).toBe('wss://api-pub.bitfinex.com/ws/2');
    expect(adapter.maxSubscriptionsPerConnection).toBe(25);
    expect(adapter.heartbeat).toEqual({ expectedIntervalMs: 15_000 });
    expect(new BitfinexAdapter({ wsUrl: 'ws://127.0.0.1:9/ws/2' }).url()).toBe('ws://127.0.0.1:9/ws/2');
  });
});
