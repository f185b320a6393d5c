import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CollectingSink } from '../collecting-sink';
import type { UpstreamSubscription } from '../venue-adapter';
import { KrakenAdapter } from './kraken-adapter';
import type { KrakenVersion } from './kraken-symbols';

const SUBSCRIPTIONS: UpstreamSubscription[] = [
  { symbol: 'BTC-USD', channel: 'book' },
  { symbol: 'BTC-USD', channel: 'trades' },
  { symbol: 'BTC-USD', channel: 'bbo' },
];

const V1_SNAPSHOT =
  '[1,{"as":[["5541.30000","2.50700000","1534614248.123678"]],"bs":[["5541.20000","1.52900000","1534614248.765567"]]},"book-10","XBT/USD"]';
const V1_UPDATE = '[1,{"a":[["5541.30000","2.50700000","1534614248.456738"]],"c":"4055273613"},"book-10","XBT/USD"]';
const V1_TRADE = '[0,[["5541.20000","0.15850568","1534614057.321597","s","l",""]],"trade","XBT/USD"]';
const V1_TICKER = '[0,{"a":["5525.40000",1,"1.000"],"b":["5525.10000",1,"1.000"]},"ticker","XBT/USD"]';
const V2_SNAPSHOT =
  '{"channel":"book","type":"snapshot","data":[{"symbol":"BTC/USD","bids":[{"price":45283.5,"qty":0.10000000}],' +
  '"asks":[{"price":45285.2,"qty":0.00100000}],"checksum":2383917627}]}';
const V2_UPDATE =
  '{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":45283.5,"qty":0.2}],"asks":[],' +
  '"checksum":3295268574,"timestamp":"2023-10-06T17:35:55.440295Z"}]}';
const V2_TRADE =
  '{"channel":"trade","type":"update","data":[{"symbol":"BTC/USD","side":"sell","price":0.5117,"qty":40.0,' +
  '"ord_type":"market","trade_id":4665906,"timestamp":"2023-09-25T07:49:37.708706Z"}]}';

const VALID: Record<KrakenVersion, readonly string[]> = {
  v1: [V1_SNAPSHOT, V1_UPDATE, V1_TRADE, V1_TICKER],
  v2: [V2_SNAPSHOT, V2_UPDATE, V2_TRADE],
};

/** Frames that must each be rejected: wrong types, bad decimals, broken structure. */
const MALFORMED: Record<KrakenVersion, readonly string[]> = {
  v1: [
    V1_UPDATE.replace('"5541.30000"', '5541.3'),
    V1_UPDATE.replace('"2.50700000"', '"2.5o7"'),
    V1_UPDATE.replace('"4055273613"', '"-1"'),
    V1_UPDATE.replace('"4055273613"', '"99999999999"'),
    V1_UPDATE.replace('"1534614248.456738"', '"yesterday"'),
    V1_UPDATE.replace('"2.50700000"', '"-2.5"'),
    V1_SNAPSHOT.replace('"5541.20000"', '"0"'),
    V1_SNAPSHOT.replace('[["5541.20000"', '[[null'),
    V1_TRADE.replace('"s"', '"x"'),
    V1_TRADE.replace('"0.15850568"', '"1e999"'),
    V1_TICKER.replace('"1.000"]', '1]'),
    '[1,"book-10","XBT/USD"]',
    '["1",{"a":[]},"book-10","XBT/USD"]',
    '[1,{"a":[]},"nonsense","XBT/USD"]',
    '[1,{"a":[]},"book-10","XBTUSD"]',
    '{"event":"systemStatus"}',
    '{"event":"subscriptionStatus","status":7}',
    '{"event":"party"}',
    '"heartbeat"',
    '42',
    'null',
    '',
  ],
  v2: [
    V2_UPDATE.replace('"price":45283.5', '"price":true'),
    V2_UPDATE.replace('"qty":0.2', '"qty":"abc"'),
    V2_UPDATE.replace('"checksum":3295268574', '"checksum":-1'),
    V2_UPDATE.replace('"checksum":3295268574', '"checksum":1.5'),
    V2_UPDATE.replace('"checksum":3295268574', '"checksum":4294967296'),
    V2_UPDATE.replace('"type":"update"', '"type":"delta"'),
    V2_UPDATE.replace('2023-10-06T17:35:55.440295Z', 'now'),
    V2_UPDATE.replace('"qty":0.2', '"qty":01'),
    V2_SNAPSHOT.replace('"price":45283.5', '"price":-45283.5'),
    V2_TRADE.replace('"side":"sell"', '"side":"short"'),
    V2_TRADE.replace('"trade_id":4665906', '"trade_id":null'),
    '{"channel":"book","type":"update","data":[]}',
    '{"channel":"book","type":"update","data":{}}',
    '{"channel":"galaxy","data":[{}]}',
    '{"channel":"status","type":"update","data":[{"system":1}]}',
    '{"method":42}',
    '[]',
    'null',
    '',
  ],
};

