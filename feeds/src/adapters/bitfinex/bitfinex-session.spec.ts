import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FeedStatusEvent, MarketEvent, TradeEvent } from '../../model/events';
import { CollectingSink } from '../collecting-sink';
import type { UpstreamSubscription } from '../venue-adapter';
import { BitfinexAdapter } from './bitfinex-adapter';
import type { BitfinexSession } from './bitfinex-session';
import { ScriptedVenue } from './test-support/bitfinex-frames';

const BOOK_BTC = '{"event":"subscribe","channel":"book","symbol":"tBTCUSD","prec":"P0","freq":"F0","len":"100"}';
const TRADES_BTC = '{"event":"subscribe","channel":"trades","symbol":"tBTCUSD"}';
const SNAPSHOT = '[[100,1,2],[99.5,2,3.5],[101,1,-1],[102,3,-4.25]]';

function setup(
  subscriptions: UpstreamSubscription[],
  options: ConstructorParameters<typeof BitfinexAdapter>[0] = {},
): { sink: CollectingSink; session: BitfinexSession; venue: ScriptedVenue } {
  const sink = new CollectingSink();
  const session = new BitfinexAdapter(options).createSession(subscriptions, sink);
  session.open(0);
  const venue = new ScriptedVenue(session);
  venue.conf();
  return { sink, session, venue };
}

function statusesOf(events: readonly MarketEvent[], state: FeedStatusEvent['state']): FeedStatusEvent[] {
  return events.filter((e): e is FeedStatusEvent => e.type === 'status' && e.state === state);
}

