import { describe, expect, it } from 'vitest';
import { defineInstrument } from '../../model/instrument';
import { CollectingSink } from '../collecting-sink';
import { OkxAdapter } from './okx-adapter';
import { instrumentsFromOkx } from './okx-instruments';
import { parseInstId, subscriptionsFromRequests } from './okx-symbols';

describe('OKX instId mapping', () => {
  it('names spot, swap and dated future by BASE-QUOTE and keeps the kind', () => {
    expect(parseInstId('BTC-USDT')).toEqual({ symbol: 'BTC-USDT', base: 'BTC', quote: 'USDT', kind: 'spot' });
    expect(parseInstId('UNI-USD-SWAP')).toEqual({ symbol: 'UNI-USD', base: 'UNI', quote: 'USD', kind: 'perpetual' });
    expect(parseInstId('BTC-USD-220527')).toEqual({ symbol: 'BTC-USD', base: 'BTC', quote: 'USD', kind: 'future' });
    for (const unmapped of ['BTC-USD-220527-30000-C', 'BTCUSDT', 'btc-usdt', 'BTC-USD-2205', '']) {
      expect(parseInstId(unmapped), unmapped).toBeUndefined();
    }
  });

  it('subscribes the instId an instrument names, else spot (or -SWAP with defaultKind perpetual)', () => {
    const swap = defineInstrument({
      venue: 'okx',
      venueSymbol: 'ETH-USDT-SWAP',
      base: 'ETH',
      quote: 'USDT',
      kind: 'perpetual',
      tickSize: '0.01',
      lotSize: '1',
    });
    const adapter = new OkxAdapter({ instruments: [swap] });
    expect(adapter.instIdOf('ETH-USDT')).toBe('ETH-USDT-SWAP');
    expect(adapter.instIdOf('BTC-USDT')).toBe('BTC-USDT');
    expect(new OkxAdapter({ defaultKind: 'perpetual' }).instIdOf('BTC-USDT')).toBe('BTC-USDT-SWAP');
    expect(adapter.symbolOf('ETH-USDT-SWAP')).toBe('ETH-USDT');
    expect(adapter.instrument('ETH-USDT')?.kind).toBe('perpetual');
    const sink = new CollectingSink();
    adapter.createSession([{ symbol: 'ETH-USDT', channel: 'trades' }], sink).open(1);
    expect(sink.sent).toEqual(['{"op":"subscribe","args":[{"channel":"trades","instId":"ETH-USDT-SWAP"}]}']);
  });

  it('refuses two instruments for one normalized symbol (events could not tell them apart)', () => {
    const spec = { venue: 'okx', base: 'BTC', quote: 'USDT', tickSize: '0.1', lotSize: '1' } as const;
    expect(
      () =>
        new OkxAdapter({
          instruments: [
            defineInstrument({ ...spec, venueSymbol: 'BTC-USDT', kind: 'spot' }),
            defineInstrument({ ...spec, venueSymbol: 'BTC-USDT-SWAP', kind: 'perpetual' }),
          ],
        }),
    ).toThrow(/BTC-USDT and BTC-USDT-SWAP both map to BTC-USDT/);
  });

  it('reads the subscriptions a recorder left standing from its sent requests', () => {
    const adapter = new OkxAdapter();
    expect(
      subscriptionsFromRequests(
        [
          '{"op":"subscribe","args":[{"channel":"books","instId":"BTC-USDT"},{"channel":"candle1m","instId":"BTC-USDT"}]}',
          '{"op":"subscribe","args":[{"channel":"tickers","instId":"BTC-USDT"},{"channel":"books","instId":"BTC-USDT"}]}',
          '{"op":"unsubscribe","args":[{"channel":"tickers","instId":"BTC-USDT"}]}',
          'ping',
        ],
        (instId) => adapter.symbolOf(instId),
      ),
    ).toEqual([{ symbol: 'BTC-USDT', channel: 'book' }]);
  });

  it('has the documented endpoint and heartbeat policy', () => {
    const adapter = new OkxAdapter();
    expect(adapter.venue).toBe('okx');
    expect(adapter.url()).toBe('wss://ws.okx.com:8443/ws/v5/public');
    expect(adapter.heartbeat).toEqual({ clientPing: { text: 'ping', intervalMs: 25_000 }, expectedIntervalMs: 30_000 });
    expect(adapter.maxSubscriptionsPerConnection).toBe(29);
  });
});

describe('instrumentsFromOkx (GET /api/v5/public/instruments)', () => {
  it('reads tick and lot sizes; swaps and futures take base and quote from the instId', () => {
    const body = {
      code: '0',
      msg: '',
      data: [
        { instType: 'SPOT', instId: 'BTC-USDT', baseCcy: 'BTC', quoteCcy: 'USDT', tickSz: '0.1', lotSz: '0.00000001' },
        {
          instType: 'SWAP',
          instId: 'UNI-USD-SWAP',
          baseCcy: '',
          quoteCcy: '',
          instFamily: 'UNI-USD',
          tickSz: '0.001',
          lotSz: '1',
        },
        { instType: 'FUTURES', instId: 'BTC-USD-220527', baseCcy: '', quoteCcy: '', tickSz: '0.1', lotSz: '1' },
        { instType: 'OPTION', instId: 'BTC-USD-220527-30000-C', tickSz: '0.0005', lotSz: '1' },
        { instType: 'SPOT', instId: 'BAD-USDT', baseCcy: 'BAD', quoteCcy: 'USDT', tickSz: '0', lotSz: '1' },
      ],
    };
    expect(instrumentsFromOkx(body).map((i) => [i.venueSymbol, i.symbol, i.kind, i.tickSize, i.lotSize])).toEqual([
      ['BTC-USDT', 'BTC-USDT', 'spot', '0.1', '0.00000001'],
      ['UNI-USD-SWAP', 'UNI-USD', 'perpetual', '0.001', '1'],
      ['BTC-USD-220527', 'BTC-USD', 'future', '0.1', '1'],
    ]);
    expect(instrumentsFromOkx({ code: '50011', msg: 'Too Many Requests', data: [] })).toEqual([]);
  });
});
