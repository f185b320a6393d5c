import { describe, expect, it } from 'vitest';
import { CollectingSink } from '../collecting-sink';
import type { UpstreamSubscription } from '../venue-adapter';
import { KrakenAdapter } from './kraken-adapter';
import { parseRequest, requestTexts } from './kraken-subscriptions';
import { krakenInstrument, pairOf, symbolOfPair } from './kraken-symbols';

const V1 = { version: 'v1', depth: 1000, pairsPerMessage: 50 } as const;
const V2 = { version: 'v2', depth: 25, pairsPerMessage: 50 } as const;

describe('Kraken subscribe / unsubscribe requests', () => {
  it('v1: one request per channel, in the documented shapes (book with its depth, trade, ticker)', () => {
    const wanted = [
      { pair: 'XBT/USD', channel: 'book' },
      { pair: 'XDG/EUR', channel: 'book' },
      { pair: 'XBT/USD', channel: 'trades' },
      { pair: 'XBT/USD', channel: 'bbo' },
    ] as const;
    expect(requestTexts(V1, 'subscribe', wanted)).toEqual([
      '{"event":"subscribe","pair":["XBT/USD","XDG/EUR"],"subscription":{"name":"book","depth":1000}}',
      '{"event":"subscribe","pair":["XBT/USD"],"subscription":{"name":"trade"}}',
      '{"event":"subscribe","pair":["XBT/USD"],"subscription":{"name":"ticker"}}',
    ]);
    expect(requestTexts(V1, 'unsubscribe', wanted.slice(0, 1))).toEqual([
      '{"event":"unsubscribe","pair":["XBT/USD"],"subscription":{"name":"book","depth":1000}}',
    ]);
  });

  it('v2: book with depth, trade without a snapshot, ticker on every BBO change', () => {
    const wanted = [
      { pair: 'BTC/USD', channel: 'book' },
      { pair: 'BTC/USD', channel: 'trades' },
      { pair: 'DOGE/EUR', channel: 'bbo' },
    ] as const;
    expect(requestTexts(V2, 'subscribe', wanted)).toEqual([
      '{"method":"subscribe","params":{"channel":"book","symbol":["BTC/USD"],"depth":25}}',
      '{"method":"subscribe","params":{"channel":"trade","symbol":["BTC/USD"],"snapshot":false}}',
      '{"method":"subscribe","params":{"channel":"ticker","symbol":["DOGE/EUR"],"event_trigger":"bbo"}}',
    ]);
    expect(requestTexts(V2, 'unsubscribe', wanted)).toEqual([
      '{"method":"unsubscribe","params":{"channel":"book","symbol":["BTC/USD"],"depth":25}}',
      '{"method":"unsubscribe","params":{"channel":"trade","symbol":["BTC/USD"]}}',
      '{"method":"unsubscribe","params":{"channel":"ticker","symbol":["DOGE/EUR"]}}',
    ]);
  });

  it('batches at most pairsPerMessage pairs per request and never repeats a pair', () => {
    const pairs = Array.from({ length: 120 }, (_, i) => `A${i}/USD`);
    const wanted = [...pairs, ...pairs].map((pair) => ({ pair, channel: 'book' as const }));
    const texts = requestTexts(V2, 'subscribe', wanted);
    const batches = texts.map((text) => parseRequest(text)?.pairs ?? []);
    expect(batches.map((batch) => batch.length)).toEqual([50, 50, 20]);
    expect(batches.flat()).toEqual(pairs);
  });

  it('parseRequest reads both versions back (what a replay needs from a recorded request)', () => {
    expect(
      parseRequest('{"event":"subscribe","pair":["XBT/CHF"],"subscription":{"name":"book","depth":1000}}'),
    ).toEqual({ method: 'subscribe', channel: 'book', pairs: ['XBT/CHF'], depth: 1000 });
    expect(parseRequest('{"method":"unsubscribe","params":{"channel":"ticker","symbol":["BTC/USD"]}}')).toEqual({
      method: 'unsubscribe',
      channel: 'bbo',
      pairs: ['BTC/USD'],
      depth: undefined,
    });
    expect(parseRequest('{"event":"ping","reqid":1}')).toBeUndefined();
    expect(parseRequest('{"event":"subscribe","pair":["XBT/CHF"],"subscription":{"name":"spread"}}')).toBeUndefined();
    expect(parseRequest('not json')).toBeUndefined();
  });
});