describe('Bitfinex subscribe and unsubscribe messages', () => {
  it('sends conf, then one subscribe per channel; book and bbo of a symbol share one book channel', () => {
    const { sink } = setup([
      { symbol: 'BTC-USD', channel: 'book' },
      { symbol: 'BTC-USD', channel: 'bbo' },
      { symbol: 'BTC-USD', channel: 'trades' },
      { symbol: 'ETH-USDT', channel: 'trades' },
      { symbol: 'TESTBTC-TESTUSD', channel: 'bbo' },
    ]);
    expect(sink.sent).toEqual([
      '{"event":"conf","flags":196608}',
      BOOK_BTC,
      TRADES_BTC,
      '{"event":"subscribe","channel":"trades","symbol":"tETHUST"}',
      '{"event":"subscribe","channel":"book","symbol":"tTESTBTC:TESTUSD","prec":"P0","freq":"F0","len":"100"}',
    ]);
  });

  it('sends nothing before open, and subscribes later additions at once', () => {
    const sink = new CollectingSink();
    const session = new BitfinexAdapter({ bookLength: 25 }).createSession(
      [{ symbol: 'BTC-USD', channel: 'book' }],
      sink,
    );
    expect(sink.sent).toEqual([]);
    session.open(0);
    session.subscribe([{ symbol: 'BTC-USD', channel: 'trades' }]);
    session.subscribe([{ symbol: 'BTC-USD', channel: 'trades' }]);
    expect(sink.sent).toEqual([
      '{"event":"conf","flags":196608}',
      '{"event":"subscribe","channel":"book","symbol":"tBTCUSD","prec":"P0","freq":"F0","len":"25"}',
      TRADES_BTC,
    ]);
  });

  it('holds at most 25 channels on a connection and subscribes queued ones as slots free up', () => {
    const symbols = Array.from({ length: 30 }, (_, i) => `C${String(i).padStart(2, '0')}-USD`);
    const { sink, session, venue } = setup(symbols.map((symbol) => ({ symbol, channel: 'trades' })));
    const subscribes = (): string[] => sink.sent.filter((text) => text.includes('"event":"subscribe"'));
    expect(subscribes()).toHaveLength(25);
    expect(subscribes()[24]).toBe('{"event":"subscribe","channel":"trades","symbol":"tC24USD"}');
    venue.subscribed('trades', 'tC00USD', 500);
    session.unsubscribe([{ symbol: 'C00-USD', channel: 'trades' }]);
    expect(sink.sent.at(-1)).toBe('{"event":"unsubscribe","chanId":500}');
    // The slot is free only once the venue confirms.
    expect(subscribes()).toHaveLength(25);
    venue.unsubscribed(500);
    expect(subscribes()).toHaveLength(26);
    expect(sink.sent.at(-1)).toBe('{"event":"subscribe","channel":"trades","symbol":"tC25USD"}');
  });

  it('unsubscribing everything leaves no wanted subscription and no channel, pending ones included', () => {
    const all: UpstreamSubscription[] = [
      { symbol: 'BTC-USD', channel: 'book' },
      { symbol: 'BTC-USD', channel: 'bbo' },
      { symbol: 'BTC-USD', channel: 'trades' },
      { symbol: 'ETH-USD', channel: 'book' },
    ];
    const { sink, session, venue } = setup(all);
    venue.subscribed('book', 'tBTCUSD', 1);
    venue.subscribed('trades', 'tBTCUSD', 2);
    venue.data(1, SNAPSHOT);
    // ETH-USD's subscribe is still unanswered.
    const sentBefore = sink.sent.length;
    session.unsubscribe(all);
    expect(session.wanted).toEqual([]);
    expect(sink.sent.slice(sentBefore)).toEqual([
      '{"event":"unsubscribe","chanId":1}',
      '{"event":"unsubscribe","chanId":2}',
    ]);
    venue.subscribed('book', 'tETHUSD', 3);
    expect(sink.sent.at(-1)).toBe('{"event":"unsubscribe","chanId":3}');
    venue.unsubscribed(1);
    venue.unsubscribed(2);
    venue.unsubscribed(3);
    expect(session.channelStates).toEqual([]);
    expect(session.bookSync('BTC-USD')).toBeUndefined();
    expect(sink.total('rejected')).toBe(0);
  });

  it('dropping bbo keeps the book channel; dropping the book too unsubscribes it', () => {
    const { sink, session, venue } = setup([
      { symbol: 'BTC-USD', channel: 'book' },
      { symbol: 'BTC-USD', channel: 'bbo' },
    ]);
    venue.subscribed('book', 'tBTCUSD', 1);
    venue.data(1, SNAPSHOT);
    session.unsubscribe([{ symbol: 'BTC-USD', channel: 'bbo' }]);
    expect(sink.sent.filter((text) => text.includes('unsubscribe'))).toEqual([]);
    const bbos = sink.events.filter((e) => e.type === 'bbo').length;
    venue.data(1, '[100,2,5]');
    expect(sink.events.filter((e) => e.type === 'bbo')).toHaveLength(bbos);
    session.unsubscribe([{ symbol: 'BTC-USD', channel: 'book' }]);
    expect(sink.sent.at(-1)).toBe('{"event":"unsubscribe","chanId":1}');
  });

  it('a consumer that starts wanting a live book gets a snapshot of it at once', () => {
    const { sink, session, venue } = setup([{ symbol: 'BTC-USD', channel: 'bbo' }]);
    venue.subscribed('book', 'tBTCUSD', 1);
    venue.data(1, SNAPSHOT);
    venue.data(1, '[99.5,0,1]');
    expect(sink.events.filter((e) => e.type === 'book_snapshot' || e.type === 'book_delta')).toEqual([]);
    session.subscribe([{ symbol: 'BTC-USD', channel: 'book' }]);
    expect(sink.events.at(-1)).toMatchObject({
      type: 'book_snapshot',
      bids: [['100', '2']],
      asks: [
        ['101', '1'],
        ['102', '4.25'],
      ],
      sequence: 2,
    });
  });

  it('reports a refused subscription for its symbol only', () => {
    const { sink, venue } = setup([
      { symbol: 'BTC-USD', channel: 'book' },
      { symbol: 'XYZ-USD', channel: 'book' },
    ]);
    venue.raw('{"event":"error","msg":"symbol: invalid","code":10300,"channel":"book","symbol":"tXYZUSD"}');
    expect(statusesOf(sink.events, 'disconnected')).toEqual([
      expect.objectContaining({
        symbol: 'XYZ-USD',
        reason: 'book subscribe refused: symbol: invalid (code 10300)',
      }) as unknown,
    ]);
    expect(sink.counts.parsed['subscribe error']).toBe(1);
  });
});