function session(version: KrakenVersion) {
  const sink = new CollectingSink();
  const adapter = new KrakenAdapter({ version, bookDepth: 10 });
  const s = adapter.createSession(SUBSCRIPTIONS, sink);
  s.open(0);
  return { sink, session: s };
}

/** A frame with `levels` levels, far beyond anything the venue sends. */
function huge(version: KrakenVersion, levels: number): string {
  if (version === 'v1') {
    return `[1,{"a":[${'["5541.30000","2.50700000","1534614248.456738"],'.repeat(levels)}["1","1","1"]],"c":"1"},"book-10","XBT/USD"]`;
  }
  return (
    '{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[' +
    `${'{"price":1.10,"qty":2.00},'.repeat(levels)}{"price":1,"qty":1}],"asks":[],"checksum":1}]}`
  );
}

describe.each(['v1', 'v2'] as const)('Kraken %s session under hostile frames', (version) => {
  it('takes the valid frames the mutations start from (checksums verified, nothing rejected)', () => {
    const { sink, session: s } = session(version);
    for (const frame of VALID[version]) s.handleFrame(frame, 1);
    expect(sink.total('rejected')).toBe(0);
    expect(sink.total('parsed')).toBe(VALID[version].length);
    expect(s.bookSync('BTC-USD')?.stats).toMatchObject({ checksumsVerified: version === 'v1' ? 1 : 2, resyncs: 0 });
  });

  it('rejects each malformed frame exactly once and never throws', () => {
    for (const frame of MALFORMED[version]) {
      const { sink, session: s } = session(version);
      // A live book first, so book frames reach the sync rather than "not synced".
      s.handleFrame(VALID[version][0]!, 1);
      const before = { frames: sink.frames, rejected: sink.total('rejected') };
      expect(() => {
        s.handleFrame(frame, 2);
      }, frame).not.toThrow();
      expect(sink.frames, frame).toBe(before.frames + 1);
      expect(sink.total('rejected'), frame).toBe(before.rejected + 1);
    }
  });

  it('a malformed update of a live book resyncs that book (it may have missed a change)', () => {
    const { sink, session: s } = session(version);
    s.handleFrame(VALID[version][0]!, 1);
    expect(s.bookSync('BTC-USD')?.state).toBe('live');
    s.handleFrame(MALFORMED[version][1]!, 2);
    expect(s.bookSync('BTC-USD')?.state).toBe('resyncing');
    expect(sink.events.at(-1)).toMatchObject({ type: 'status', state: 'resyncing', symbol: 'BTC-USD' });
    expect(sink.events.at(-1)?.type === 'status' && sink.events.at(-1)).toMatchObject({
      reason: expect.stringMatching(/^unreadable book update: /) as unknown,
    });
  });

  it('fast-check: random, truncated, mutated and huge frames are each accounted once and never throw', () => {
    const { sink, session: s } = session(version);
    const valid = VALID[version];
    const frames = fc.oneof(
      fc.string(),
      fc.json(),
      fc.jsonValue().map((value) => JSON.stringify(value)),
      fc.tuple(fc.constantFrom(...valid), fc.nat()).map(([frame, cut]) => frame.slice(0, cut % (frame.length + 1))),
      fc.tuple(fc.constantFrom(...valid), fc.nat(), fc.string({ maxLength: 3 })).map(([frame, at, insert]) => {
        const i = at % (frame.length + 1);
        return frame.slice(0, i) + insert + frame.slice(i + 1);
      }),
      fc.constantFrom(...MALFORMED[version]),
      fc.constantFrom(...valid),
      fc.constant(huge(version, 20_000)),
    );
    fc.assert(
      fc.property(frames, (frame) => {
        const before = sink.frames;
        expect(() => {
          s.handleFrame(frame, 1);
        }).not.toThrow();
        expect(sink.frames).toBe(before + 1);
      }),
      { numRuns: 500 },
    );
    expect(sink.total('rejected')).toBeGreaterThan(0);
    expect(Object.keys(sink.counts.rejected).some((kind) => kind.startsWith('unexpected error'))).toBe(false);
  }, 60_000);
});
