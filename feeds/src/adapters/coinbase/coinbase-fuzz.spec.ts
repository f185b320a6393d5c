import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CollectingSink } from '../collecting-sink';
import type { VenueSession } from '../venue-adapter';
import { CoinbaseAdapter, type CoinbaseFeed } from './coinbase-adapter';
import { AdvancedTradeFrames } from './test-support/advanced-trade-frames';

function liveSession(feed: CoinbaseFeed): { sink: CollectingSink; session: VenueSession } {
  const sink = new CollectingSink();
  const session = new CoinbaseAdapter({ feed }).createSession(
    [
      { symbol: 'BTC-USD', channel: 'book' },
      { symbol: 'BTC-USD', channel: 'trades' },
      { symbol: 'BTC-USD', channel: 'bbo' },
    ],
    sink,
  );
  session.open(0);
  return { sink, session };
}

const EXCHANGE_VALID = [
  '{"type":"snapshot","product_id":"BTC-USD","bids":[["100.00","1.5"]],"asks":[["101.00","2"]]}',
  '{"type":"l2update","product_id":"BTC-USD","changes":[["buy","100.50","0.3"]],"time":"2021-04-17T16:43:37.075687Z"}',
  '{"type":"match","trade_id":7,"maker_order_id":"a","taker_order_id":"b","side":"sell","size":"0.1","price":"100.9","product_id":"BTC-USD","sequence":50,"time":"2021-04-17T16:43:37.089723Z"}',
  '{"type":"ticker","sequence":51,"product_id":"BTC-USD","price":"100.9","best_bid":"100.5","best_bid_size":"0.3","best_ask":"101","best_ask_size":"2","side":"buy","time":"2021-04-17T16:43:37.089723Z","trade_id":7,"last_size":"0.1"}',
  '{"type":"heartbeat","sequence":52,"last_trade_id":7,"product_id":"BTC-USD","time":"2021-04-17T16:43:38.000000Z"}',
];

const f = new AdvancedTradeFrames();
const ADVANCED_VALID = [
  f.l2([
    {
      type: 'snapshot',
      product: 'BTC-USD',
      rows: [
        ['bid', '100.00', '1.5'],
        ['offer', '101.00', '2'],
      ],
    },
  ]),
  f.l2([{ type: 'update', product: 'BTC-USD', rows: [['bid', '100.50', '0.3']] }]),
  f.trades('update', [{ id: '7', product: 'BTC-USD', price: '100.9', size: '0.1', side: 'BUY' }]),
  f.ticker('BTC-USD', ['100.5', '0.3'], ['101', '2']),
  f.heartbeat(1),
];

/** Broken variants of valid frames: wrong types, bad decimals, bad times, truncations. */
function mutations(valid: readonly string[]): string[] {
  const out: string[] = [];
  for (const frame of valid) {
    out.push(
      frame.replace(/"(\d+\.\d+)"/, '$1'),
      frame.replace(/"(\d+\.\d+)"/, '"1.2.3"'),
      frame.replace(/"(\d+\.\d+)"/, '"-5"'),
      frame.replace(/"(\d+\.\d+)"/, '"1e999"'),
      frame.replace(/"product_id":"BTC-USD"/, '"product_id":7'),
      frame.replace(/"product_id":"BTC-USD"/, '"product_id":"NOT-A-REAL-PRODUCT"'),
      frame.replace(/"(sequence|sequence_num|trade_id)":\d+/, '"$1":"12"'),
      frame.replace(/"(sequence|sequence_num|trade_id)":\d+/, '"$1":-3'),
      frame.replace(/"(time|timestamp)":"[^"]+"/, '"$1":"yesterday"'),
      frame.replace(/"(changes|updates|trades|tickers|events|bids)":\[/, '"$1":{"0":['),
      frame.replace(/"(buy|bid)"/, '"sideways"'),
      frame.slice(0, Math.floor(frame.length / 2)),
    );
  }
  return out.filter((mutated) => !valid.includes(mutated));
}

const HUGE_EXCHANGE = `{"type":"l2update","product_id":"BTC-USD","time":"2021-04-17T16:43:37Z","changes":[${'["buy","1","1"],'.repeat(50_000)}["buy","1",1]]}`;
const HUGE_ADVANCED = f.l2([
  {
    type: 'update',
    product: 'BTC-USD',
    rows: [...Array.from({ length: 50_000 }, () => ['bid', '1', '1'] as const), ['bid', '1', 'x'] as const],
  },
]);

/** Every path to a value inside a JSON value, e.g. ["events", 0, "updates", 0, "price_level"]. */
function pathsOf(value: unknown, prefix: (string | number)[] = [], depth = 0): (string | number)[][] {
  if (depth > 5 || typeof value !== 'object' || value === null) return [prefix];
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? (value as unknown[]).map((item, i) => [i, item])
    : Object.entries(value);
  return [prefix, ...entries.flatMap(([key, item]) => pathsOf(item, [...prefix, key], depth + 1))];
}

/** `frame` with the value at `path` replaced (the root when the path is empty). */
function replaced(frame: string, path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const root = JSON.parse(frame) as Record<string | number, unknown>;
  let node = root;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path.at(-1)!] = value;
  return root;
}

