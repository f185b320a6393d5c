import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CollectingSink } from '../collecting-sink';
import type { UpstreamSubscription } from '../venue-adapter';
import { BinanceAdapter } from './binance-adapter';

/*
 * Hostile frames against one Binance spot session. Every generated frame is malformed by
 * construction, so the oracle is exact: each one adds one `rejected` and nothing else.
 */

const SUBSCRIPTIONS: UpstreamSubscription[] = [
  { symbol: 'BNB-BTC', channel: 'book' },
  { symbol: 'BNB-BTC', channel: 'trades' },
  { symbol: 'BNB-BTC', channel: 'bbo' },
];

/** Frames as the spot "WebSocket Streams" page shows them, in the combined-stream envelope. */
const DEPTH =
  '{"stream":"bnbbtc@depth@100ms","data":{"e":"depthUpdate","E":1672515782136,"s":"BNBBTC","U":157,"u":160,' +
  '"b":[["0.0024","10"]],"a":[["0.0026","100"]]}}';
const TRADE =
  '{"stream":"bnbbtc@trade","data":{"e":"trade","E":1672515782136,"s":"BNBBTC","t":12345,"p":"0.001",' +
  '"q":"100","T":1672515782136,"m":true,"M":true}}';
const AGG_TRADE =
  '{"stream":"bnbbtc@aggTrade","data":{"e":"aggTrade","E":1672515782136,"s":"BNBBTC","a":12345,"p":"0.001",' +
  '"q":"100","f":100,"l":105,"T":1672515782136,"m":true,"M":true}}';
const BOOK_TICKER =
  '{"stream":"bnbbtc@bookTicker","data":{"u":400900217,"s":"BNBBTC","b":"25.35190000","B":"31.21000000",' +
  '"a":"25.36520000","A":"40.66000000"}}';

const VALID = [DEPTH, TRADE, AGG_TRADE, BOOK_TICKER] as const;

/** Each must be rejected: wrong types, bad decimals, missing fields, unknown events, non-objects. */
const MALFORMED = [
  DEPTH.replace('"0.0024"', '0.0024'),
  DEPTH.replace('"10"', '"abc"'),
  DEPTH.replace('"U":157', '"U":"157"'),
  DEPTH.replace('"u":160', '"u":1e300'),
  DEPTH.replace('"E":1672515782136,', ''),
  DEPTH.replace('[["0.0024","10"]]', '[["0.0024"]]'),
  DEPTH.replace('"b":[["0.0024","10"]]', '"b":{}'),
  TRADE.replace('"q":"100"', '"q":"-"'),
  TRADE.replace('"m":true', '"m":"true"'),
  TRADE.replace('"t":12345', '"t":1.5'),
  TRADE.replace('"s":"BNBBTC"', '"s":"??"'),
  AGG_TRADE.replace('"p":"0.001"', '"p":"0.0.1"'),
  AGG_TRADE.replace('"a":12345,', ''),
  BOOK_TICKER.replace('"B":"31.21000000"', '"B":31.21'),
  '{"data":{"e":"kline","s":"BNBBTC","k":{"t":1}}}',
  '{"data":{"e":"liquidation"}}',
  '{"data":{"e":7}}',
  '{"stream":"x","data":{}}',
  '{}',
  '[]',
  '"depthUpdate"',
  '42',
  'null',
  '',
];

/** 20 000 well-formed levels, then one whose quantity is a number: huge and malformed. */
const HUGE_DEPTH = DEPTH.replace('"b":[["0.0024","10"]]', `"b":[${'["0.0024","10"],'.repeat(20_000)}["0.0024",10]]`);
/** A megabyte that is not JSON. */
const HUGE_GARBAGE = `{"stream":"bnbbtc@depth@100ms","data":${'['.repeat(1_000_000)}`;

function freshSession() {
  const sink = new CollectingSink();
  const session = new BinanceAdapter({ venue: 'binance' }).createSession(SUBSCRIPTIONS, sink);
  session.open(0);
  return { sink, session };
}

type Counts = Record<'parsed' | 'ignored' | 'rejected', number>;

function totals(sink: CollectingSink): Counts {
  return { parsed: sink.total('parsed'), ignored: sink.total('ignored'), rejected: sink.total('rejected') };
}

/** JSON text that names none of the keys a Binance message is recognised by, so none can match. */
const NO_KNOWN_KEY = /"(e|u|result|error|id)"/;

/** A proper prefix of a JSON object is never JSON. */
const truncated = fc
  .tuple(fc.constantFrom(...VALID), fc.nat())
  .map(([frame, cut]) => frame.slice(0, cut % frame.length));

const malformedFrames = fc.oneof(
  fc.string().filter((text) => !NO_KNOWN_KEY.test(text)),
  fc.json().filter((text) => !NO_KNOWN_KEY.test(text)),
  truncated,
  fc.constantFrom(...MALFORMED),
  fc.constantFrom(HUGE_DEPTH, HUGE_GARBAGE),
);

describe('Binance session under hostile frames', () => {
  it('takes the documentation frames the mutations start from: none rejected', () => {
    const { sink, session } = freshSession();
    for (const frame of VALID) session.handleFrame(frame, 1);
    expect(totals(sink)).toEqual({ parsed: 4, ignored: 0, rejected: 0 });
    expect(sink.counts.parsed).toMatchObject({ 'depthUpdate buffered': 1, trade: 1, aggTrade: 1, bookTicker: 1 });
  });

  it.each(MALFORMED.map((frame) => [frame]))('rejects %j exactly once and nothing else', (frame) => {
    const { sink, session } = freshSession();
    expect(() => {
      session.handleFrame(frame, 1);
    }).not.toThrow();
    expect(totals(sink)).toEqual({ parsed: 0, ignored: 0, rejected: 1 });
    expect(sink.events.filter((event) => event.type !== 'status')).toEqual([]);
    const [reason] = Object.keys(sink.counts.rejected);
    expect(reason?.length).toBeGreaterThan(0);
  });

  it('rejects huge malformed frames without throwing', () => {
    const { sink, session } = freshSession();
    session.handleFrame(HUGE_DEPTH, 1);
    session.handleFrame(HUGE_GARBAGE, 2);
    expect(totals(sink)).toEqual({ parsed: 0, ignored: 0, rejected: 2 });
    expect(sink.counts.rejected).toEqual({ 'depthUpdate: malformed': 1, 'not JSON': 1 });
  });

  it('fast-check: every random, truncated, mutated or huge frame is accounted as rejected, never thrown', () => {
    const { sink, session } = freshSession();
    // A book waiting for its snapshot, so a well-formed diff would be buffered (parsed), not rejected.
    session.handleFrame(DEPTH, 0);
    fc.assert(
      fc.property(malformedFrames, (frame) => {
        const before = totals(sink);
        expect(() => {
          session.handleFrame(frame, 1);
        }).not.toThrow();
        expect(totals(sink), frame.slice(0, 200)).toEqual({ ...before, rejected: before.rejected + 1 });
      }),
      { numRuns: 500 },
    );
    expect(sink.events.filter((event) => event.type !== 'status')).toEqual([]);
  }, 60_000);
});