describe('Bitfinex books: snapshot, updates, resync', () => {
  it('maps P0 entries: positive amount bid, negative ask, count 0 removes, sizes exact', () => {
    const { sink, session, venue } = setup([{ symbol: 'BTC-USD', channel: 'book' }]);
    venue.subscribed('book', 'tBTCUSD', 1);
    venue.data(1, SNAPSHOT);
    venue.data(1, '[99.5,0,1]');
    venue.data(1, '[102,0,-1]');
    venue.data(1, '[101,2,-0.10000000000000001]');
    const book = sink.events.filter((e) => e.type === 'book_snapshot' || e.type === 'book_delta');
    expect(book).toEqual([
      expect.objectContaining({
        type: 'book_snapshot',
        bids: [
          ['100', '2'],
          ['99.5', '3.5'],
        ],
        asks: [
          ['101', '1'],
          ['102', '4.25'],
        ],
        sequence: 1,
      }),
      expect.objectContaining({ type: 'book_delta', bids: [['99.5', '0']], asks: [], sequence: 2 }),
      expect.objectContaining({ type: 'book_delta', bids: [], asks: [['102', '0']], sequence: 3 }),
      expect.objectContaining({ type: 'book_delta', bids: [], asks: [['101', '0.10000000000000001']], sequence: 4 }),
    ] as unknown[]);
    expect(session.bookSync('BTC-USD')?.book.level('ask', '101')?.wireSize).toBe('0.10000000000000001');
  });

  it('resyncs a book whose verified update crosses it, and only that book', () => {
    const { sink, session, venue } = setup([
      { symbol: 'BTC-USD', channel: 'book' },
      { symbol: 'ETH-USD', channel: 'book' },
    ]);
    venue.subscribed('book', 'tBTCUSD', 1);
    venue.subscribed('book', 'tETHUSD', 2);
    venue.data(1, SNAPSHOT);
    venue.data(2, SNAPSHOT);
    venue.data(1, '[101.5,1,3]');
    const resyncing = statusesOf(sink.events, 'resyncing');
    expect(resyncing).toHaveLength(1);
    expect(resyncing[0]).toMatchObject({
      symbol: 'BTC-USD',
      reason: 'crossed book after update at seq 3: best bid 101.5 >= best ask 101',
    });
    expect(sink.events.filter((e) => e.type === 'book_delta')).toEqual([]);
    expect(sink.sent.at(-1)).toBe('{"event":"unsubscribe","chanId":1}');
    expect(session.bookSync('ETH-USD')?.isLive).toBe(true);
    expect(session.bookSync('BTC-USD')?.stats.crossed).toBe(1);
  });

  it('resyncs a book that gets an update before its snapshot, or a malformed one', () => {
    const { sink, venue } = setup([
      { symbol: 'BTC-USD', channel: 'book' },
      { symbol: 'ETH-USD', channel: 'book' },
    ]);
    venue.subscribed('book', 'tBTCUSD', 1);
    venue.subscribed('book', 'tETHUSD', 2);
    venue.data(1, '[100,1,2]');
    venue.data(2, SNAPSHOT);
    venue.data(2, '[100,1,"2"]');
    expect(statusesOf(sink.events, 'resyncing').map((e) => [e.symbol, e.reason])).toEqual([
      ['BTC-USD', 'book update before the snapshot at seq 1'],
      ['ETH-USD', 'book update: malformed'],
    ]);
    expect(sink.counts.rejected).toEqual({ 'book update: malformed': 1 });
  });

  it('on a sequence gap resyncs every book of the connection and still emits the trade that revealed it', () => {
    const { sink, venue } = setup([
      { symbol: 'BTC-USD', channel: 'book' },
      { symbol: 'ETH-USD', channel: 'book' },
      { symbol: 'BTC-USD', channel: 'trades' },
    ]);
    venue.subscribed('book', 'tBTCUSD', 1);
    venue.subscribed('book', 'tETHUSD', 2);
    venue.subscribed('trades', 'tBTCUSD', 3);
    venue.data(1, SNAPSHOT);
    venue.data(2, SNAPSHOT);
    venue.seq += 2;
    venue.trade(3, 'te', '[401597393,1574694475039,0.005,7244.9]');
    expect(statusesOf(sink.events, 'resyncing').map((e) => [e.symbol, e.reason])).toEqual([
      ['BTC-USD', 'sequence gap: expected 3, got 5 (2 lost)'],
      ['ETH-USD', 'sequence gap: expected 3, got 5 (2 lost)'],
    ]);
    expect(sink.sent.slice(-2)).toEqual(['{"event":"unsubscribe","chanId":1}', '{"event":"unsubscribe","chanId":2}']);
    expect(sink.events.filter((e) => e.type === 'trade')).toHaveLength(1);
  });

  it('ignores duplicate and older sequence numbers without touching the book', () => {
    const { sink, session, venue } = setup([{ symbol: 'BTC-USD', channel: 'book' }]);
    venue.subscribed('book', 'tBTCUSD', 1);
    venue.data(1, SNAPSHOT);
    venue.data(1, '[100,2,7]');
    venue.raw('[1,[100,0,1],2]');
    venue.raw('[1,[99.5,0,1],1]');
    venue.heartbeat(1);
    expect(sink.counts.ignored['duplicate sequence']).toBe(2);
    expect(session.sequenceStats).toEqual({ gaps: 0, missing: 0, duplicates: 2, last: 3 });
    expect(session.bookSync('BTC-USD')?.book.toSnapshot().bids).toEqual([
      ['100', '7'],
      ['99.5', '3.5'],
    ]);
  });

  it('rejects a channel frame without its sequence number once SEQ_ALL is confirmed, and resyncs its book', () => {
    const { sink, venue } = setup([{ symbol: 'BTC-USD', channel: 'book' }]);
    venue.subscribed('book', 'tBTCUSD', 1);
    venue.data(1, SNAPSHOT);
    venue.raw('[1,[100,2,7]]');
    expect(sink.counts.rejected).toEqual({ 'missing SEQ_ALL sequence number': 1 });
    expect(statusesOf(sink.events, 'resyncing')).toHaveLength(1);
  });

  it('subscribes again a wanted channel the venue drops unasked, resyncing its book', () => {
    const { sink, session, venue } = setup([{ symbol: 'BTC-USD', channel: 'book' }]);
    venue.subscribed('book', 'tBTCUSD', 1);
    venue.data(1, SNAPSHOT);
    venue.unsubscribed(1);
    expect(statusesOf(sink.events, 'resyncing').map((e) => e.reason)).toEqual(['unsubscribed by the venue (chanId 1)']);
    expect(sink.sent.at(-1)).toBe(BOOK_BTC);
    expect(session.bookSync('BTC-USD')?.isLive).toBe(false);
    venue.subscribed('book', 'tBTCUSD', 2);
    venue.data(2, SNAPSHOT);
    expect(session.bookSync('BTC-USD')?.isLive).toBe(true);
  });

  it('trims a book to the subscribed length and says so in the delta', () => {
    const { sink, session, venue } = setup([{ symbol: 'BTC-USD', channel: 'book' }], { bookLength: 25 });
    venue.subscribed('book', 'tBTCUSD', 1);
    const bids = Array.from({ length: 25 }, (_, i) => `[${100 - i},1,1]`);
    venue.data(1, `[${bids.join(',')},[101,1,-1]]`);
    venue.data(1, '[100.5,1,2]');
    expect(sink.events.at(-1)).toMatchObject({
      type: 'book_delta',
      bids: [
        ['100.5', '2'],
        ['76', '0'],
      ],
    });
    const book = session.bookSync('BTC-USD')!;
    expect(book.book.levelCount('bid')).toBe(25);
    expect(book.stats.trimmedLevels).toBe(1);
  });
});

