import { describe, expect, it } from 'vitest';
import { krakenChecksumText } from '../../book';
import type { FeedStatusEvent, MarketEvent } from '../../model/events';
import { CollectingSink } from '../collecting-sink';
import type { UpstreamSubscription } from '../venue-adapter';
import { KrakenAdapter } from './kraken-adapter';
import type { KrakenBookDepth } from './kraken-book-sync';
import { BOOK, entriesOf, receivedFrames } from './test-support/kraken-replay';
import { independentChecksum, type TextLevel, v2FromV1, v2Levels } from './test-support/kraken-v2-frames';

/*
 * No real v2 capture exists (../shared/recordings/README.md), so v2 is tested on frames written
 * from its documentation (docs.kraken.com/api/docs/websocket-v2/*), prices and quantities as the
 * bare JSON numbers v2 sends. The book is the one of the "Book checksum (WebSocket v2)" guide, whose
 * published checksum is 3310070434.
 */

const DOC_BIDS: readonly TextLevel[] = [
  ['45283.5', '0.10000000'],
  ['45283.4', '1.54582015'],
  ['45282.1', '0.10000000'],
  ['45281.0', '0.10000000'],
  ['45280.3', '1.54592586'],
  ['45279.0', '0.07990000'],
  ['45277.6', '0.03310103'],
  ['45277.5', '0.30000000'],
  ['45277.3', '1.54602737'],
  ['45276.6', '0.15445238'],
];
const DOC_ASKS: readonly TextLevel[] = [
  ['45285.2', '0.00100000'],
  ['45286.4', '1.54571953'],
  ['45286.6', '1.54571109'],
  ['45289.6', '1.54560911'],
  ['45290.2', '0.15890660'],
  ['45291.8', '1.54553491'],
  ['45294.7', '0.04454749'],
  ['45296.1', '0.35380000'],
  ['45297.5', '0.09945542'],
  ['45299.5', '0.18772827'],
];
const DOC_CHECKSUM = 3310070434;

function bookFrame(
  type: 'snapshot' | 'update',
  symbol: string,
  bids: readonly TextLevel[],
  asks: readonly TextLevel[],
  checksum: number,
): string {
  const timestamp = type === 'update' ? ',"timestamp":"2023-10-06T17:35:55.440295Z"' : '';
  return (
    `{"channel":"book","type":"${type}","data":[{"symbol":"${symbol}","bids":${v2Levels(bids)},` +
    `"asks":${v2Levels(asks)},"checksum":${checksum}${timestamp}}]}`
  );
}

function v2Session(symbols: readonly string[] = ['BTC-USD'], depth: KrakenBookDepth = 10) {
  const adapter = new KrakenAdapter({ version: 'v2', bookDepth: depth });
  const sink = new CollectingSink();
  const subscriptions = symbols.map((symbol): UpstreamSubscription => ({ symbol, channel: 'book' }));
  const session = adapter.createSession(subscriptions, sink);
  session.open(1);
  return { adapter, sink, session };
}

function statuses(events: readonly MarketEvent[], state: FeedStatusEvent['state']): FeedStatusEvent[] {
  return events.filter((event): event is FeedStatusEvent => event.type === 'status' && event.state === state);
}

