import { describe, expect, it } from 'vitest';
import { createSimulatedVenue } from '../../simulator/simulated-venue';
import { CollectingSink } from '../collecting-sink';
import { BinanceAdapter } from './binance-adapter';
import { instrumentsFromBinance } from './binance-instruments';

/*
 * Shapes from the venue documentation: spot "General endpoints" → Exchange information (the
 * symbol entry with its filters as on the "Filters" page), USD-M futures "Exchange Information".
 */

const SPOT_EXCHANGE_INFO = {
  timezone: 'UTC',
  serverTime: 1565246363776,
  rateLimits: [{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 }],
  exchangeFilters: [],
  symbols: [
    {
      symbol: 'ETHBTC',
      status: 'TRADING',
      baseAsset: 'ETH',
      baseAssetPrecision: 8,
      quoteAsset: 'BTC',
      quotePrecision: 8,
      quoteAssetPrecision: 8,
      orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT'],
      icebergAllowed: true,
      isSpotTradingAllowed: true,
      isMarginTradingAllowed: true,
      filters: [
        { filterType: 'PRICE_FILTER', minPrice: '0.00001000', maxPrice: '922327.00000000', tickSize: '0.00001000' },
        { filterType: 'LOT_SIZE', minQty: '0.00010000', maxQty: '100000.00000000', stepSize: '0.00010000' },
        { filterType: 'ICEBERG_PARTS', limit: 10 },
        { filterType: 'MARKET_LOT_SIZE', minQty: '0.00000000', maxQty: '2000.00000000', stepSize: '0.00000000' },
      ],
      permissions: [],
    },
    {
      // A quote asset the concatenated-symbol split does not know: only exchangeInfo names it.
      symbol: 'BTCUAH',
      status: 'TRADING',
      baseAsset: 'BTC',
      quoteAsset: 'UAH',
      filters: [
        { filterType: 'PRICE_FILTER', minPrice: '1.00000000', maxPrice: '99999999.00000000', tickSize: '1.00000000' },
        { filterType: 'LOT_SIZE', minQty: '0.00001000', maxQty: '9000.00000000', stepSize: '0.00001000' },
      ],
    },
    {
      symbol: 'BNBUSDT',
      status: 'BREAK',
      baseAsset: 'BNB',
      quoteAsset: 'USDT',
      filters: [
        { filterType: 'PRICE_FILTER', minPrice: '0.01000000', maxPrice: '100000.00000000', tickSize: '0.01000000' },
        { filterType: 'LOT_SIZE', minQty: '0.00100000', maxQty: '900000.00000000', stepSize: '0.00100000' },
      ],
    },
  ],
};

const USDM_EXCHANGE_INFO = {
  exchangeFilters: [],
  rateLimits: [],
  serverTime: 1565613908500,
  assets: [{ asset: 'USDT', marginAvailable: true, autoAssetExchange: '-10000' }],
  symbols: [
    {
      symbol: 'BLZUSDT',
      pair: 'BLZUSDT',
      contractType: 'PERPETUAL',
      deliveryDate: 4133404800000,
      onboardDate: 1598252400000,
      status: 'TRADING',
      baseAsset: 'BLZ',
      quoteAsset: 'USDT',
      marginAsset: 'USDT',
      pricePrecision: 5,
      quantityPrecision: 0,
      baseAssetPrecision: 8,
      quotePrecision: 8,
      filters: [
        { filterType: 'PRICE_FILTER', maxPrice: '300', minPrice: '0.0001', tickSize: '0.0001' },
        { filterType: 'LOT_SIZE', maxQty: '10000000', minQty: '1', stepSize: '1' },
        { filterType: 'MARKET_LOT_SIZE', maxQty: '590119', minQty: '1', stepSize: '1' },
        { filterType: 'MAX_NUM_ORDERS', limit: 200 },
      ],
    },
    {
      symbol: 'BTCUSDT_250328',
      pair: 'BTCUSDT',
      contractType: 'CURRENT_QUARTER',
      status: 'TRADING',
      baseAsset: 'BTC',
      quoteAsset: 'USDT',
      filters: [
        { filterType: 'PRICE_FILTER', maxPrice: '1000000', minPrice: '556.80', tickSize: '0.10' },
        { filterType: 'LOT_SIZE', maxQty: '1000', minQty: '0.001', stepSize: '0.001' },
      ],
    },
  ],
};

function rows(venue: Parameters<typeof instrumentsFromBinance>[1], body: unknown) {
  return instrumentsFromBinance(body, venue).map((i) => [
    i.venue,
    i.venueSymbol,
    i.symbol,
    i.kind,
    i.tickSize,
    i.lotSize,
  ]);
}

