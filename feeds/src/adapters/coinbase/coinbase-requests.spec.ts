import { describe, expect, it } from 'vitest';
import { defineInstrument } from '../../model/instrument';
import { CollectingSink } from '../collecting-sink';
import type { UpstreamSubscription } from '../venue-adapter';
import { CoinbaseAdapter, type CoinbaseAdapterOptions } from './coinbase-adapter';
import { advancedTradeRequests, exchangeRequests } from './coinbase-requests';

const products = (n: number): string[] => Array.from({ length: n }, (_, i) => `C${i}-USD`);

function session(options: CoinbaseAdapterOptions, subscriptions: UpstreamSubscription[] = []) {
  const sink = new CollectingSink();
  const created = new CoinbaseAdapter(options).createSession(subscriptions, sink);
  created.open(0);
  return { sink, session: created };
}

const parse = (text: string) => JSON.parse(text) as { type: string; product_ids?: string[]; channel?: string };

describe('Coinbase subscribe/unsubscribe messages', () => {
  it('Exchange: one channel per message, product ids split at the per-message limit', () => {
    expect(exchangeRequests('subscribe', 'level2', ['BTC-USD', 'ETH-USD'], 100)).toEqual([
      '{"type":"subscribe","product_ids":["BTC-USD","ETH-USD"],"channels":["level2"]}',
    ]);
    const split = exchangeRequests('unsubscribe', 'matches', products(5), 2);
    expect(split).toEqual([
      '{"type":"unsubscribe","product_ids":["C0-USD","C1-USD"],"channels":["matches"]}',
      '{"type":"unsubscribe","product_ids":["C2-USD","C3-USD"],"channels":["matches"]}',
      '{"type":"unsubscribe","product_ids":["C4-USD"],"channels":["matches"]}',
    ]);
    expect(exchangeRequests('subscribe', 'ticker', [], 100)).toEqual([]);
  });

  it('Advanced Trade: one channel per message, and never an unsubscribe without product ids', () => {
    expect(advancedTradeRequests('subscribe', 'market_trades', ['BTC-USD'], 100)).toEqual([
      '{"type":"subscribe","product_ids":["BTC-USD"],"channel":"market_trades"}',
    ]);
    expect(advancedTradeRequests('unsubscribe', 'level2', products(250), 100).map(parse)).toEqual([
      { type: 'unsubscribe', product_ids: products(250).slice(0, 100), channel: 'level2' },
      { type: 'unsubscribe', product_ids: products(250).slice(100, 200), channel: 'level2' },
      { type: 'unsubscribe', product_ids: products(250).slice(200), channel: 'level2' },
    ]);
    // "You can also unsubscribe from a channel entirely by providing no product IDs": never by accident.
    expect(advancedTradeRequests('unsubscribe', 'level2', [], 100)).toEqual([]);
    expect(advancedTradeRequests('subscribe', 'ticker', ['A-USD', 'A-USD'], 100)).toEqual([
      '{"type":"subscribe","product_ids":["A-USD"],"channel":"ticker"}',
    ]);
    expect(() => advancedTradeRequests('subscribe', 'ticker', ['A-USD'], 0)).toThrow(RangeError);
  });

  it('Exchange session: heartbeat per wanted product, changes sent as deltas, all gone after unsubscribing all', () => {
    const { sink, session: s } = session({ feed: 'exchange' }, [{ symbol: 'BTC-USD', channel: 'book' }]);
    expect(sink.sent).toEqual([
      '{"type":"subscribe","product_ids":["BTC-USD"],"channels":["level2"]}',
      '{"type":"subscribe","product_ids":["BTC-USD"],"channels":["heartbeat"]}',
    ]);
    sink.sent.length = 0;
    s.subscribe([
      { symbol: 'BTC-USD', channel: 'book' },
      { symbol: 'BTC-USD', channel: 'trades' },
      { symbol: 'ETH-EUR', channel: 'bbo' },
    ]);
    expect(sink.sent).toEqual([
      '{"type":"subscribe","product_ids":["ETH-EUR"],"channels":["ticker"]}',
      '{"type":"subscribe","product_ids":["BTC-USD"],"channels":["matches"]}',
      '{"type":"subscribe","product_ids":["ETH-EUR"],"channels":["heartbeat"]}',
    ]);
    sink.sent.length = 0;
    s.unsubscribe([{ symbol: 'BTC-USD', channel: 'book' }]);
    // BTC-USD trades remain wanted, so its heartbeat stays.
    expect(sink.sent).toEqual(['{"type":"unsubscribe","product_ids":["BTC-USD"],"channels":["level2"]}']);
    expect(s.bookSync('BTC-USD')).toBeUndefined();
    sink.sent.length = 0;
    s.unsubscribe([...s.wantedSubscriptions()]);
    expect(s.wantedSubscriptions()).toEqual([]);
    expect(sink.sent).toEqual([
      '{"type":"unsubscribe","product_ids":["ETH-EUR"],"channels":["ticker"]}',
      '{"type":"unsubscribe","product_ids":["BTC-USD"],"channels":["matches"]}',
      '{"type":"unsubscribe","product_ids":["BTC-USD","ETH-EUR"],"channels":["heartbeat"]}',
    ]);
  });

  it('Advanced Trade session: heartbeats while anything is wanted, unsubscribing everything leaves nothing', () => {
    const { sink, session: s } = session({ feed: 'advanced-trade', productsPerMessage: 2 });
    expect(sink.sent).toEqual([]);
    s.subscribe(products(3).map((symbol) => ({ symbol, channel: 'book' as const })));
    expect(sink.sent).toEqual([
      '{"type":"subscribe","channel":"heartbeats"}',
      '{"type":"subscribe","product_ids":["C0-USD","C1-USD"],"channel":"level2"}',
      '{"type":"subscribe","product_ids":["C2-USD"],"channel":"level2"}',
    ]);
    sink.sent.length = 0;
    s.subscribe([{ symbol: 'C0-USD', channel: 'book' }]);
    expect(sink.sent).toEqual([]);
    s.unsubscribe([...s.wantedSubscriptions(), { symbol: 'XX-USD', channel: 'trades' }]);
    expect(s.wantedSubscriptions()).toEqual([]);
    expect(sink.sent).toEqual([
      '{"type":"unsubscribe","product_ids":["C0-USD","C1-USD"],"channel":"level2"}',
      '{"type":"unsubscribe","product_ids":["C2-USD"],"channel":"level2"}',
      '{"type":"unsubscribe","channel":"heartbeats"}',
    ]);
    for (const message of sink.sent.map(parse)) {
      if (message.channel !== 'heartbeats') expect(message.product_ids?.length).toBeGreaterThan(0);
    }
  });

  it('uses configured product ids and the level2_batch channel when asked', () => {
    const { sink } = session(
      {
        feed: 'exchange',
        level2Channel: 'level2_batch',
        heartbeats: false,
        instruments: [
          defineInstrument({
            venue: 'coinbase',
            venueSymbol: 'BTC-USD',
            base: 'XBT',
            quote: 'USD',
            kind: 'spot',
            tickSize: '0.01',
            lotSize: '0.00000001',
          }),
        ],
      },
      [{ symbol: 'XBT-USD', channel: 'book' }],
    );
    expect(sink.sent).toEqual(['{"type":"subscribe","product_ids":["BTC-USD"],"channels":["level2_batch"]}']);
  });

  it('describes the venues: endpoints, heartbeat policy, connection sizes, symbol mapping', () => {
    const exchange = new CoinbaseAdapter({ feed: 'exchange' });
    const advanced = new CoinbaseAdapter({ feed: 'advanced-trade' });
    expect(exchange.url()).toBe('wss://ws-feed.exchange.coinbase.com');
    expect(advanced.url()).toBe('wss://advanced-trade-ws.coinbase.com');
    expect(exchange.heartbeat).toEqual({ expectedIntervalMs: 1000 });
    expect(new CoinbaseAdapter({ feed: 'exchange', heartbeats: false }).heartbeat).toEqual({
      expectedIntervalMs: 60_000,
    });
    expect(advanced.heartbeat.clientPing).toBeUndefined();
    expect(advanced.maxSubscriptionsPerConnection).toBeLessThan(exchange.maxSubscriptionsPerConnection);
    expect(exchange.symbolOf('skl-gbp')).toBe('SKL-GBP');
    expect(exchange.symbolOf('BIT-30AUG24-CDE')).toBeUndefined();
  });
});