describe('Bitfinex trades', () => {
  it('emits te with the taker side from the amount sign, ignores tu and the snapshot', () => {
    const { sink, venue } = setup([{ symbol: 'BTC-USDT', channel: 'trades' }]);
    venue.subscribed('trades', 'tBTCUST', 9);
    venue.data(9, '[[401597393,1574694475039,0.005,7244.9],[401597392,1574694474000,-1,7244.8]]');
    venue.trade(9, 'te', '[401597394,1574694478808,-0.0125,7245.3]');
    venue.trade(9, 'tu', '[401597394,1574694478808,-0.0125,7245.3]');
    venue.trade(9, 'te', '[401597395,1574694479000,2.5e-7,7245.4]');
    const trades = sink.events.filter((e): e is TradeEvent => e.type === 'trade');
    expect(trades).toEqual([
      expect.objectContaining({
        venue: 'bitfinex',
        symbol: 'BTC-USDT',
        tradeId: '401597394',
        side: 'sell',
        price: '7245.3',
        size: '0.0125',
        venueTime: 1574694478808000,
      }),
      expect.objectContaining({ tradeId: '401597395', side: 'buy', size: '0.00000025' }),
    ] as unknown[]);
    expect(sink.counts.ignored).toEqual({ 'trades snapshot': 1, tu: 1 });
    expect(sink.counts.parsed['te']).toBe(2);
  });
});