describe('Kraken v2 book checksum on the documentation example', () => {
  it('the independent rewrite of the algorithm reproduces the published checksum', () => {
    expect(independentChecksum(DOC_BIDS, DOC_ASKS)).toBe(DOC_CHECKSUM);
  });

  it('verifies the snapshot from the bare-number frame: the trailing zeros the checksum needs survive', () => {
    const { sink, session } = v2Session();
    session.handleFrame(bookFrame('snapshot', 'BTC/USD', DOC_BIDS, DOC_ASKS, DOC_CHECKSUM), 10);
    expect(sink.counts.parsed).toEqual({ 'book snapshot synced': 1 });
    const sync = session.bookSync('BTC-USD')!;
    expect(sync.stats.checksumsVerified).toBe(1);
    // The guide's step 1: "45285.2" → "452852", "0.00100000" → "100000", appended as "452852100000".
    expect(krakenChecksumText(sync.book.top('bid', 10), sync.book.top('ask', 10)).startsWith('452852100000')).toBe(
      true,
    );
    expect(sync.book.bestAsk()).toMatchObject({
      price: '45285.2',
      size: '0.001',
      wirePrice: '45285.2',
      wireSize: '0.00100000',
    });
    expect(sink.events.filter((event) => event.type === 'book_snapshot')).toEqual([
      expect.objectContaining({
        symbol: 'BTC-USD',
        sequence: null,
        venueTime: null,
        bids: expect.arrayContaining([['45281', '0.1']]) as unknown,
        asks: expect.arrayContaining([['45285.2', '0.001']]) as unknown,
      }),
    ]);
    expect(statuses(sink.events, 'live').at(-1)?.reason).toBe(
      'book synced from snapshot: 10 bids, 10 asks, checksum 3310070434 verified',
    );
  });

  it('would fail that checksum with plain JSON.parse (the float trap the lossless reading avoids)', () => {
    const parsed = JSON.parse(bookFrame('snapshot', 'BTC/USD', DOC_BIDS, DOC_ASKS, DOC_CHECKSUM)) as {
      data: { bids: { price: number; qty: number }[]; asks: { price: number; qty: number }[] }[];
    };
    const asFloats = (levels: { price: number; qty: number }[]): TextLevel[] =>
      levels.map(({ price, qty }) => [String(price), String(qty)]);
    const book = parsed.data[0]!;
    expect(asFloats(book.asks)[0]).toEqual(['45285.2', '0.001']);
    expect(independentChecksum(asFloats(book.bids), asFloats(book.asks))).not.toBe(DOC_CHECKSUM);
  });
});

