import { describe, expect, it } from 'vitest';
import { crc32Signed, OrderBook } from '../../book';
import type { FeedStatusEvent } from '../../model/events';
import { CollectingSink } from '../collecting-sink';
import { BitfinexAdapter } from './bitfinex-adapter';
import { bitfinexBookChecksum, bitfinexChecksumText } from './bitfinex-checksum';
import { ScriptedVenue, VENDOR_CHECKSUM_CASES } from './test-support/bitfinex-frames';

const XRP = VENDOR_CHECKSUM_CASES[0];
const VET = VENDOR_CHECKSUM_CASES[1];

/** A session with both vendor books subscribed, confirmed and snapshotted: XRP on chanId 1, VET on 2. */
function twoBooks(): {
  sink: CollectingSink;
  venue: ScriptedVenue;
  session: ReturnType<BitfinexAdapter['createSession']>;
} {
  const sink = new CollectingSink();
  const session = new BitfinexAdapter().createSession(
    [
      { symbol: XRP.symbol, channel: 'book' },
      { symbol: VET.symbol, channel: 'book' },
    ],
    sink,
  );
  session.open(0);
  const venue = new ScriptedVenue(session);
  venue.conf();
  venue.subscribed('book', XRP.venueSymbol, 1);
  venue.subscribed('book', VET.venueSymbol, 2);
  venue.data(1, XRP.snapshot);
  venue.data(2, VET.snapshot);
  return { sink, venue, session };
}

describe('Bitfinex book checksum (docs.bitfinex.com/docs/ws-websocket-checksum)', () => {
  it('lays out bid price:amount, ask price:-amount for i in 0..24 with the wire text, skipping a spent side', () => {
    const book = new OrderBook();
    book.applySnapshot(
      [
        ['7254.7', '3.3'],
        ['7254.5', '1e-7'],
      ],
      [['7255', '0.01000']],
    );
    expect(bitfinexChecksumText(book.top('bid'), book.top('ask'))).toBe('7254.7:3.3:7255:-0.01000:7254.5:1e-7');
    expect(bitfinexBookChecksum(book)).toBe(crc32Signed('7254.7:3.3:7255:-0.01000:7254.5:1e-7'));
  });

  it('covers only the top 25 levels per side', () => {
    const book = new OrderBook();
    const bids = Array.from({ length: 30 }, (_, i) => [String(100 - i), '1'] as const);
    const asks = Array.from({ length: 30 }, (_, i) => [String(101 + i), '2'] as const);
    book.applySnapshot(bids, asks);
    const text = bitfinexChecksumText(book.top('bid'), book.top('ask'));
    expect(text.split(':')).toHaveLength(100);
    expect(text.endsWith('76:1:125:-2')).toBe(true);
  });

  for (const vector of VENDOR_CHECKSUM_CASES) {
    it(`verifies the checksum of Bitfinex's own client tests: ${vector.name}`, () => {
      const sink = new CollectingSink();
      const session = new BitfinexAdapter().createSession([{ symbol: vector.symbol, channel: 'book' }], sink);
      session.open(0);
      const venue = new ScriptedVenue(session);
      venue.conf();
      venue.subscribed('book', vector.venueSymbol, 7);
      venue.data(7, vector.snapshot);
      for (const update of vector.updates) venue.data(7, update);
      venue.checksum(7, vector.checksum);
      expect(sink.total('rejected')).toBe(0);
      expect(sink.counts.parsed['checksum']).toBe(1);
      expect(session.bookSync(vector.symbol)?.stats).toMatchObject({ checksumsVerified: 1, checksumMismatches: 0 });
    });
  }

  it('catches one altered digit in one price: only that symbol resyncs, the other book stays live and verified', () => {
    const { sink, venue, session } = twoBooks();
    for (const update of VET.updates) venue.data(2, update);
    venue.checksum(2, VET.checksum);
    // XRP's second update with one digit of its price changed (0.00008837 → 0.00008827).
    venue.data(1, XRP.updates[0]);
    venue.data(1, XRP.updates[1].replace('0.00008837', '0.00008827'));
    venue.data(1, XRP.updates[2]);
    const sentBefore = sink.sent.length;
    venue.checksum(1, XRP.checksum);

    const resyncing = sink.events.filter((e): e is FeedStatusEvent => e.type === 'status' && e.state === 'resyncing');
    expect(resyncing).toHaveLength(1);
    expect(resyncing[0]).toMatchObject({ symbol: 'XRP-BTC' });
    expect(resyncing[0]?.reason).toMatch(/^checksum mismatch: venue 30026640, local -?\d+ at seq \d+$/);
    expect(sink.counts.parsed['checksum mismatch']).toBe(1);
    expect(sink.sent.slice(sentBefore)).toEqual(['{"event":"unsubscribe","chanId":1}']);
    expect(session.bookSync('XRP-BTC')?.isLive).toBe(false);
    const vet = session.bookSync('VET-BTC')!;
    expect(vet.isLive).toBe(true);
    expect(vet.stats).toMatchObject({ checksumsVerified: 1, resyncs: 0 });

    // XRP frames still in flight are ignored; VET goes on; the fresh XRP snapshot verifies again.
    venue.data(1, '[0.00008836,1,10]');
    venue.checksum(2, VET.checksum);
    venue.unsubscribed(1);
    expect(sink.sent.at(-1)).toBe(
      '{"event":"subscribe","channel":"book","symbol":"tXRPBTC","prec":"P0","freq":"F0","len":"100"}',
    );
    venue.subscribed('book', XRP.venueSymbol, 3);
    venue.data(3, XRP.snapshot);
    for (const update of XRP.updates) venue.data(3, update);
    venue.checksum(3, XRP.checksum);
    expect(session.bookSync('XRP-BTC')?.stats).toMatchObject({ checksumsVerified: 1, checksumMismatches: 1 });
    expect(vet.stats.checksumsVerified).toBe(2);
    expect(sink.counts.ignored['book data while resubscribing']).toBe(1);
    expect(sink.total('rejected')).toBe(0);
  });

  it('is not asked for when disabled', () => {
    const sink = new CollectingSink();
    new BitfinexAdapter({ checksums: false }).createSession([], sink).open(0);
    expect(sink.sent).toEqual(['{"event":"conf","flags":65536}']);
  });
});
