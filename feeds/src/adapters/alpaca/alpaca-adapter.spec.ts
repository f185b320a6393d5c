import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { BboEvent, TradeEvent } from '../../model/events';
import type { RecordingEntry } from '../../recording/recording-entry';
import { CollectingSink } from '../collecting-sink';
import { replayIntoSessions } from '../replay-session';
import type { UpstreamSubscription } from '../venue-adapter';
import { AlpacaAdapter } from './alpaca-adapter';
import { AlpacaCredentials } from './alpaca-credentials';
import type { AlpacaSession } from './alpaca-session';
import { parseInstrumentReason } from './alpaca-trading-status';
import * as doc from './test-support/alpaca-doc-frames';
import { authenticated, drive, KEY_ID, micros, SECRET, statusTriples, T0 } from './test-support/alpaca-harness';

/** The subscriptions of the documented SIP example session: trades AAPL, quotes AMD and CLDR. */
const DOC_SUBSCRIPTIONS: UpstreamSubscription[] = [
  { symbol: 'AAPL-USD', channel: 'trades' },
  { symbol: 'AMD-USD', channel: 'bbo' },
  { symbol: 'CLDR-USD', channel: 'bbo' },
];

/** Every documented data frame after the handshake, in the order the doc session test feeds them. */
const DOC_DATA = [
  doc.SIP_QUOTE_AMD_1,
  doc.SIP_TRADES_AAPL,
  doc.SIP_QUOTE_AMD_2,
  doc.V2_TRADE_AAPL,
  doc.V2_QUOTES_AMD,
  doc.BAR_SPY,
  doc.CORRECTION_EEM,
  doc.CANCEL_GOOGL,
  doc.LULD_IONM,
  doc.IMBALANCE_INAQU,
  doc.STATUS_HALT_AAPL,
  doc.STATUS_RESUME_AAPL,
  doc.STATUS_LULD_PAUSE_AMD,
  doc.STATUS_SSR_AMD,
];

/** The documented session as a recording: open, greeting, auth, subscription answer, data. */
function docRecording(): RecordingEntry[] {
  const frames = [doc.CONNECTED, doc.AUTHENTICATED, doc.SIP_SUBSCRIPTION, ...DOC_DATA];
  return [
    { kind: 'open', time: T0, conn: 1, url: 'wss://stream.data.alpaca.markets/v2/sip' },
    ...frames.map((data, index) => ({ kind: 'recv' as const, time: T0 + (index + 1) * 1000, conn: 1, data })),
  ];
}

async function replayDoc(): Promise<{ sink: CollectingSink; session: AlpacaSession }> {
  const adapter = new AlpacaAdapter({ feed: 'sip', credentials: new AlpacaCredentials(KEY_ID, SECRET) });
  const sink = new CollectingSink();
  let session: AlpacaSession | undefined;
  await replayIntoSessions(docRecording(), () => {
    session = adapter.createSession(DOC_SUBSCRIPTIONS, sink);
    return session;
  });
  if (session === undefined) throw new Error('no session');
  return { sink, session };
}