describe('instrumentsFromBinance (exchangeInfo filters)', () => {
  it('spot: tick from PRICE_FILTER tickSize, lot from LOT_SIZE stepSize, exact and canonical', () => {
    expect(rows('binance', SPOT_EXCHANGE_INFO)).toEqual([
      ['binance', 'ETHBTC', 'ETH-BTC', 'spot', '0.00001', '0.0001'],
      ['binance', 'BTCUAH', 'BTC-UAH', 'spot', '1', '0.00001'],
      ['binance', 'BNBUSDT', 'BNB-USDT', 'spot', '0.01', '0.001'],
    ]);
  });

  it('Binance.US: the same shape, named for its venue', () => {
    expect(rows('binance-us', SPOT_EXCHANGE_INFO).map(([venue, symbol]) => `${venue}:${symbol}`)).toEqual([
      'binance-us:ETHBTC',
      'binance-us:BTCUAH',
      'binance-us:BNBUSDT',
    ]);
  });

  it('USD-M futures: perpetuals only (a delivery contract shares the assets), kind perpetual', () => {
    expect(rows('binance-usdm', USDM_EXCHANGE_INFO)).toEqual([
      ['binance-usdm', 'BLZUSDT', 'BLZ-USDT', 'perpetual', '0.0001', '1'],
    ]);
  });

  it('keeps tick sizes beyond float precision exact', () => {
    const body = structuredClone(SPOT_EXCHANGE_INFO);
    const filter = body.symbols[0]!.filters[0] as { tickSize: string };
    filter.tickSize = '0.000000000000000000010000';
    expect(instrumentsFromBinance(body, 'binance')[0]?.tickSize).toBe('0.00000000000000000001');
  });

  it('skips entries it cannot trust: tick 0 (filter disabled), a missing filter, numbers, bad decimals', () => {
    const entry = SPOT_EXCHANGE_INFO.symbols[0]!;
    const withFilters = (filters: unknown[]) => ({ symbols: [{ ...entry, filters }] });
    const [price, lot] = entry.filters;
    expect(instrumentsFromBinance(withFilters([{ ...price, tickSize: '0.00000000' }, lot]), 'binance')).toEqual([]);
    expect(instrumentsFromBinance(withFilters([price]), 'binance')).toEqual([]);
    expect(instrumentsFromBinance(withFilters([{ ...price, tickSize: 0.01 }, lot]), 'binance')).toEqual([]);
    expect(instrumentsFromBinance(withFilters([price, { ...lot, stepSize: 'one' }]), 'binance')).toEqual([]);
    expect(instrumentsFromBinance({ symbols: [{ ...entry, baseAsset: 'ET H' }] }, 'binance')).toEqual([]);
    expect(instrumentsFromBinance({ code: -1121, msg: 'Invalid symbol.' }, 'binance')).toEqual([]);
    expect(instrumentsFromBinance(null, 'binance')).toEqual([]);
  });

  it('the adapter takes them: the exact instrument, and a symbol only exchangeInfo can name', () => {
    const adapter = new BinanceAdapter({
      venue: 'binance',
      instruments: instrumentsFromBinance(SPOT_EXCHANGE_INFO, 'binance'),
    });
    expect(adapter.instrument('ETH-BTC')).toMatchObject({ tickSize: '0.00001', lotSize: '0.0001' });
    expect(adapter.symbolOf('BTCUAH')).toBe('BTC-UAH');
    expect(new BinanceAdapter({ venue: 'binance' }).symbolOf('BTCUAH')).toBeUndefined();
    const sink = new CollectingSink();
    const session = adapter.createSession([{ symbol: 'BTC-UAH', channel: 'book' }], sink);
    session.open(0);
    expect(sink.sent).toEqual(['{"method":"SUBSCRIBE","params":["btcuah@depth@100ms"],"id":1}']);
    session.handleFrame(
      '{"stream":"btcuah@depth@100ms","data":{"e":"depthUpdate","E":1,"s":"BTCUAH","U":5,"u":6,"b":[["4000000","1"]],"a":[]}}',
      1,
    );
    expect(sink.requests.map((r) => r.url)).toEqual(['https://api.binance.com/api/v3/depth?symbol=BTCUAH&limit=1000']);
  });
});

describe('instrumentsFromBinance on the simulated venue’s GET /api/v3/exchangeInfo', () => {
  it('parses its answer into the grid the simulator trades on', () => {
    const venue = createSimulatedVenue({ generatedSymbols: 2 });
    const response = venue.http(new URL('/api/v3/exchangeInfo', 'http://127.0.0.1'), venue.config.startTime);
    expect(response?.status).toBe(200);
    const instruments = instrumentsFromBinance(JSON.parse(response?.body ?? 'null'), 'binance');
    expect(instruments.map((i) => [i.venueSymbol, i.base, i.quote, i.tickSize, i.lotSize])).toEqual(
      venue.symbols.map((spec) => [spec.symbol, spec.baseAsset, spec.quoteAsset, spec.tickSize, spec.lotSize]),
    );
    expect(instruments.find((i) => i.venueSymbol === 'BTCUSDT')).toMatchObject({
      tickSize: '0.01',
      lotSize: '0.00001',
    });
  });
});