describe('Kraken session subscriptions', () => {
  const all: UpstreamSubscription[] = [
    { symbol: 'BTC-USD', channel: 'book' },
    { symbol: 'BTC-USD', channel: 'trades' },
    { symbol: 'DOGE-USD', channel: 'bbo' },
  ];

  it('subscribes on open with the venue pair names of its version, and announces the books as connecting', () => {
    for (const [version, btc, doge] of [
      ['v1', 'XBT/USD', 'XDG/USD'],
      ['v2', 'BTC/USD', 'DOGE/USD'],
    ] as const) {
      const sink = new CollectingSink();
      new KrakenAdapter({ version, bookDepth: 10 }).createSession(all, sink).open(3);
      expect(sink.sent.map((text) => parseRequest(text))).toEqual([
        { method: 'subscribe', channel: 'book', pairs: [btc], depth: 10 },
        { method: 'subscribe', channel: 'trades', pairs: [btc], depth: undefined },
        { method: 'subscribe', channel: 'bbo', pairs: [doge], depth: undefined },
      ]);
      expect(sink.events).toEqual([
        {
          type: 'status',
          venue: 'kraken',
          symbol: 'BTC-USD',
          state: 'connecting',
          reason: 'subscribed to book depth 10; waiting for the snapshot',
          receiveTime: 3,
        },
      ]);
    }
  });

  it('subscribe adds only what is new; unsubscribing everything leaves no wanted subscription and no book', () => {
    const sink = new CollectingSink();
    const session = new KrakenAdapter({ version: 'v2' }).createSession(all.slice(0, 1), sink);
    session.open(0);
    session.subscribe(all);
    expect(session.subscriptions).toEqual(all);
    expect(sink.sent.slice(1).map((text) => parseRequest(text)?.channel)).toEqual(['trades', 'bbo']);
    sink.sent.length = 0;
    session.unsubscribe(all);
    expect(session.subscriptions).toEqual([]);
    expect(session.bookSync('BTC-USD')).toBeUndefined();
    expect(sink.sent).toEqual([
      '{"method":"unsubscribe","params":{"channel":"book","symbol":["BTC/USD"],"depth":1000}}',
      '{"method":"unsubscribe","params":{"channel":"trade","symbol":["BTC/USD"]}}',
      '{"method":"unsubscribe","params":{"channel":"ticker","symbol":["DOGE/USD"]}}',
    ]);
    // A book frame still in flight for the dropped symbol is ignored, not an error.
    session.handleFrame(
      '{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[],"asks":[],"checksum":0}]}',
      1,
    );
    expect(sink.counts.ignored).toEqual({ 'book of an unsubscribed symbol': 1 });
    // Unsubscribing what is not wanted sends nothing.
    session.unsubscribe(all);
    expect(sink.sent).toHaveLength(3);
  });
});

describe('Kraken symbols', () => {
  it('maps XBT → BTC and XDG → DOGE both ways; v2 pair names are already common', () => {
    expect(symbolOfPair('XBT/CHF')).toBe('BTC-CHF');
    expect(symbolOfPair('ADA/XBT')).toBe('ADA-BTC');
    expect(symbolOfPair('XDG/USD')).toBe('DOGE-USD');
    expect(symbolOfPair('BTC/USD')).toBe('BTC-USD');
    expect(symbolOfPair('WAVES/EUR')).toBe('WAVES-EUR');
    expect(pairOf('v1', 'BTC', 'USD')).toBe('XBT/USD');
    expect(pairOf('v1', 'DOGE', 'BTC')).toBe('XDG/XBT');
    expect(pairOf('v2', 'BTC', 'USD')).toBe('BTC/USD');
    for (const bad of ['XBTUSD', '/USD', 'XBT/', 'A/B/C', 'XB T/USD']) expect(symbolOfPair(bad), bad).toBeUndefined();
  });

  it('builds instruments with tick and lot size from an AssetPairs entry', () => {
    const assetPair = { wsname: 'XBT/USD', pair_decimals: 1, lot_decimals: 8 };
    expect(krakenInstrument('v1', assetPair)).toEqual({
      venue: 'kraken',
      venueSymbol: 'XBT/USD',
      symbol: 'BTC-USD',
      base: 'BTC',
      quote: 'USD',
      kind: 'spot',
      tickSize: '0.1',
      lotSize: '0.00000001',
    });
    const adapter = new KrakenAdapter({
      version: 'v2',
      instruments: [krakenInstrument('v2', { ...assetPair, tick_size: '0.5' })],
    });
    expect(adapter.instrument('BTC-USD')).toMatchObject({ venueSymbol: 'BTC/USD', tickSize: '0.5' });
    expect(adapter.symbolOf('BTC/USD')).toBe('BTC-USD');
  });

  it('the adapter states its endpoint, limits and heartbeat rule', () => {
    expect(new KrakenAdapter({ version: 'v1' }).url()).toBe('wss://ws.kraken.com');
    expect(new KrakenAdapter({ version: 'v2' }).url()).toBe('wss://ws.kraken.com/v2');
    expect(new KrakenAdapter({ version: 'v2', wsUrl: 'ws://127.0.0.1:9/v2' }).url()).toBe('ws://127.0.0.1:9/v2');
    const adapter = new KrakenAdapter({ version: 'v2' });
    expect(adapter.heartbeat).toEqual({ expectedIntervalMs: 1000 });
    expect(adapter.bookDepth).toBe(1000);
    expect(() => new KrakenAdapter({ version: 'v2', bookDepth: 7 as 10 })).toThrow(RangeError);
    expect(() => new KrakenAdapter({ version: 'v2', pairsPerMessage: 0 })).toThrow(RangeError);
  });
});