describe('Alpaca handshake (docs.alpaca.markets/docs/streaming-market-data)', () => {
  it('sends nothing before the greeting, auth after it, and subscribes only once authenticated', () => {
    const { sink, feed } = drive(DOC_SUBSCRIPTIONS, { feed: 'sip' });
    expect(sink.sent).toEqual([]);
    feed(doc.CONNECTED);
    expect(sink.sent).toEqual([`{"action":"auth","key":"${KEY_ID}","secret":"${SECRET}"}`]);
    feed(doc.AUTHENTICATED);
    expect(sink.sent.slice(1)).toEqual([
      '{"action":"subscribe","trades":["AAPL"],"quotes":["AMD","CLDR"],"statuses":["AAPL","AMD","CLDR"]}',
    ]);
    expect(sink.counts.parsed).toEqual({ 'success connected': 1, 'success authenticated': 1 });
  });

  it('authenticates once: a repeated greeting or success message sends nothing more', () => {
    const { sink, feed } = drive(DOC_SUBSCRIPTIONS);
    feed(doc.CONNECTED);
    feed(doc.CONNECTED);
    feed(doc.AUTHENTICATED);
    feed(doc.AUTHENTICATED);
    feed(doc.CONNECTED);
    expect(sink.sent.map((text) => (JSON.parse(text) as { action: string }).action)).toEqual(['auth', 'subscribe']);
    expect(sink.total('rejected')).toBe(0);
  });

  it('reports the venue connection: connecting on open, authenticating, then live once authenticated', () => {
    const { sink } = authenticated(DOC_SUBSCRIPTIONS, { feed: 'sip' });
    expect(statusTriples(sink.events).filter(([symbol]) => symbol === null)).toEqual([
      [null, 'connecting', 'socket open to the sip feed; waiting for the greeting'],
      [null, 'connecting', 'authenticating as …0001'],
      [null, 'live', 'authenticated on the sip feed'],
    ]);
  });

  it('without credentials never authenticates, and says which variables to set', () => {
    const sink = new CollectingSink();
    const session = new AlpacaAdapter().createSession(DOC_SUBSCRIPTIONS, sink);
    session.open(T0);
    session.handleFrame(doc.CONNECTED, T0 + 1);
    session.subscribe([{ symbol: 'MSFT-USD', channel: 'trades' }]);
    expect(sink.sent).toEqual([]);
    const venue = sink.events.filter((event) => event.type === 'status' && event.symbol === null).at(-1);
    expect(venue).toMatchObject({ state: 'disconnected' });
    expect(venue?.type === 'status' && venue.reason).toMatch(/APCA_API_KEY_ID and APCA_API_SECRET_KEY/);
  });

  it('connects to /v2/{feed}; a heartbeat long enough for the ~54 s venue pings', () => {
    expect(new AlpacaAdapter().url()).toBe('wss://stream.data.alpaca.markets/v2/iex');
    expect(new AlpacaAdapter({ feed: 'sip' }).url()).toBe('wss://stream.data.alpaca.markets/v2/sip');
    expect(new AlpacaAdapter({ feed: 'test', wsBase: 'ws://127.0.0.1:9/' }).url()).toBe('ws://127.0.0.1:9/v2/test');
    expect(new AlpacaAdapter().heartbeat).toEqual({ expectedIntervalMs: 60_000 });
    expect(new AlpacaAdapter().heartbeat.clientPing).toBeUndefined();
  });
});