describe('Bitfinex info events', () => {
  it('20051 asks for a replacement connection; 20060 marks books stale; 20061 resubscribes every channel', () => {
    const { sink, venue } = setup([
      { symbol: 'BTC-USD', channel: 'book' },
      { symbol: 'BTC-USD', channel: 'trades' },
    ]);
    venue.raw('{"event":"info","version":2,"serverId":"x","platform":{"status":1}}');
    venue.subscribed('book', 'tBTCUSD', 1);
    venue.subscribed('trades', 'tBTCUSD', 2);
    venue.data(1, SNAPSHOT);
    venue.raw('{"event":"info","code":20051,"msg":"Stopping. Please try to reconnect"}');
    expect(sink.replacements).toHaveLength(1);
    venue.raw('{"event":"info","code":20060,"msg":"Entering in Maintenance mode."}');
    expect(statusesOf(sink.events, 'stale').map((e) => e.symbol)).toEqual([null, 'BTC-USD']);
    venue.raw('{"event":"info","code":20061,"msg":"Maintenance ended."}');
    expect(sink.sent.slice(-2)).toEqual(['{"event":"unsubscribe","chanId":1}', '{"event":"unsubscribe","chanId":2}']);
    venue.unsubscribed(1);
    venue.unsubscribed(2);
    expect(sink.sent.slice(-2)).toEqual([BOOK_BTC, TRADES_BTC]);
    expect(sink.counts.parsed).toMatchObject({ info: 1, 'info 20051': 1, 'info 20060': 1, 'info 20061': 1 });
  });
});

