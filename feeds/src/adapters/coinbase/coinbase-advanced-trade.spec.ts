import { describe, expect, it } from 'vitest';
import { ReferenceBook } from '../../book/test-support/reference-book';
import type { MarketEvent } from '../../model/events';
import { CollectingSink } from '../collecting-sink';
import type { UpstreamSubscription } from '../venue-adapter';
import { CoinbaseAdvancedTradeSession } from './advanced-trade-session';
import { CoinbaseAdapter, type CoinbaseAdapterOptions } from './coinbase-adapter';
import { AdvancedTradeFrames } from './test-support/advanced-trade-frames';

const SUBSCRIPTIONS: UpstreamSubscription[] = [
  { symbol: 'BTC-USD', channel: 'book' },
  { symbol: 'ETH-USD', channel: 'book' },
  { symbol: 'BTC-USD', channel: 'trades' },
  { symbol: 'BTC-USD', channel: 'bbo' },
];

interface Run {
  readonly sink: CollectingSink;
  readonly session: CoinbaseAdvancedTradeSession;
  readonly frames: AdvancedTradeFrames;
  feed(...texts: string[]): void;
}

function start(options: Partial<CoinbaseAdapterOptions> = {}, subscriptions = SUBSCRIPTIONS): Run {
  const adapter = new CoinbaseAdapter({ feed: 'advanced-trade', ...options });
  const sink = new CollectingSink();
  const session = adapter.createSession(subscriptions, sink);
  if (!(session instanceof CoinbaseAdvancedTradeSession)) throw new Error('expected an Advanced Trade session');
  session.open(1);
  let time = 1_000_000;
  return {
    sink,
    session,
    frames: new AdvancedTradeFrames(),
    feed: (...texts) => {
      for (const text of texts) session.handleFrame(text, (time += 1000));
    },
  };
}

/** Subscriptions ack, heartbeat and both books' snapshots: BTC-USD 100/101, ETH-USD 10/11. */
function synced(options: Partial<CoinbaseAdapterOptions> = {}): Run {
  const run = start(options);
  const { frames: f } = run;
  run.feed(
    f.subscriptions({ heartbeats: ['heartbeats'], level2: ['BTC-USD', 'ETH-USD'] }),
    f.heartbeat(3049),
    f.l2([
      {
        type: 'snapshot',
        product: 'BTC-USD',
        rows: [
          ['bid', '100.00', '1.50000000'],
          ['bid', '99.50', '2'],
          ['offer', '101.00', '0.25'],
          ['offer', '102', '3.10'],
        ],
      },
    ]),
    f.l2([
      {
        type: 'snapshot',
        product: 'ETH-USD',
        rows: [
          ['bid', '10.0', '5'],
          ['offer', '11.0', '6'],
        ],
      },
    ]),
  );
  return run;
}

const statuses = (events: readonly MarketEvent[]) =>
  events.flatMap((event) => (event.type === 'status' ? [`${event.symbol ?? '*'} ${event.state}`] : []));

