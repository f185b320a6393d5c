import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CollectingSink } from '../collecting-sink';
import { OkxAdapter } from './okx-adapter';
import type { OkxSession } from './okx-session';

const SNAPSHOT =
  '{"arg":{"channel":"books","instId":"BTC-USDT"},"action":"snapshot","data":[{"asks":[["30243.5","1.4","0","6"]],"bids":[["30243.4","0.5","0","2"]],"ts":"1652459225381","checksum":0}]}';
const UPDATE =
  '{"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":[["30243.6","0.1","0","1"]],"bids":[["30243.3","2","0","1"]],"ts":"1652459225481","checksum":0}]}';
const TRADE =
  '{"arg":{"channel":"trades","instId":"BTC-USDT"},"data":[{"instId":"BTC-USDT","tradeId":"338476307","px":"30236","sz":"0.0002","side":"buy","ts":"1652459224818"}]}';
const TICKER =
  '{"arg":{"channel":"tickers","instId":"BTC-USDT"},"data":[{"instType":"SPOT","instId":"BTC-USDT","last":"30236","lastSz":"0.0002","askPx":"30228.7","askSz":"1.55","bidPx":"30228.6","bidSz":"0.1","ts":"1652459225003"}]}';

function liveSession(): { sink: CollectingSink; session: OkxSession } {
  const sink = new CollectingSink();
  const session = new OkxAdapter().createSession(
    [
      { symbol: 'BTC-USDT', channel: 'book' },
      { symbol: 'BTC-USDT', channel: 'trades' },
      { symbol: 'BTC-USDT', channel: 'bbo' },
    ],
    sink,
  );
  session.open(1);
  session.handleFrame('{"event":"subscribe","arg":{"channel":"books","instId":"BTC-USDT"}}', 2);
  session.handleFrame(SNAPSHOT, 3);
  return { sink, session };
}

describe('OKX frames outside the market data', () => {
  it('accounts pong, acks, errors and notices; a service-upgrade notice asks for a new connection', () => {
    const { sink, session } = liveSession();
    session.handleFrame('pong', 4);
    session.handleFrame('{"event":"unsubscribe","arg":{"channel":"trades","instId":"BTC-USDT"}}', 4);
    session.handleFrame(
      '{"event":"error","code":"60018","msg":"Wrong URL or channel:books,instId:NOPE-USDT doesn\'t exist."}',
      4,
    );
    session.handleFrame('{"event":"channel-conn-count","channel":"orders","connCount":"2","connId":"a4d3ae55"}', 4);
    session.handleFrame(
      '{"event":"notice","code":"64008","msg":"The connection will soon be closed for a service upgrade. Please reconnect.","connId":"a4d3ae55"}',
      4,
    );
    expect(sink.counts.ignored).toEqual({
      'subscribe ack': 1,
      pong: 1,
      'unsubscribe ack': 1,
      'error reply': 1,
      'other event': 1,
    });
    expect(sink.counts.parsed).toMatchObject({ notice: 1 });
    expect(sink.replacements).toEqual([
      'OKX notice 64008: The connection will soon be closed for a service upgrade. Please reconnect.',
    ]);
    expect(session.errors).toEqual(["60018 Wrong URL or channel:books,instId:NOPE-USDT doesn't exist."]);
  });

  it('maps an empty ticker side to null and a crossed update to a resync', () => {
    const { sink, session } = liveSession();
    session.handleFrame(TICKER.replace('"bidPx":"30228.6","bidSz":"0.1"', '"bidPx":"","bidSz":""'), 4);
    expect(sink.events.at(-1)).toMatchObject({ type: 'bbo', bid: null, ask: ['30228.7', '1.55'] });
    session.handleFrame(UPDATE.replace('["30243.3","2","0","1"]', '["30243.5","2","0","1"]'), 5);
    expect(sink.events.at(-1)).toMatchObject({
      state: 'resyncing',
      reason: 'crossed book at ts 1652459225481: bid 30243.5 >= ask 30243.5',
    });
    expect(sink.counts.parsed['books update crossed']).toBe(1);
  });

  it('never throws on malformed, truncated, wrong-type or huge frames, and accounts each exactly once', () => {
    const { sink, session } = liveSession();
    const valid = [SNAPSHOT, UPDATE, TRADE, TICKER];
    const broken = [
      UPDATE.replace('"30243.6"', '30243.6'),
      UPDATE.replace('"0.1"', '"abc"'),
      UPDATE.replace('"0.1"', '"-1"'),
      UPDATE.replace('"checksum":0', '"checksum":"0"'),
      UPDATE.replace('"checksum":0', '"checksum":1e300'),
      UPDATE.replace('"checksum":0', '"checksum":0,"seqId":1.5'),
      UPDATE.replace('"action":"update"', '"action":"partial"'),
      UPDATE.replace('"ts":"1652459225481"', '"ts":1652459225481'),
      UPDATE.replace('"data":[', '"data":[{},'),
      TRADE.replace('"side":"buy"', '"side":"taker"'),
      TRADE.replace('"px":"30236"', '"px":"3e"'),
      TRADE.replace('"instId":"BTC-USDT","tradeId"', '"instId":"ETH-USDT","tradeId"'),
      TICKER.replace('"askSz":"1.55"', '"askSz":null'),
      TICKER.replace('"askPx":"30228.7"', '"askPx":"30228.7.1"'),
      '{"arg":{"channel":"books5","instId":"BTC-USDT"},"data":[]}',
      '{"arg":{"channel":"books"},"action":"update","data":[]}',
      '{"event":42}',
      '[]',
      'null',
      `{"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":[${'["1","1","0","1"],'.repeat(50_000)}["1","x"]],"bids":[],"ts":"1","checksum":0}]}`,
    ];
    const ack = '{"event":"subscribe","arg":{"channel":"books","instId":"BTC-USDT"}}';
    for (const frame of broken) {
      // Each broken frame meets a live book (an unreadable update makes the book resync).
      session.handleFrame(ack, 9);
      session.handleFrame(SNAPSHOT, 9);
      expect(session.bookSync('BTC-USDT')!.isLive).toBe(true);
      const before = { frames: sink.frames, rejected: sink.total('rejected') };
      expect(() => {
        session.handleFrame(frame, 10);
      }).not.toThrow();
      expect(sink.frames, frame.slice(0, 120)).toBe(before.frames + 1);
      expect(sink.total('rejected'), frame.slice(0, 120)).toBe(before.rejected + 1);
    }
    const frames = fc.oneof(
      fc.string(),
      fc.json(),
      fc.tuple(fc.constantFrom(...valid), fc.nat()).map(([text, cut]) => text.slice(0, cut % text.length)),
      fc.constantFrom(...broken),
    );
    fc.assert(
      fc.property(frames, (frame) => {
        const before = sink.frames;
        expect(() => {
          session.handleFrame(frame, 11);
        }).not.toThrow();
        expect(sink.frames).toBe(before + 1);
      }),
      { numRuns: 1000 },
    );
    // Truncated JSON is never valid: every truncation is a rejection.
    for (const text of valid) {
      for (let cut = 1; cut < text.length; cut += 7) {
        const before = sink.total('rejected');
        session.handleFrame(text.slice(0, cut), 12);
        expect(sink.total('rejected')).toBe(before + 1);
      }
    }
  });
});