describe('Kraken v2 book updates', () => {
  function synced(symbols?: readonly string[]) {
    const run = v2Session(symbols);
    for (const pair of (symbols ?? ['BTC-USD']).map((s) => s.replace('-', '/'))) {
      run.session.handleFrame(bookFrame('snapshot', pair, DOC_BIDS, DOC_ASKS, DOC_CHECKSUM), 10);
    }
    return run;
  }

  it('applies all levels, trims to the depth, verifies, and emits the delta with the trimmed level removed', () => {
    const { sink, session } = synced();
    // A new best ask pushes the 10th ask (45299.5) out of depth 10; a bid level is removed.
    const bids = DOC_BIDS.slice(1);
    const asks: TextLevel[] = [['45285.1', '0.05000000'], ...DOC_ASKS.slice(0, 9)];
    const update = bookFrame(
      'update',
      'BTC/USD',
      [['45283.5', '0.00000000']],
      [['45285.1', '0.05000000']],
      independentChecksum(bids, asks),
    );
    session.handleFrame(update, 20);
    expect(sink.counts.parsed['book update verified']).toBe(1);
    const sync = session.bookSync('BTC-USD')!;
    expect(sync.stats).toMatchObject({ checksumsVerified: 2, trimmedLevels: 1 });
    expect(sync.book.levelCount('ask')).toBe(10);
    expect(sync.book.level('ask', '45299.5')).toBeUndefined();
    expect(sink.events.filter((event) => event.type === 'book_delta')).toEqual([
      {
        type: 'book_delta',
        venue: 'kraken',
        symbol: 'BTC-USD',
        receiveTime: 20,
        bids: [['45283.5', '0']],
        asks: [
          ['45285.1', '0.05'],
          ['45299.5', '0'],
        ],
        sequence: null,
        firstSequence: null,
        venueTime: Date.UTC(2023, 9, 6, 17, 35, 55) * 1000 + 440295,
      },
    ]);
  });

  it('a level trimmed away is not resurrected: a later checksum over the venue view still verifies', () => {
    const { session } = synced();
    const pushOut = bookFrame(
      'update',
      'BTC/USD',
      [],
      [['45285.1', '0.05000000']],
      independentChecksum(DOC_BIDS, [['45285.1', '0.05000000'], ...DOC_ASKS.slice(0, 9)]),
    );
    // The new ask goes again; the venue republishes its 10th level, now 45299.9 (45299.5 left meanwhile).
    const back: TextLevel[] = [...DOC_ASKS.slice(0, 9), ['45299.9', '1.00000000']];
    const pullBack = bookFrame(
      'update',
      'BTC/USD',
      [],
      [
        ['45285.1', '0.00000000'],
        ['45299.9', '1.00000000'],
      ],
      independentChecksum(DOC_BIDS, back),
    );
    session.handleFrame(pushOut, 20);
    session.handleFrame(pullBack, 30);
    const sync = session.bookSync('BTC-USD')!;
    expect(sync.stats).toMatchObject({ checksumsVerified: 3, checksumMismatches: 0 });
    expect(sync.book.top('ask').map((level) => level.wirePrice)).toEqual(back.map(([price]) => price));
  });

  it('a mismatch resyncs only that symbol: status with both checksums, unsubscribe + subscribe, then live again', () => {
    const { sink, session } = synced(['BTC-USD', 'ETH-USD']);
    const wrong = bookFrame('update', 'BTC/USD', [['45283.5', '0.20000000']], [], 12345);
    session.handleFrame(wrong, 20);
    const sync = session.bookSync('BTC-USD')!;
    expect(sync.state).toBe('resyncing');
    expect(statuses(sink.events, 'resyncing')).toEqual([
      {
        type: 'status',
        venue: 'kraken',
        symbol: 'BTC-USD',
        state: 'resyncing',
        reason: `checksum mismatch: venue 12345, local ${independentChecksum(
          [['45283.5', '0.20000000'], ...DOC_BIDS.slice(1)],
          DOC_ASKS,
        )} after update 1`,
        receiveTime: 20,
      },
    ]);
    expect(sink.sent.slice(-2)).toEqual([
      '{"method":"unsubscribe","params":{"channel":"book","symbol":["BTC/USD"],"depth":10}}',
      '{"method":"subscribe","params":{"channel":"book","symbol":["BTC/USD"],"depth":10}}',
    ]);
    // ETH/USD goes on; BTC/USD updates still in flight wait for the snapshot.
    session.handleFrame(bookFrame('update', 'BTC/USD', [], [['45285.2', '0.00000000']], 1), 21);
    const ethUpdate = bookFrame(
      'update',
      'ETH/USD',
      [],
      [['45285.2', '0.00000000']],
      independentChecksum(DOC_BIDS, DOC_ASKS.slice(1)),
    );
    session.handleFrame(ethUpdate, 22);
    expect(session.bookSync('ETH-USD')?.stats.checksumsVerified).toBe(2);
    expect(sink.counts.ignored['book update not synced']).toBe(1);
    session.handleFrame(bookFrame('snapshot', 'BTC/USD', DOC_BIDS, DOC_ASKS, DOC_CHECKSUM), 30);
    expect(sync.state).toBe('live');
    expect(statuses(sink.events, 'live').at(-1)).toMatchObject({
      symbol: 'BTC-USD',
      reason: expect.stringMatching(/^book resynced after checksum mismatch: venue 12345/) as unknown,
    });
  });

  it('a snapshot that fails its checksum is not used: the symbol resubscribes', () => {
    const { sink, session } = v2Session();
    session.handleFrame(bookFrame('snapshot', 'BTC/USD', DOC_BIDS, DOC_ASKS, DOC_CHECKSUM + 1), 10);
    expect(sink.counts.parsed).toEqual({ 'book snapshot checksum mismatch': 1 });
    expect(sink.events.filter((event) => event.type === 'book_snapshot')).toEqual([]);
    expect(statuses(sink.events, 'resyncing')[0]?.reason).toBe(
      'checksum mismatch: venue 3310070435, local 3310070434 in the snapshot',
    );
  });

  it('a crossed book after a verified update resyncs too', () => {
    const { sink, session } = synced();
    const bids: TextLevel[] = [['45290.0', '1.00000000'], ...DOC_BIDS.slice(0, 9)];
    session.handleFrame(
      bookFrame('update', 'BTC/USD', [['45290.0', '1.00000000']], [], independentChecksum(bids, DOC_ASKS)),
      20,
    );
    const sync = session.bookSync('BTC-USD')!;
    expect(sync.stats).toMatchObject({ checksumsVerified: 2, crossed: 1, resyncs: 1 });
    expect(statuses(sink.events, 'resyncing')[0]?.reason).toBe(
      'crossed book: best bid 45290 >= best ask 45285.2 after update 1',
    );
    expect(sink.events.filter((event) => event.type === 'book_delta')).toEqual([]);
  });
});