describe('Coinbase Advanced Trade feed (frames written from the channel docs)', () => {
  it('subscribes heartbeats first, then one message per channel with its product ids', () => {
    const { sink } = start();
    expect(sink.sent).toEqual([
      '{"type":"subscribe","channel":"heartbeats"}',
      '{"type":"subscribe","product_ids":["BTC-USD","ETH-USD"],"channel":"level2"}',
      '{"type":"subscribe","product_ids":["BTC-USD"],"channel":"ticker"}',
      '{"type":"subscribe","product_ids":["BTC-USD"],"channel":"market_trades"}',
    ]);
    expect(statuses(sink.events)).toEqual(['BTC-USD connecting', 'ETH-USD connecting']);
  });

  it('builds books from l2_data snapshots and updates (bid/offer, absolute sizes, "0" removes)', () => {
    const run = synced();
    const { frames: f } = run;
    run.feed(
      f.l2([
        {
          type: 'update',
          product: 'BTC-USD',
          rows: [
            ['bid', '100.00', '0'],
            ['bid', '100.50', '0.70'],
            ['offer', '101.00', '0.00000000'],
            ['offer', '100.75', '1'],
          ],
        },
        { type: 'update', product: 'ETH-USD', rows: [['offer', '10.5', '2.0']] },
      ]),
    );
    expect(run.sink.frames).toBe(5);
    expect(run.sink.counts).toEqual({
      parsed: { heartbeats: 1, 'l2_data snapshot': 2, 'l2_data update': 1 },
      ignored: { subscriptions: 1 },
      rejected: {},
    });
    const btc = run.session.bookSync('BTC-USD')!.book;
    expect(btc.toSnapshot()).toEqual({
      bids: [
        ['100.5', '0.7'],
        ['99.5', '2'],
      ],
      asks: [
        ['100.75', '1'],
        ['102', '3.1'],
      ],
    });
    const reference = new ReferenceBook();
    for (const event of run.sink.events) {
      if (event.symbol !== 'BTC-USD') continue;
      if (event.type === 'book_snapshot') reference.snapshot(event.bids, event.asks);
      if (event.type === 'book_delta') reference.delta(event.bids, event.asks);
    }
    for (const side of ['bid', 'ask'] as const) {
      expect(btc.top(side, 20).map((l) => [l.price, l.size])).toEqual(
        reference.levels(side).map((l) => [l.price, l.size]),
      );
    }
    const delta = run.sink.events.find((event) => event.type === 'book_delta' && event.symbol === 'BTC-USD');
    expect(delta).toMatchObject({ sequence: 4, firstSequence: null, venue: 'coinbase' });
    expect(statuses(run.sink.events)).toEqual([
      'BTC-USD connecting',
      'ETH-USD connecting',
      'BTC-USD live',
      'ETH-USD live',
    ]);
  });

  it('resyncs every book of the connection on a sequence_num gap, in one unsubscribe and one subscribe', () => {
    const run = synced();
    const { frames: f } = run;
    const sentBefore = run.sink.sent.length;
    f.lose(2);
    run.feed(f.l2([{ type: 'update', product: 'BTC-USD', rows: [['bid', '100.10', '1']] }]));
    const resyncs = run.sink.events.filter((event) => event.type === 'status' && event.state === 'resyncing');
    expect(resyncs.map((event) => event.symbol)).toEqual(['BTC-USD', 'ETH-USD']);
    expect(resyncs[0]).toMatchObject({
      reason: expect.stringMatching(/^sequence_num gap: 3 -> 6 \(2 message\(s\) lost;/) as unknown,
    });
    expect(run.sink.sent.slice(sentBefore)).toEqual([
      '{"type":"unsubscribe","product_ids":["BTC-USD","ETH-USD"],"channel":"level2"}',
      '{"type":"subscribe","product_ids":["BTC-USD","ETH-USD"],"channel":"level2"}',
    ]);
    expect(run.sink.counts.ignored['l2_data while awaiting the snapshot']).toBe(1);
    expect(run.session.sequence.stats).toEqual({ gaps: 1, missed: 2, stale: 0 });

    // Trades keep flowing; books come back with their new snapshots, one by one.
    run.feed(
      f.trades('update', [{ id: '7', product: 'BTC-USD', price: '100.2', size: '1', side: 'SELL' }]),
      f.l2([
        {
          type: 'snapshot',
          product: 'ETH-USD',
          rows: [
            ['bid', '10.1', '1'],
            ['offer', '10.9', '1'],
          ],
        },
      ]),
    );
    expect(run.session.bookSync('ETH-USD')!.isLive).toBe(true);
    expect(run.session.bookSync('BTC-USD')!.isLive).toBe(false);
    run.feed(
      f.l2([
        {
          type: 'snapshot',
          product: 'BTC-USD',
          rows: [
            ['bid', '100', '1'],
            ['offer', '101', '1'],
          ],
        },
      ]),
    );
    expect(run.session.bookSync('BTC-USD')!.isLive).toBe(true);
    expect(statuses(run.sink.events).slice(4)).toEqual([
      'BTC-USD resyncing',
      'ETH-USD resyncing',
      'ETH-USD live',
      'BTC-USD live',
    ]);
    expect(run.sink.events.filter((event) => event.type === 'trade')).toHaveLength(1);
  });

  it('ignores duplicate and older sequence_num frames without applying them', () => {
    const run = synced();
    const { frames: f } = run;
    const update = f.l2([{ type: 'update', product: 'BTC-USD', rows: [['bid', '99.50', '7']] }]);
    run.feed(update, update);
    const older = f.envelope(
      'l2_data',
      [
        {
          type: 'update',
          product_id: 'BTC-USD',
          updates: [{ side: 'bid', event_time: '2023-02-09T20:32:50Z', price_level: '99.50', new_quantity: '0' }],
        },
      ],
      2,
    );
    run.feed(older);
    expect(run.sink.counts.ignored['sequence_num not above the last one']).toBe(2);
    expect(run.session.bookSync('BTC-USD')!.book.level('bid', '99.5')?.size).toBe('7');
    expect(run.session.sequence.stats).toEqual({ gaps: 0, missed: 0, stale: 2 });
    expect(run.sink.events.filter((event) => event.type === 'status' && event.state === 'resyncing')).toEqual([]);
  });

  it('resyncs only the product whose update crossed its book; the other book stays live and untouched', () => {
    const run = synced();
    const { frames: f } = run;
    const sentBefore = run.sink.sent.length;
    // One altered digit: a bid at 109.00 instead of 100.00 crosses the 101.00 ask.
    run.feed(f.l2([{ type: 'update', product: 'BTC-USD', rows: [['bid', '109.00', '1.5']] }]));
    expect(run.sink.counts.parsed['l2_data crossed']).toBe(1);
    const resyncs = run.sink.events.filter((event) => event.type === 'status' && event.state === 'resyncing');
    expect(resyncs).toEqual([
      expect.objectContaining({
        symbol: 'BTC-USD',
        reason: 'crossed book after l2_data update (sequence_num 4): best bid 109 >= best ask 101',
      }),
    ]);
    expect(run.sink.sent.slice(sentBefore)).toEqual([
      '{"type":"unsubscribe","product_ids":["BTC-USD"],"channel":"level2"}',
      '{"type":"subscribe","product_ids":["BTC-USD"],"channel":"level2"}',
    ]);
    expect(run.sink.events.some((event) => event.type === 'book_delta')).toBe(false);
    expect(run.session.bookSync('ETH-USD')!.isLive).toBe(true);
    run.feed(f.l2([{ type: 'update', product: 'ETH-USD', rows: [['bid', '10.2', '1']] }]));
    expect(run.sink.counts.parsed['l2_data update']).toBe(1);
  });

  it('rejects an l2_data frame with a bad level before applying any of it, and resyncs the books it names', () => {
    const run = synced();
    const { frames: f } = run;
    run.feed(
      f.l2([
        { type: 'update', product: 'ETH-USD', rows: [['bid', '10.3', '1']] },
        { type: 'update', product: 'ETH-USD', rows: [['offer', '10.8', 'lots']] },
      ]),
    );
    expect(run.sink.total('rejected')).toBe(1);
    expect(Object.keys(run.sink.counts.rejected)[0]).toMatch(/^l2_data: ask level 0 \["10\.8","lots"\]/);
    expect(run.sink.events.some((event) => event.type === 'book_delta')).toBe(false);
    expect(statuses(run.sink.events).at(-1)).toBe('ETH-USD resyncing');
    expect(run.session.bookSync('BTC-USD')!.isLive).toBe(true);
    expect(run.session.bookSync('ETH-USD')!.isLive).toBe(false);
  });

  it('emits market trades in trade_id order with the taker side, drops repeats, and seeds from the snapshot', () => {
    const run = synced();
    const { frames: f } = run;
    run.feed(
      f.trades('snapshot', [
        { id: '000000101', product: 'BTC-USD', price: '100.5', size: '0.1', side: 'BUY' },
        { id: '000000100', product: 'BTC-USD', price: '100.4', size: '0.1', side: 'SELL' },
      ]),
      f.trades('update', [
        {
          id: '104',
          product: 'BTC-USD',
          price: '101.00',
          size: '0.30000000',
          side: 'SELL',
          time: '2023-02-09T20:33:00.123456789Z',
        },
        { id: '103', product: 'BTC-USD', price: '100.00', size: '2', side: 'BUY' },
        { id: '101', product: 'BTC-USD', price: '100.5', size: '0.1', side: 'BUY' },
      ]),
      f.trades('update', [{ id: '104', product: 'BTC-USD', price: '101.00', size: '0.3', side: 'SELL' }]),
    );
    const trades = run.sink.events.filter((event) => event.type === 'trade');
    expect(trades.map((t) => [t.tradeId, t.side, t.price, t.size])).toEqual([
      ['103', 'sell', '100', '2'],
      ['104', 'buy', '101', '0.3'],
    ]);
    expect(trades[1]!.venueTime).toBe(Date.UTC(2023, 1, 9, 20, 33, 0) * 1000 + 123456);
    expect(run.sink.counts.parsed['market_trades snapshot']).toBe(1);
    expect(run.sink.counts.parsed['market_trades update']).toBe(1);
    expect(run.sink.counts.ignored['market_trades already seen']).toBe(1);
    expect(run.session.trades.stats.duplicates).toBe(2);

    const taker = synced({ marketTradesSide: 'taker' });
    taker.feed(taker.frames.trades('update', [{ id: '1', product: 'BTC-USD', price: '1', size: '1', side: 'BUY' }]));
    expect(taker.sink.events.find((event) => event.type === 'trade')).toMatchObject({ side: 'buy' });
  });

  it('turns ticker and ticker_batch into BBO events with sizes, and skips tickers without them', () => {
    const run = synced();
    const { frames: f } = run;
    run.feed(
      f.ticker('BTC-USD', ['21931.98', '8000.21'], ['21933.98', '0']),
      f.ticker('BTC-USD', ['21931.99', '1.50'], ['21932.00', '0.5'], 'ticker_batch'),
      f.ticker('BTC-USD', ['21931.99', '1.50'], null),
    );
    const bbos = run.sink.events.filter((event) => event.type === 'bbo');
    expect(bbos.map((b) => [b.bid, b.ask])).toEqual([
      [['21931.98', '8000.21'], null],
      [
        ['21931.99', '1.5'],
        ['21932', '0.5'],
      ],
    ]);
    expect(run.sink.counts.parsed).toMatchObject({ ticker: 1, ticker_batch: 1 });
    expect(run.sink.counts.ignored['ticker without best prices and sizes']).toBe(1);
  });

  it('notes heartbeat_counter gaps (string or number counters) in a connection status', () => {
    const run = synced();
    const { frames: f } = run;
    run.feed(f.heartbeat(3050), f.heartbeat(3053, false), f.heartbeat(3054));
    expect(run.session.heartbeats.stats).toEqual({ heartbeats: 4, gaps: 1, missed: 2, stale: 0 });
    const alerts = run.sink.events.filter((event) => event.type === 'status' && event.symbol === null);
    expect(alerts).toEqual([
      expect.objectContaining({ state: 'live', reason: 'heartbeat_counter gap: 3050 -> 3053 (2 heartbeat(s) missed)' }),
    ]);
    expect(run.sink.counts.parsed['heartbeats']).toBe(4);
  });

  it('keeps error replies, ignores unsupported channels, and survives a close', () => {
    const run = synced();
    const { frames: f } = run;
    run.feed('{"type":"error","message":"failure to subscribe"}', f.envelope('candles', [{ type: 'snapshot' }]));
    expect(run.session.errors).toEqual(['failure to subscribe']);
    expect(run.sink.counts.ignored).toMatchObject({ 'error reply': 1, 'unsupported channel': 1 });
    run.session.close(9, 'connection closed (1006)');
    expect(statuses(run.sink.events).slice(-2)).toEqual(['BTC-USD disconnected', 'ETH-USD disconnected']);
    expect(run.session.bookSync('BTC-USD')!.isLive).toBe(false);
  });

  it('never throws when the sink itself fails, and still accounts the frame once', () => {
    const counting = new CollectingSink();
    const session = new CoinbaseAdapter({ feed: 'advanced-trade' }).createSession(SUBSCRIPTIONS, {
      event: () => {
        throw new Error('consumer failed');
      },
      send: () => undefined,
      request: () => undefined,
      replaceConnection: () => undefined,
      account: (outcome, kind) => {
        counting.account(outcome, kind);
      },
    });
    const frames = new AdvancedTradeFrames();
    expect(() => {
      session.handleFrame(frames.l2([{ type: 'snapshot', product: 'BTC-USD', rows: [['bid', '1', '1']] }]), 1);
    }).not.toThrow();
    expect(counting.counts.rejected).toEqual({ 'frame: internal error: consumer failed': 1 });
  });
});