describe('Alpaca adapter on the documented frames', () => {
  it('accounts for every frame exactly once: 17 frames, 11 parsed, 6 ignored, 0 rejected', async () => {
    const { sink } = await replayDoc();
    expect(sink.frames).toBe(docRecording().filter((entry) => entry.kind === 'recv').length);
    expect(sink.frames).toBe(17);
    expect(sink.total('rejected')).toBe(0);
    expect(sink.counts.parsed).toEqual({
      'success connected': 1,
      'success authenticated': 1,
      subscription: 1,
      quote: 3,
      trade: 2,
      status: 3,
    });
    expect(sink.counts.ignored).toEqual({
      bar: 1,
      correction: 1,
      cancelError: 1,
      luld: 1,
      imbalance: 1,
      'status (no trading change)': 1,
    });
  });

  it('counts each data point of a batched frame: 4 trades and 5 quotes in 5 frames', async () => {
    const { session } = await replayDoc();
    expect(session.stats.messages).toMatchObject({ trade: 4, quote: 5, status: 3 });
  });

  it('maps trades exactly: wire prices, per-exchange ids, nanosecond times truncated to µs, side unknown', async () => {
    const { sink } = await replayDoc();
    const trades = sink.events.filter((event): event is TradeEvent => event.type === 'trade');
    expect(trades.map((t) => [t.symbol, t.tradeId, t.price, t.size, t.side, t.venueTime])).toEqual([
      ['AAPL-USD', 'K:628', '162.92', '3', 'unknown', micros('2023-04-06T11:54:26.838Z', 232)],
      ['AAPL-USD', 'Z:75', '162.92', '3', 'unknown', micros('2023-04-06T11:54:26.838Z', 562)],
      ['AAPL-USD', 'P:1465', '162.91', '71', 'unknown', micros('2023-04-06T11:54:26.839Z', 159)],
      ['AAPL-USD', 'D:96921', '126.55', '1', 'unknown', micros('2021-02-22T15:51:44.208Z')],
    ]);
    expect(trades.every((t) => t.venue === 'alpaca')).toBe(true);
  });

  it('maps quotes to bbo with sizes in shares (round lots × 100)', async () => {
    const { sink } = await replayDoc();
    const bbo = sink.events.filter((event): event is BboEvent => event.type === 'bbo');
    expect(bbo.map((q) => [q.symbol, q.bid, q.ask, q.venueTime])).toEqual([
      ['AMD-USD', ['91.95', '200'], ['91.98', '100'], micros('2023-04-06T11:54:21.670Z', 905)],
      ['AMD-USD', ['91.9', '100'], ['91.98', '100'], micros('2023-04-06T11:54:27.924Z', 933)],
      ['AMD-USD', ['87.66', '100'], ['87.67', '100'], micros('2021-02-22T15:51:45.335Z', 567)],
      ['AMD-USD', ['87.66', '100'], ['87.68', '400'], micros('2021-02-22T15:51:45.335Z', 689)],
      ['AMD-USD', ['87.66', '100'], ['87.67', '100'], micros('2021-02-22T15:51:45.335Z', 806)],
    ]);
  });

  it('reports subscription, session and halts per symbol, keeping the feed live through a halt', async () => {
    const { sink } = await replayDoc();
    const perSymbol = statusTriples(sink.events).filter(([symbol]) => symbol !== null);
    expect(perSymbol).toEqual([
      ['AAPL-USD', 'connecting', 'waiting for authentication'],
      ['AMD-USD', 'connecting', 'waiting for authentication'],
      ['CLDR-USD', 'connecting', 'waiting for authentication'],
      // The answer lists statuses ["*"]: every symbol is confirmed with its halts. 07:54 New York.
      ['AAPL-USD', 'live', 'subscribed: trades, statuses'],
      ['AAPL-USD', 'live', 'session: pre-market'],
      ['AMD-USD', 'live', 'subscribed: quotes, statuses'],
      ['AMD-USD', 'live', 'session: pre-market'],
      ['CLDR-USD', 'live', 'subscribed: quotes, statuses'],
      ['CLDR-USD', 'live', 'session: pre-market'],
      // The 2021 examples are stamped 10:51 New York (EST): the session of the data changes.
      ['AAPL-USD', 'live', 'session: regular'],
      ['AMD-USD', 'live', 'session: regular'],
      ['AAPL-USD', 'live', 'halted: H Trading Halt: T12 Trading Halted; For information requested by NASDAQ'],
      ['AAPL-USD', 'live', 'resumed: T Trading Resumption'],
      ['AMD-USD', 'live', 'paused: 2 Trading Halt: M Limit Up-Limit Down (LULD) Trading Pause'],
    ]);
    // The reasons read back as instrument state (see README "Instrument state").
    expect(parseInstrumentReason('session: pre-market')).toEqual({ session: 'pre-market' });
    expect(parseInstrumentReason(perSymbol[11]![2])).toEqual({
      trading: 'halted',
      cause: 'H Trading Halt: T12 Trading Halted; For information requested by NASDAQ',
    });
  });

  it('keeps the instrument state for tools: trading state, its cause and the session', async () => {
    const { session } = await replayDoc();
    expect(session.instrument('AAPL-USD')).toMatchObject({
      feed: 'live',
      trading: 'trading',
      tradingCause: 'T Trading Resumption',
      session: 'regular',
    });
    expect(session.instrument('AMD-USD')).toMatchObject({ trading: 'paused', session: 'regular' });
    expect(session.instrument('CLDR-USD')).toMatchObject({ trading: 'trading', session: 'pre-market' });
  });

  it('reads the test stream (FAKEPACA): quotes parsed, the bar ignored', () => {
    const { sink, feed } = authenticated([{ symbol: 'FAKEPACA-USD', channel: 'bbo' }], { feed: 'test' });
    expect(sink.sent.at(-1)).toBe('{"action":"subscribe","quotes":["FAKEPACA"],"statuses":["FAKEPACA"]}');
    for (const frame of [doc.TEST_SUBSCRIPTION, doc.TEST_QUOTE_1, doc.TEST_QUOTE_2, doc.TEST_BAR]) feed(frame);
    expect(sink.counts.parsed).toMatchObject({ subscription: 1, quote: 2 });
    expect(sink.counts.ignored).toEqual({ bar: 1 });
    const bbo = sink.events.filter((event): event is BboEvent => event.type === 'bbo');
    expect(bbo.map((q) => [q.bid, q.ask])).toEqual([
      [
        ['133.85', '400'],
        ['135.77', '500'],
      ],
      [
        ['133.85', '400'],
        ['135.77', '500'],
      ],
    ]);
    // The test stream's answer has no statuses: live on quotes alone. The receive clock says 07:54
    // New York (pre-market); the quotes are stamped 07:56 UTC in July, 03:56 EDT: closed.
    expect(
      statusTriples(sink.events)
        .filter(([symbol]) => symbol !== null)
        .slice(-3),
    ).toEqual([
      ['FAKEPACA-USD', 'live', 'subscribed: quotes'],
      ['FAKEPACA-USD', 'live', 'session: pre-market'],
      ['FAKEPACA-USD', 'live', 'session: closed'],
    ]);
  });
});