describe('Bitfinex session robustness', () => {
  it('rejects each malformed frame exactly once, with a reason', () => {
    const { sink, session, venue } = setup([
      { symbol: 'BTC-USD', channel: 'book' },
      { symbol: 'BTC-USD', channel: 'trades' },
    ]);
    venue.subscribed('book', 'tBTCUSD', 1);
    venue.subscribed('trades', 'tBTCUSD', 2);
    const malformed: ((seq: number) => string)[] = [
      (seq) => `[1,[100.5,1,"0.25"],${seq}]`,
      (seq) => `[1,[100.5,1,1e999],${seq}]`,
      (seq) => `[1,[-100.5,1,0.25],${seq}]`,
      (seq) => `[1,[100.5,1.5,0.25],${seq}]`,
      (seq) => `[1,[100.5,1,0],${seq}]`,
      (seq) => `[1,[100.5,1,0.25],"${seq}"]`,
      (seq) => `[1e0,[100.5,1,0.25],${seq}]`,
      (seq) => `[1,[[100,0,1]],${seq}]`,
      (seq) => `[2,"te",[1,2,"3",4],${seq}]`,
      (seq) => `[2,"te",[1,2,0,4],${seq}]`,
      (seq) => `[2,"te",[1,2,1e-99,4],${seq}]`,
      (seq) => `[1,"cs","x",${seq}]`,
      (seq) => `[1,"cs",2147483648,${seq}]`,
      (seq) => `[1,"zz",0,${seq}]`,
      (seq) => `[1,[100,1,2]] ${seq}`,
      () => '{"event":"subscribed","channel":"book"}',
      () => '{"event":42}',
      () => '{"event":"info","version":"2"}',
      () => '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]',
      () => 'hb',
      () => '',
    ];
    const book = session.channelStates.find((entry) => entry.channel === 'book')!;
    for (const frame of malformed) {
      // A rejected book frame resyncs the book: complete that, so the next frame meets a live book.
      if (book.phase === 'unsubscribing') venue.unsubscribed(1);
      if (book.phase === 'subscribing') venue.subscribed('book', 'tBTCUSD', 1);
      venue.data(1, SNAPSHOT);
      const rejected = sink.total('rejected');
      const frames = sink.frames;
      venue.raw(frame(++venue.seq));
      expect(sink.frames - frames, frame(0)).toBe(1);
      expect(sink.total('rejected') - rejected, frame(0)).toBe(1);
      // A frame rejected before its sequence number was read leaves a hole; carry on after the last one read.
      venue.seq = session.sequenceStats.last ?? venue.seq;
    }
    expect(session.sequenceStats.gaps).toBe(0);
  });

  it('never throws on malformed, truncated, wrong-type or huge frames, and accounts each exactly once', () => {
    const { sink, session, venue } = setup([
      { symbol: 'BTC-USD', channel: 'book' },
      { symbol: 'BTC-USD', channel: 'trades' },
    ]);
    venue.subscribed('book', 'tBTCUSD', 1);
    venue.subscribed('trades', 'tBTCUSD', 2);
    venue.data(1, SNAPSHOT);
    const update = '[1,[100.5,1,0.25],77]';
    const frames = fc.oneof(
      fc.string(),
      fc.json(),
      fc.nat({ max: update.length }).map((cut) => update.slice(0, cut)),
      fc.nat({ max: SNAPSHOT.length }).map((cut) => `[1,${SNAPSHOT.slice(0, cut)}`),
      fc.constantFrom(
        update.replace('100.5', '"100.5"'),
        update.replace('0.25', '1e999'),
        update.replace('0.25', '0.0000000000000000000000000000000000000000000000001'),
        update.replace('100.5', '-100.5'),
        update.replace(',1,', ',1.5,'),
        update.replace(',77]', ',"77"]'),
        update.replace('[1,', '[1e3,'),
        '[2,"te",[1,2,"3",4],78]',
        '[2,"te",[1,2,0,4],79]',
        '[1,"cs","x",80]',
        '[1,"cs",99999999999,81]',
        '{"event":"subscribed","channel":"book"}',
        '{"event":42}',
        `[1,[${'[100,1,1],'.repeat(50_000)}[100,1,1]],90]`,
        `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
        '[1,[100,1,2]] trailing',
        '',
      ),
    );
    fc.assert(
      fc.property(frames, (frame) => {
        const before = sink.frames;
        expect(() => {
          session.handleFrame(frame, 1);
        }).not.toThrow();
        expect(sink.frames).toBe(before + 1);
      }),
      { numRuns: 600 },
    );
    expect(sink.total('rejected')).toBeGreaterThan(0);
    expect(Object.keys(sink.counts.rejected).some((kind) => kind.startsWith('internal error'))).toBe(false);
  });
});
