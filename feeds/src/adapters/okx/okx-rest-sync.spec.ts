import { describe, expect, it } from 'vitest';
import type { MarketEvent } from '../../model/events';
import { CollectingSink } from '../collecting-sink';
import { OkxAdapter } from './okx-adapter';
import { alignWithSnapshot } from './okx-rest-alignment';
import type { OkxSession } from './okx-session';

/*
 * OKX is delisting the initial `books` snapshot (changelog 2026-02-12): the stream then starts with
 * updates and the book comes from GET /api/v5/market/books, aligned by seqId.
 */

const URL = 'https://www.okx.com/api/v5/market/books?instId=BTC-USDT&sz=400';

function update(prevSeqId: number, seqId: number, bids: string[][] = [], asks: string[][] = []): string {
  return JSON.stringify({
    arg: { channel: 'books', instId: 'BTC-USDT' },
    action: 'update',
    data: [
      {
        asks: asks.map((l) => [...l, '0', '1']),
        bids: bids.map((l) => [...l, '0', '1']),
        ts: '1700000000000',
        checksum: 0,
        prevSeqId,
        seqId,
      },
    ],
  });
}

function rest(seqId: number | undefined): string {
  return JSON.stringify({
    code: '0',
    msg: '',
    data: [
      {
        asks: [
          ['101', '5', '0', '1'],
          ['102', '5', '0', '1'],
        ],
        bids: [
          ['100', '5', '0', '1'],
          ['99', '5', '0', '1'],
        ],
        ts: '1700000000000',
        ...(seqId === undefined ? {} : { seqId }),
      },
    ],
  });
}

function started(): { sink: CollectingSink; session: OkxSession } {
  const sink = new CollectingSink();
  const session = new OkxAdapter().createSession([{ symbol: 'BTC-USDT', channel: 'book' }], sink);
  session.open(1);
  session.handleFrame('{"event":"subscribe","arg":{"channel":"books","instId":"BTC-USDT"}}', 2);
  return { sink, session };
}

function types(events: readonly MarketEvent[]): string[] {
  return events.map((event) => (event.type === 'status' ? `status ${event.state}` : event.type));
}

