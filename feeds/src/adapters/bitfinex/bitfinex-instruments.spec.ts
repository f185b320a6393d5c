import { describe, expect, it } from 'vitest';
import { BitfinexAdapter } from './bitfinex-adapter';
import { BITFINEX_LOT_SIZE, instrumentsFromBitfinex, lastPricesFromBitfinexTickers } from './bitfinex-instruments';
import { bitfinexPriceTick } from './bitfinex-price-tick';

/** GET /v2/conf/pub:info:pair as the Configs reference shows it (pair, [.., MIN, MAX, .., margins]). */
const PAIR_INFO = [
  [
    ['BTCUSD', [null, null, null, '0.00006', '2000.0', null, null, null, 0.2, 0.1]],
    ['BTCUST', [null, null, null, '0.00006', '2000.0', null, null, null, 0.2, 0.1]],
    ['DOGE:USD', [null, null, null, '22.0', '500000.0', null, null, null, 0.3, 0.15]],
    ['SHIB:USD', [null, null, null, '400000.0', '20000000000.0', null, null, null, 0.3, 0.15]],
    ['XYZUSD', [null, null, null, '1.0', '1000.0', null, null, null, null, null]],
    ['btcusd', [null, null, null, '1.0', '1000.0', null, null, null, null, null]],
    'not an entry',
  ],
];

/** GET /v2/conf/pub:info:pair:futures. */
const FUTURES_INFO = [[['BTCF0:USTF0', [null, null, null, '0.0002', '100.0', null, null, null, 0.01, 0.005]]]];

/** GET /v2/tickers?symbols=ALL, trading and funding tickers mixed, numbers bare as Bitfinex sends them. */
const TICKERS =
  '[["tBTCUSD",57120,53.62425959,57121,76.68743116,745.1,0.0132,57123,35974.30434176,58864,55800],' +
  '["tBTCUST",57150,1.5,57151,2.5,700,0.012,57150.00,100.1,58000,56000],' +
  '["tDOGE:USD",0.20443,100,0.20444,200,0.001,0.005,0.20445,1e6,0.21,0.19],' +
  '["tSHIB:USD",0.000012345,1,0.000012346,1,0,0,1.2345e-5,1,1,1],' +
  '["tBTCF0:USTF0",57100,1,57101,1,0,0,57100.5,1,1,1],' +
  '["fUSD",0.0003447013698630137,0.000316,30,1682003.0922634401,0.00031783,2,23966.64851316,-0.00001685,-0.0504,0.00031604,208988799.51432937,0.0003478,0.00030327,null,null,3069259.36789567]]';

describe('bitfinexPriceTick (5 significant digits)', () => {
  it.each([
    ['57123', '1'],
    ['57123.4', '1'],
    ['123450', '10'],
    ['1234.5', '0.1'],
    ['12.123', '0.001'],
    ['1.1234', '0.0001'],
    ['0.012345', '0.000001'],
    ['0.00012340', '0.00000001'],
    ['0.000012345', '0.000000001'],
    ['1.2345e-5', '0.000000001'],
    ['100000', '10'],
    ['99999', '1'],
    ['1', '0.0001'],
  ])('at %s the step is %s', (price, tick) => {
    expect(bitfinexPriceTick(price)).toBe(tick);
  });

  it('refuses zero, negative and non-decimal prices', () => {
    expect(() => bitfinexPriceTick('0')).toThrow(RangeError);
    expect(() => bitfinexPriceTick('-1')).toThrow(RangeError);
    expect(() => bitfinexPriceTick('abc')).toThrow();
  });
});

describe('lastPricesFromBitfinexTickers', () => {
  it('reads LAST_PRICE of trading tickers as exact decimal text, skipping funding tickers', () => {
    expect(Object.fromEntries(lastPricesFromBitfinexTickers(TICKERS))).toEqual({
      tBTCUSD: '57123',
      tBTCUST: '57150',
      'tDOGE:USD': '0.20445',
      'tSHIB:USD': '0.000012345',
      'tBTCF0:USTF0': '57100.5',
    });
    expect(lastPricesFromBitfinexTickers('{"error":"ERR_RATE_LIMIT"}').size).toBe(0);
    expect(lastPricesFromBitfinexTickers('[["tBTCUSD",1,2').size).toBe(0);
  });
});

describe('instrumentsFromBitfinex (conf pub:info:pair + reference prices)', () => {
  const referencePrices = lastPricesFromBitfinexTickers(TICKERS);

  it('one instrument per listed pair with a reference price: tick at that price, 8-decimal lot', () => {
    const instruments = instrumentsFromBitfinex(PAIR_INFO, { referencePrices });
    expect(instruments.map((i) => [i.venueSymbol, i.symbol, i.kind, i.tickSize, i.lotSize])).toEqual([
      ['tBTCUSD', 'BTC-USD', 'spot', '1', BITFINEX_LOT_SIZE],
      ['tBTCUST', 'BTC-USDT', 'spot', '1', BITFINEX_LOT_SIZE],
      ['tDOGE:USD', 'DOGE-USD', 'spot', '0.00001', BITFINEX_LOT_SIZE],
      ['tSHIB:USD', 'SHIB-USD', 'spot', '0.000000001', BITFINEX_LOT_SIZE],
    ]);
    // XYZUSD has no reference price; "btcusd" is not a Bitfinex pair name.
    expect(instruments.every((i) => i.venue === 'bitfinex')).toBe(true);
  });

  it('futures pairs are perpetuals; custom currency aliases apply', () => {
    const [perp] = instrumentsFromBitfinex(FUTURES_INFO, { referencePrices });
    expect(perp).toMatchObject({
      venueSymbol: 'tBTCF0:USTF0',
      symbol: 'BTCF0-USTF0',
      kind: 'perpetual',
      tickSize: '1',
    });
    const [raw] = instrumentsFromBitfinex(PAIR_INFO, { referencePrices, currencyAliases: {} });
    expect(raw?.symbol).toBe('BTC-USD');
    expect(instrumentsFromBitfinex(PAIR_INFO, { referencePrices, currencyAliases: {} })[1]?.symbol).toBe('BTC-UST');
  });

  it('ignores answers of another shape and unusable prices', () => {
    expect(instrumentsFromBitfinex({ error: 'x' }, { referencePrices })).toEqual([]);
    expect(instrumentsFromBitfinex([], { referencePrices })).toEqual([]);
    expect(instrumentsFromBitfinex(PAIR_INFO, { referencePrices: new Map([['tBTCUSD', '0']]) })).toEqual([]);
  });

  it('the adapter takes them', () => {
    const adapter = new BitfinexAdapter({ instruments: instrumentsFromBitfinex(PAIR_INFO, { referencePrices }) });
    expect(adapter.instrument('BTC-USD')).toMatchObject({ tickSize: '1', lotSize: '0.00000001' });
    expect(adapter.venueSymbolOf('DOGE-USD')).toBe('tDOGE:USD');
    expect(adapter.instrument('XYZ-USD')).toBeUndefined();
  });
});