describe.each([
  ['exchange', EXCHANGE_VALID, HUGE_EXCHANGE],
  ['advanced-trade', ADVANCED_VALID, HUGE_ADVANCED],
] as const)('Coinbase %s session under hostile frames', (feed, valid, huge) => {
  it('accepts the valid frames (the fuzz base), none rejected', () => {
    const { sink, session } = liveSession(feed);
    valid.forEach((frame, i) => {
      session.handleFrame(frame, i);
    });
    expect(sink.frames).toBe(valid.length);
    expect(sink.total('rejected')).toBe(0);
    expect(sink.total('parsed')).toBe(valid.length);
  });

  it('rejects every malformed, truncated, wrong-type and huge variant, once each, without throwing', () => {
    const broken = [...mutations(valid), huge, '', 'null', '[]', '"x"', '{}', '{"type":5}', '{"channel":"l2_data"}'];
    expect(broken.length).toBeGreaterThan(40);
    for (const frame of broken) {
      // A fresh session each time: on Advanced Trade a reused one would drop the variants of
      // already-seen frames as old sequence numbers before looking at them.
      const { sink, session } = liveSession(feed);
      expect(
        () => {
          session.handleFrame(frame, 1);
        },
        frame.slice(0, 120),
      ).not.toThrow();
      expect(sink.frames, frame.slice(0, 120)).toBe(1);
      expect(sink.total('rejected'), frame.slice(0, 120)).toBe(1);
      expect(Object.keys(sink.counts.rejected).join(), frame.slice(0, 120)).not.toMatch(/internal error/);
    }
  });

  it('accounts every arbitrary frame exactly once and never throws (fast-check)', () => {
    const { sink, session } = liveSession(feed);
    let sequence = 1000;
    const wrongValue = fc
      .constantFrom(...valid)
      .chain((frame) => fc.tuple(fc.constant(frame), fc.constantFrom(...pathsOf(JSON.parse(frame))), fc.jsonValue()));
    const frames = fc.oneof(
      fc.string(),
      fc.json(),
      fc.constantFrom(...valid, ...mutations(valid)),
      fc.constantFrom(...valid).chain((frame) => fc.nat({ max: frame.length }).map((cut) => frame.slice(0, cut))),
      wrongValue.map(([frame, path, value]) => {
        const tree = replaced(frame, path, value);
        // Fresh sequence numbers, so Advanced Trade looks at the frame instead of dropping it as old.
        if (typeof tree === 'object' && tree !== null && 'sequence_num' in tree && path[0] !== 'sequence_num') {
          (tree as Record<string, unknown>)['sequence_num'] = ++sequence;
        }
        return JSON.stringify(tree);
      }),
    );
    fc.assert(
      fc.property(frames, (frame) => {
        const before = sink.frames;
        expect(() => {
          session.handleFrame(frame, 1);
        }).not.toThrow();
        expect(sink.frames).toBe(before + 1);
      }),
      { numRuns: 2000 },
    );
    expect(sink.total('rejected')).toBeGreaterThan(500);
    expect(Object.keys(sink.counts.rejected).filter((kind) => kind.includes('internal error'))).toEqual([]);
  });
});