describe('Alpaca frame accounting', () => {
  it('accounts a batch once, naming its kinds; an all-ignored batch is ignored; an empty one too', () => {
    const { sink, feed, session } = authenticated([
      { symbol: 'AAPL-USD', channel: 'trades' },
      { symbol: 'AMD-USD', channel: 'bbo' },
    ]);
    const before = sink.frames;
    feed(`[${doc.V2_TRADE_AAPL.slice(1, -1)},${doc.SIP_QUOTE_AMD_1.slice(1, -1)},${doc.BAR_SPY.slice(1, -1)}]`);
    feed(`[${doc.BAR_SPY.slice(1, -1)},${doc.CANCEL_GOOGL.slice(1, -1)}]`);
    feed('[]');
    expect(sink.frames - before).toBe(3);
    expect(sink.counts.parsed).toMatchObject({ 'quote+trade': 1 });
    expect(sink.counts.ignored).toEqual({ 'bar+cancelError': 1, 'empty batch': 1 });
    expect(session.stats.messages).toMatchObject({ trade: 1, quote: 1, bar: 2, cancelError: 1 });
    expect(sink.events.filter((event) => event.type === 'trade' || event.type === 'bbo')).toHaveLength(2);
  });
});

describe('Alpaca exactness', () => {
  it('reads bare JSON numbers losslessly: no float ever touches a price or size', () => {
    const { sink, feed } = authenticated([{ symbol: 'AAPL-USD', channel: 'trades' }]);
    const trade = (p: string, s: string): string =>
      `[{"T":"t","S":"AAPL","i":1,"x":"V","p":${p},"s":${s},"t":"2024-01-02T15:00:00.123456789Z"}]`;
    // Values a double cannot hold: 17+ significant digits, and a fraction beyond 2^-52.
    feed(trade('12345678901234567.25', '1'));
    feed(trade('0.1000000000000000055511151231257827', '9007199254740993'));
    feed(trade('126.5500', '100'));
    feed(trade('1.5e-3', '2E+2'));
    const trades = sink.events.filter((event): event is TradeEvent => event.type === 'trade');
    expect(trades.map((t) => [t.price, t.size])).toEqual([
      ['12345678901234567.25', '1'],
      ['0.1000000000000000055511151231257827', '9007199254740993'],
      ['126.55', '100'],
      ['0.0015', '200'],
    ]);
    expect(Number('12345678901234567.25').toString()).not.toBe('12345678901234567.25');
    expect(trades.map((t) => t.venueTime)).toEqual(Array(4).fill(micros('2024-01-02T15:00:00.123Z', 456)));
  });

  it('keeps trade ids beyond 2^53 exact', () => {
    const { sink, feed } = authenticated([{ symbol: 'AAPL-USD', channel: 'trades' }]);
    feed('[{"T":"t","S":"AAPL","i":52983525034326123,"x":"M","p":1,"s":1,"t":"2024-01-02T15:00:00Z"}]');
    expect(sink.events.find((event) => event.type === 'trade')).toMatchObject({ tradeId: 'M:52983525034326123' });
  });

  it('passes an empty quote side as null (price or size 0) and counts locked or crossed quotes', () => {
    const { sink, feed, session } = authenticated([{ symbol: 'AMD-USD', channel: 'bbo' }], { quoteLotShares: '1' });
    feed('[{"T":"q","S":"AMD","bp":87.66,"bs":3,"ap":0,"as":0,"t":"2024-01-02T15:00:00Z"}]');
    feed('[{"T":"q","S":"AMD","bp":87.7,"bs":3,"ap":87.69,"as":1,"t":"2024-01-02T15:00:01Z"}]');
    feed('[{"T":"q","S":"AMD","bp":9.5,"bs":3,"ap":10.25,"as":1,"t":"2024-01-02T15:00:02Z"}]');
    const bbo = sink.events.filter((event): event is BboEvent => event.type === 'bbo');
    expect(bbo.map((q) => [q.bid, q.ask])).toEqual([
      [['87.66', '3'], null],
      [
        ['87.7', '3'],
        ['87.69', '1'],
      ],
      [
        ['9.5', '3'],
        ['10.25', '1'],
      ],
    ]);
    // 9.5 < 10.25 although "9.5" > "10.25" as text: the comparison is numeric.
    expect(session.stats.crossedQuotes).toBe(1);
  });
});