describe('Kraken v2 trade, ticker, status and control messages (documentation examples)', () => {
  function session() {
    const adapter = new KrakenAdapter({ version: 'v2' });
    const sink = new CollectingSink();
    const subscriptions: UpstreamSubscription[] = [
      { symbol: 'MATIC-USD', channel: 'trades' },
      { symbol: 'ALGO-USD', channel: 'bbo' },
    ];
    return { sink, session: adapter.createSession(subscriptions, sink) };
  }

  it('maps a trade with its id, taker side, µs time and exact decimals (qty 40.0 stays exact)', () => {
    const { sink, session: s } = session();
    s.handleFrame(
      '{"channel":"trade","type":"update","data":[{"symbol":"MATIC/USD","side":"sell","price":0.5117,"qty":40.0,' +
        '"ord_type":"market","trade_id":4665906,"timestamp":"2023-09-25T07:49:37.708706Z"}]}',
      5,
    );
    expect(sink.counts.parsed).toEqual({ trade: 1 });
    expect(sink.events).toEqual([
      {
        type: 'trade',
        venue: 'kraken',
        symbol: 'MATIC-USD',
        receiveTime: 5,
        tradeId: '4665906',
        side: 'sell',
        price: '0.5117',
        size: '40',
        venueTime: Date.UTC(2023, 8, 25, 7, 49, 37) * 1000 + 708706,
      },
    ]);
  });

  it('ignores a trade snapshot (past trades, never asked for)', () => {
    const { sink, session: s } = session();
    s.handleFrame(
      '{"channel":"trade","type":"snapshot","data":[{"symbol":"MATIC/USD","side":"buy","price":0.5147,"qty":6423.46326,' +
        '"ord_type":"limit","trade_id":4665846,"timestamp":"2023-09-25T07:48:36.925533Z"}]}',
      5,
    );
    expect(sink.counts.ignored).toEqual({ 'trade snapshot': 1 });
    expect(sink.events).toEqual([]);
  });

  it('maps a ticker to a BBO', () => {
    const { sink, session: s } = session();
    s.handleFrame(
      '{"channel":"ticker","type":"snapshot","data":[{"symbol":"ALGO/USD","bid":0.10025,"bid_qty":740.0,' +
        '"ask":0.10036,"ask_qty":1361.44813783,"last":0.10035,"volume":997038.98383185,"vwap":0.10148,' +
        '"low":0.09979,"high":0.10285,"change":-0.00017,"change_pct":-0.17,"timestamp":"2023-09-25T09:04:31.742648Z"}]}',
      6,
    );
    expect(sink.events).toEqual([
      {
        type: 'bbo',
        venue: 'kraken',
        symbol: 'ALGO-USD',
        receiveTime: 6,
        bid: ['0.10025', '740'],
        ask: ['0.10036', '1361.44813783'],
        venueTime: Date.UTC(2023, 8, 25, 9, 4, 31) * 1000 + 742648,
      },
    ]);
  });

  it('reports the venue status with its exact 64-bit connection_id', () => {
    const { sink, session: s } = session();
    s.handleFrame(
      '{"channel":"status","data":[{"api_version":"v2","connection_id":13834774380200032777,"system":"online",' +
        '"version":"2.0.0"}],"type":"update"}',
      7,
    );
    expect(sink.events).toEqual([
      {
        type: 'status',
        venue: 'kraken',
        symbol: null,
        state: 'live',
        reason: 'venue status online (connection_id 13834774380200032777, version 2.0.0)',
        receiveTime: 7,
      },
    ]);
  });

  it('accounts heartbeats, acks and pongs as ignored and a refused subscription as a status', () => {
    const { sink, session: s } = session();
    s.handleFrame('{"channel":"heartbeat"}', 1);
    s.handleFrame(
      '{"method":"subscribe","result":{"channel":"ticker","snapshot":true,"symbol":"ALGO/USD"},"success":true,' +
        '"time_in":"2023-09-25T09:04:31.742599Z","time_out":"2023-09-25T09:04:31.742648Z"}',
      2,
    );
    s.handleFrame(
      '{"method":"pong","req_id":101,"time_in":"2023-09-24T14:10:23.799685Z","time_out":"2023-09-24T14:10:23.799703Z"}',
      3,
    );
    s.handleFrame(
      '{"error":"Currency pair not supported MATIC/USDX","method":"subscribe","success":false,"symbol":"MATIC/USDX",' +
        '"time_in":"2023-09-25T09:04:31.742599Z","time_out":"2023-09-25T09:04:31.742648Z"}',
      4,
    );
    expect(sink.counts).toEqual({
      parsed: { 'subscribe error': 1 },
      ignored: { heartbeat: 1, 'subscribe ack': 1, pong: 1 },
      rejected: {},
    });
    expect(sink.events).toEqual([
      {
        type: 'status',
        venue: 'kraken',
        symbol: 'MATIC-USDX',
        state: 'disconnected',
        reason: 'subscription error (subscribe MATIC/USDX): Currency pair not supported MATIC/USDX',
        receiveTime: 4,
      },
    ]);
  });
});

