import { describe, expect, it } from 'vitest';
import { CollectingSink } from '../collecting-sink';
import type { UpstreamSubscription } from '../venue-adapter';
import { OkxAdapter } from './okx-adapter';
import { buildRequests, OKX_MAX_REQUEST_BYTES, OkxRequestBudget } from './okx-requests';

const HOUR = 3600 * 1_000_000;

describe('OKX subscribe/unsubscribe messages', () => {
  it('have the documented shape: op plus args of {channel, instId}', () => {
    expect(
      buildRequests('subscribe', [
        { channel: 'books', instId: 'BTC-USDT' },
        { channel: 'trades', instId: 'BTC-USDT-SWAP' },
      ]),
    ).toEqual([
      '{"op":"subscribe","args":[{"channel":"books","instId":"BTC-USDT"},{"channel":"trades","instId":"BTC-USDT-SWAP"}]}',
    ]);
    expect(buildRequests('unsubscribe', [{ channel: 'tickers', instId: 'ETH-USD-240628' }])).toEqual([
      '{"op":"unsubscribe","args":[{"channel":"tickers","instId":"ETH-USD-240628"}]}',
    ]);
    expect(buildRequests('subscribe', [])).toEqual([]);
  });

  it('batches args into as few messages as fit in 64 KB, in order, none over the cap', () => {
    const args = Array.from({ length: 3000 }, (_, i) => ({ channel: 'books', instId: `COIN${i}-USDT-SWAP` }));
    const messages = buildRequests('subscribe', args);
    expect(messages.length).toBe(3);
    for (const message of messages)
      expect(new TextEncoder().encode(message).length).toBeLessThanOrEqual(OKX_MAX_REQUEST_BYTES);
    const sent = messages.flatMap((message) => (JSON.parse(message) as { args: unknown[] }).args);
    expect(sent).toEqual(args);
    // The cap is exact: a message of exactly maxBytes is allowed, one byte less splits it.
    const one = buildRequests('subscribe', args.slice(0, 2));
    const size = one[0]!.length;
    expect(buildRequests('subscribe', args.slice(0, 2), size)).toHaveLength(1);
    expect(buildRequests('subscribe', args.slice(0, 2), size - 1)).toHaveLength(2);
  });
});

describe('OkxRequestBudget (480 subscribe/unsubscribe requests per connection per hour)', () => {
  it('counts requests over a sliding hour', () => {
    const budget = new OkxRequestBudget();
    expect(budget.remaining(0)).toBe(480);
    budget.record(0, 400);
    budget.record(HOUR / 2, 80);
    expect(budget.remaining(HOUR / 2)).toBe(0);
    expect(budget.remaining(HOUR)).toBe(400);
    expect(budget.remaining(HOUR + HOUR / 2)).toBe(480);
  });
});

function session(subscriptions: UpstreamSubscription[]): {
  sink: CollectingSink;
  session: ReturnType<OkxAdapter['createSession']>;
} {
  const sink = new CollectingSink();
  return { sink, session: new OkxAdapter({ defaultKind: 'perpetual' }).createSession(subscriptions, sink) };
}

describe('OKX session subscriptions', () => {
  const all: UpstreamSubscription[] = [
    { symbol: 'BTC-USDT', channel: 'book' },
    { symbol: 'BTC-USDT', channel: 'trades' },
    { symbol: 'ETH-USDT', channel: 'bbo' },
  ];

  it('subscribes everything in one request on open, then only what is new', () => {
    const { sink, session: s } = session(all);
    s.open(1);
    expect(sink.sent).toEqual([
      '{"op":"subscribe","args":[{"channel":"books","instId":"BTC-USDT-SWAP"},{"channel":"trades","instId":"BTC-USDT-SWAP"},{"channel":"tickers","instId":"ETH-USDT-SWAP"}]}',
    ]);
    s.subscribe([
      { symbol: 'BTC-USDT', channel: 'trades' },
      { symbol: 'SOL-USDT', channel: 'trades' },
    ]);
    expect(sink.sent[1]).toBe('{"op":"subscribe","args":[{"channel":"trades","instId":"SOL-USDT-SWAP"}]}');
    s.subscribe([{ symbol: 'SOL-USDT', channel: 'trades' }]);
    expect(sink.sent).toHaveLength(2);
  });

  it('unsubscribing everything leaves no wanted subscription, no book and no route', () => {
    const { sink, session: s } = session(all);
    s.open(1);
    s.unsubscribe([...all, { symbol: 'XRP-USDT', channel: 'book' }]);
    expect(sink.sent[1]).toBe(
      '{"op":"unsubscribe","args":[{"channel":"books","instId":"BTC-USDT-SWAP"},{"channel":"trades","instId":"BTC-USDT-SWAP"},{"channel":"tickers","instId":"ETH-USDT-SWAP"}]}',
    );
    expect(s.wantedSubscriptions()).toEqual([]);
    expect(s.bookSync('BTC-USDT-SWAP')).toBeUndefined();
    s.handleFrame(
      '{"arg":{"channel":"trades","instId":"BTC-USDT-SWAP"},"data":[{"instId":"BTC-USDT-SWAP","tradeId":"1","px":"1","sz":"1","side":"buy","ts":"1"}]}',
      2,
    );
    expect(sink.counts.ignored).toEqual({ 'trades of an unsubscribed instId': 1 });
    expect(sink.events.filter((event) => event.type === 'trade')).toEqual([]);
    s.unsubscribe(all);
    expect(sink.sent).toHaveLength(2);
  });

  it('resyncs by resubscribing until the hourly budget runs low, then asks for a new connection', () => {
    const { sink, session: s } = session([{ symbol: 'BTC-USDT', channel: 'book' }]);
    s.open(0);
    const ack = '{"event":"subscribe","arg":{"channel":"books","instId":"BTC-USDT-SWAP"}}';
    const corrupt =
      '{"arg":{"channel":"books","instId":"BTC-USDT-SWAP"},"action":"snapshot","data":[{"asks":[["101","1","0","1"]],"bids":[["100","1","0","1"]],"ts":"1","checksum":12345}]}';
    for (let i = 0; i < 230; i++) {
      s.handleFrame(ack, i);
      s.handleFrame(corrupt, i);
    }
    // 1 initial request + 2 per resync while 42 (2 + a reserve of 40) remain: 219 resyncs fit.
    expect(sink.sent).toHaveLength(1 + 2 * 219);
    expect(sink.replacements).toHaveLength(1);
    expect(sink.replacements[0]).toMatch(/480 subscribe\/unsubscribe requests per connection per hour/);
    expect(s.bookSync('BTC-USDT-SWAP')!.stats.resyncs).toBe(230);
    // An hour later the budget is back.
    s.handleFrame(ack, HOUR + 1);
    s.handleFrame(corrupt, HOUR + 1);
    expect(sink.sent).toHaveLength(1 + 2 * 220);
  });
});