describe('Alpaca subscriptions', () => {
  it('batches subscribe messages within symbolsPerMessage and answers late additions on the live connection', () => {
    const symbols = ['AAPL', 'MSFT', 'NVDA'];
    const { sink, session } = authenticated(
      symbols.map((s) => ({ symbol: `${s}-USD`, channel: 'trades' as const })),
      { symbolsPerMessage: 4 },
    );
    expect(sink.sent.slice(1)).toEqual([
      '{"action":"subscribe","trades":["AAPL","MSFT"],"statuses":["AAPL","MSFT"]}',
      '{"action":"subscribe","trades":["NVDA"],"statuses":["NVDA"]}',
    ]);
    session.subscribe([
      { symbol: 'MSFT-USD', channel: 'bbo' },
      { symbol: 'AAPL-USD', channel: 'trades' },
    ]);
    // Only what the connection lacks: MSFT quotes (its statuses are held already).
    expect(sink.sent.slice(3)).toEqual(['{"action":"subscribe","quotes":["MSFT"]}']);
  });

  it('unsubscribes exactly what is no longer wanted, and everything leaves nothing held', () => {
    const wanted: UpstreamSubscription[] = [
      { symbol: 'AAPL-USD', channel: 'trades' },
      { symbol: 'AAPL-USD', channel: 'bbo' },
      { symbol: 'AMD-USD', channel: 'bbo' },
    ];
    const { sink, session } = authenticated(wanted);
    session.unsubscribe([{ symbol: 'AAPL-USD', channel: 'bbo' }]);
    // AAPL keeps trades, so its statuses stay.
    expect(sink.sent.at(-1)).toBe('{"action":"unsubscribe","quotes":["AAPL"]}');
    session.unsubscribe(wanted);
    expect(sink.sent.at(-1)).toBe(
      '{"action":"unsubscribe","trades":["AAPL"],"quotes":["AMD"],"statuses":["AAPL","AMD"]}',
    );
    expect(session.subscriptionState()).toMatchObject({ wanted: [], held: [] });
    expect(session.instrument('AAPL-USD')).toBeUndefined();
  });

  it('ignores data of a symbol after its unsubscribe (the venue may still send some)', () => {
    const { sink, feed, session } = authenticated([{ symbol: 'AAPL-USD', channel: 'trades' }]);
    session.unsubscribe([{ symbol: 'AAPL-USD', channel: 'trades' }]);
    feed(doc.V2_TRADE_AAPL);
    feed(doc.STATUS_HALT_AAPL);
    expect(sink.counts.ignored).toEqual({ 'trade (unsubscribed symbol)': 1, 'status (unsubscribed symbol)': 1 });
    expect(sink.events.filter((event) => event.type === 'trade')).toEqual([]);
  });

  it('subscribes nothing before authentication: changes made meanwhile go out once authenticated', () => {
    const { sink, feed, session } = drive([{ symbol: 'AAPL-USD', channel: 'trades' }], { statuses: false });
    session.subscribe([{ symbol: 'AMD-USD', channel: 'bbo' }]);
    session.unsubscribe([{ symbol: 'AAPL-USD', channel: 'trades' }]);
    feed(doc.CONNECTED);
    expect(sink.sent).toHaveLength(1);
    feed(doc.AUTHENTICATED);
    expect(sink.sent.slice(1)).toEqual(['{"action":"subscribe","quotes":["AMD"]}']);
  });

  it('caps trades and quotes at the plan limit when configured, reporting the symbols left out', () => {
    const symbols = ['A', 'B', 'C'].map((s) => ({ symbol: `${s}-USD`, channel: 'bbo' as const }));
    const { sink, statuses } = authenticated(symbols, { symbolLimit: 2 });
    expect(sink.sent.slice(1)).toEqual(['{"action":"subscribe","quotes":["A","B"],"statuses":["A","B"]}']);
    expect(statuses().find((s) => s.symbol === 'C-USD' && s.state === 'disconnected')?.reason).toBe(
      'symbol limit: the plan allows 2 symbols on trades and on quotes',
    );
  });

  it('says once that there is no book, and serves the symbol if it has trades or bbo too', () => {
    const { sink, statuses } = authenticated([
      { symbol: 'AAPL-USD', channel: 'book' },
      { symbol: 'AMD-USD', channel: 'book' },
      { symbol: 'AMD-USD', channel: 'bbo' },
      { symbol: 'BTC-USDT', channel: 'trades' },
    ]);
    expect(sink.sent.slice(1)).toEqual(['{"action":"subscribe","quotes":["AMD"],"statuses":["AMD"]}']);
    const unserved = statuses().filter((s) => /no order book|not an Alpaca stock/.test(s.reason));
    expect(unserved.map((s) => [s.symbol, s.state])).toEqual([
      ['AAPL-USD', 'disconnected'],
      ['BTC-USDT', 'disconnected'],
      ['AMD-USD', 'connecting'],
    ]);
  });

  it('maps AAPL ↔ AAPL-USD as a stock, and configured share classes (BRK.B)', async () => {
    const { alpacaStockInstrument } = await import('./alpaca-symbols');
    const adapter = new AlpacaAdapter({ instruments: [alpacaStockInstrument('BRK.B', 'BRKB')] });
    expect(adapter.symbolOf('AAPL')).toBe('AAPL-USD');
    expect(adapter.symbolOf('BRK.B')).toBe('BRKB-USD');
    expect(adapter.symbolOf('BF.B')).toBeUndefined();
    expect(adapter.instrument('AAPL-USD')).toMatchObject({
      venue: 'alpaca',
      venueSymbol: 'AAPL',
      base: 'AAPL',
      quote: 'USD',
      kind: 'stock',
      tickSize: '0.01',
      lotSize: '1',
    });
    expect(adapter.instrument('BTC-USDT')).toBeUndefined();
    const sink = new CollectingSink();
    adapter.createSession([{ symbol: 'BRKB-USD', channel: 'trades' }], sink).open(T0);
  });
});