describe('Kraken v2 venue-ended book', () => {
  it('an unsubscribe ack for a live book means the venue ended it; during a resync it is expected', () => {
    const { sink, session } = v2Session();
    session.handleFrame(bookFrame('snapshot', 'BTC/USD', DOC_BIDS, DOC_ASKS, DOC_CHECKSUM), 10);
    const ack =
      '{"method":"unsubscribe","result":{"channel":"book","depth":10,"symbol":"BTC/USD"},"success":true,' +
      '"time_in":"2023-10-06T17:35:55.219022Z","time_out":"2023-10-06T17:35:55.219067Z"}';
    session.handleFrame(ack, 11);
    expect(session.bookSync('BTC-USD')?.state).toBe('awaiting snapshot');
    expect(statuses(sink.events, 'disconnected')).toHaveLength(1);
    session.handleFrame(ack, 12);
    expect(sink.counts.parsed['book unsubscribed by the venue']).toBe(1);
    expect(sink.counts.ignored['unsubscribe ack']).toBe(1);
  });
});

describe('Kraken v2 parser on the real capture re-encoded as v2 frames', () => {
  it('verifies all 4269 venue update checksums from bare-number levels (plus the 10 snapshots)', async () => {
    const frames = receivedFrames(await entriesOf(BOOK)).flatMap((frame) => v2FromV1(frame) ?? []);
    // e.g. {"price":0.000022900,"qty":13355.87450757}: zeros that JSON.parse would drop.
    expect(frames.some((frame) => frame.includes('"price":0.000022900'))).toBe(true);
    const pairs = [
      'WAVES/EUR',
      'XMR/USD',
      'KSM/BTC',
      'GRT/ETH',
      'SC/EUR',
      'ETH/CHF',
      'OCEAN/BTC',
      'OMG/USD',
      'BTC/CHF',
      'ADA/BTC',
    ];
    const adapter = new KrakenAdapter({ version: 'v2', bookDepth: 1000 });
    const sink = new CollectingSink();
    const symbols = pairs.map((pair) => adapter.symbolOf(pair)!);
    const session = adapter.createSession(
      symbols.map((symbol): UpstreamSubscription => ({ symbol, channel: 'book' })),
      sink,
    );
    for (const frame of frames) session.handleFrame(frame, 1);
    expect(sink.counts).toEqual({
      parsed: { 'book snapshot synced': 10, 'book update verified': 4269 },
      ignored: { heartbeat: 31 },
      rejected: {},
    });
    const verified = symbols.reduce((sum, symbol) => sum + session.bookSync(symbol)!.stats.checksumsVerified, 0);
    expect(verified).toBe(4279);
  });
});