describe('OKX book sync from a REST snapshot when the stream pushes none', () => {
  it('buffers updates, requests the REST book once, and applies the updates that straddle and follow it', () => {
    const { sink, session } = started();
    session.handleFrame(update(100, 105, [['100', '6']]), 3);
    session.handleFrame(update(105, 110, [], [['101', '4']]), 4);
    session.handleFrame(update(110, 120, [['99.5', '1']]), 5);
    expect(sink.requests).toEqual([{ url: URL, purpose: 'order book snapshot BTC-USDT' }]);
    expect(sink.counts.parsed).toEqual({ 'books update buffered': 3 });
    const before = sink.events.length;
    // The REST book is at 107: 100→105 is in it, 105→110 straddles it (105 <= 107 < 110).
    session.handleHttp(URL, 200, rest(107), 6);
    expect(types(sink.events.slice(before))).toEqual(['book_snapshot', 'status live', 'book_delta', 'book_delta']);
    expect(sink.events[before]).toMatchObject({ type: 'book_snapshot', sequence: 107 });
    const sync = session.bookSync('BTC-USDT')!;
    expect(sync.isLive).toBe(true);
    expect(sync.seqId).toBe(120);
    expect(sync.book.toSnapshot()).toEqual({
      bids: [
        ['100', '5'],
        ['99.5', '1'],
        ['99', '5'],
      ],
      asks: [
        ['101', '4'],
        ['102', '5'],
      ],
    });
    session.handleFrame(update(120, 125, [['100', '0']]), 7);
    expect(sync.book.bestBid()?.price).toBe('99.5');
    session.handleFrame(update(126, 130), 8);
    expect(sync.stats.gaps).toBe(1);
  });

  it('fetches again when the REST book predates the buffered stream (step 4)', () => {
    const { sink, session } = started();
    session.handleFrame(update(100, 105), 3);
    session.handleHttp(URL, 200, rest(90), 4);
    expect(sink.requests).toHaveLength(2);
    expect(session.bookSync('BTC-USDT')!.state).toBe('fetching');
    session.handleHttp(URL, 200, rest(105), 5);
    expect(session.bookSync('BTC-USDT')!.isLive).toBe(true);
  });

  it('resyncs when the first update after the REST book does not straddle it', () => {
    const { sink, session } = started();
    session.handleFrame(update(100, 105), 3);
    session.handleFrame(update(106, 110), 4);
    session.handleHttp(URL, 200, rest(105), 5);
    expect(sink.events.at(-1)).toMatchObject({
      state: 'resyncing',
      reason: 'sequence gap: prevSeqId 106 after seqId 105',
    });
    expect(sink.sent.slice(1)).toEqual([
      '{"op":"unsubscribe","args":[{"channel":"books","instId":"BTC-USDT"}]}',
      '{"op":"subscribe","args":[{"channel":"books","instId":"BTC-USDT"}]}',
    ]);
  });

  it('reports an unusable REST answer and asks again after 10 more updates', () => {
    const { sink, session } = started();
    session.handleFrame(update(100, 105), 3);
    session.handleHttp(URL, 500, 'busy', 4);
    expect(sink.events.at(-1)).toMatchObject({
      state: 'resyncing',
      reason: 'REST order book unusable: HTTP 500: busy',
    });
    expect(session.bookSync('BTC-USDT')!.state).toBe('fetching');
    for (let seq = 105; seq < 150; seq += 5) session.handleFrame(update(seq, seq + 5), 6);
    expect(sink.requests).toHaveLength(1);
    session.handleFrame(update(150, 155), 7);
    expect(sink.requests).toHaveLength(2);
    session.handleHttp(URL, 200, rest(undefined), 8);
    expect(sink.events.at(-1)).toMatchObject({ reason: 'REST order book unusable: no seqId' });
    // A good answer then syncs the book from the buffer: 150→155 straddles 152.
    session.handleHttp(URL, 200, rest(152), 9);
    expect(session.bookSync('BTC-USDT')!.seqId).toBe(155);
  });

  it('never throws on a REST body that is not a book, or whose levels are not decimals', () => {
    const { sink, session } = started();
    session.handleFrame(update(100, 105), 3);
    for (const body of ['<html>', '{"code":"0","data":[]}', rest(105).replace('"101"', '"1o1"')]) {
      expect(() => {
        session.handleHttp(URL, 200, body, 4);
      }).not.toThrow();
    }
    const last = sink.events.at(-1)!;
    expect(last.type === 'status' && last.state).toBe('resyncing');
    expect(last.type === 'status' && last.reason).toMatch(
      /^REST order book unusable: ask level 0 \["1o1","5"\]: invalid decimal/,
    );
    expect(session.bookSync('BTC-USDT')!.state).toBe('fetching');
  });

  it('ignores a REST answer nobody waits for', () => {
    const { sink, session } = started();
    session.handleHttp(URL, 200, rest(105), 3);
    expect(sink.events.filter((event) => event.type === 'book_snapshot')).toEqual([]);
  });
});

describe('alignWithSnapshot', () => {
  it('keeps the buffered updates newer than the snapshot, or says it is too old', () => {
    const buffered = [
      { prevSeqId: 10, seqId: 15 },
      { prevSeqId: 15, seqId: 20 },
    ];
    expect(alignWithSnapshot(buffered, 9)).toEqual({ verdict: 'too old' });
    expect(alignWithSnapshot(buffered, 15)).toEqual({ verdict: 'aligned', kept: [buffered[1]] });
    expect(alignWithSnapshot(buffered, 25)).toEqual({ verdict: 'aligned', kept: [] });
  });
});