describe('Alpaca credentials', () => {
  it('never show the secret: not in the adapter, the credentials, the events or any reason', () => {
    const credentials = new AlpacaCredentials(KEY_ID, SECRET);
    const adapter = new AlpacaAdapter({ credentials });
    for (const text of [
      JSON.stringify(adapter),
      inspect(adapter, { depth: 10, showHidden: true }),
      String(credentials),
      JSON.stringify(credentials),
      inspect(credentials),
    ]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(KEY_ID);
    }
    const { sink, feed } = authenticated(DOC_SUBSCRIPTIONS);
    feed(doc.ERRORS[402]!);
    expect(JSON.stringify(sink.events)).not.toContain(SECRET);
    // The auth message is the one place the secret goes.
    expect(sink.sent.filter((text) => text.includes(SECRET))).toEqual([credentials.authMessage()]);
  });

  it('come from APCA_API_KEY_ID / APCA_API_SECRET_KEY', () => {
    expect(AlpacaCredentials.fromEnv({})).toBeUndefined();
    expect(AlpacaCredentials.fromEnv({ APCA_API_KEY_ID: 'k', APCA_API_SECRET_KEY: '' })).toBeUndefined();
    const credentials = AlpacaCredentials.fromEnv({ APCA_API_KEY_ID: 'AKXYZ1234', APCA_API_SECRET_KEY: 's' });
    expect(credentials?.authMessage()).toBe('{"action":"auth","key":"AKXYZ1234","secret":"s"}');
    expect(credentials?.redactedKeyId).toBe('…1234');
  });
});
