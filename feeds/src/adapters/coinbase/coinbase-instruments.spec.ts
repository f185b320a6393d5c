import { describe, expect, it } from 'vitest';
import { CoinbaseAdapter } from './coinbase-adapter';
import { instrumentsFromAdvancedTrade, instrumentsFromCoinbaseExchange } from './coinbase-instruments';

/** Coinbase Exchange GET /products, entries as the Exchange REST reference shows them. */
const EXCHANGE_PRODUCTS = [
  {
    id: 'BTC-USD',
    base_currency: 'BTC',
    quote_currency: 'USD',
    quote_increment: '0.01000000',
    base_increment: '0.00000001',
    display_name: 'BTC/USD',
    min_market_funds: '1',
    margin_enabled: false,
    post_only: false,
    limit_only: false,
    cancel_only: false,
    status: 'online',
    status_message: '',
    auction_mode: false,
    trading_disabled: false,
    fx_stablecoin: false,
    max_slippage_percentage: '0.02000000',
  },
  {
    id: 'SHIB-USDT',
    base_currency: 'SHIB',
    quote_currency: 'USDT',
    quote_increment: '0.00000001',
    base_increment: '1',
    display_name: 'SHIB/USDT',
    status: 'online',
  },
  { id: 'BAD-USD', base_currency: 'BAD', quote_currency: 'USD', quote_increment: 0.01, base_increment: '1' },
  { id: 'ZERO-USD', base_currency: 'ZERO', quote_currency: 'USD', quote_increment: '0', base_increment: '1' },
];

/** Coinbase Advanced Trade GET /api/v3/brokerage/market/products, as its API reference shows it. */
const ADVANCED_TRADE_PRODUCTS = {
  products: [
    {
      product_id: 'BTC-USD',
      price: '140.21',
      price_percentage_change_24h: '9.43%',
      volume_24h: '1908432',
      volume_percentage_change_24h: '9.43%',
      base_increment: '0.00000001',
      quote_increment: '0.00000001',
      quote_min_size: '0.00000001',
      quote_max_size: '1000',
      base_min_size: '0.00000001',
      base_max_size: '1000',
      base_name: 'Bitcoin',
      quote_name: 'US Dollar',
      watched: true,
      is_disabled: false,
      new: true,
      status: 'online',
      cancel_only: false,
      limit_only: false,
      post_only: false,
      trading_disabled: false,
      auction_mode: false,
      product_type: 'SPOT',
      quote_currency_id: 'USD',
      base_currency_id: 'BTC',
      mid_market_price: '140.22',
      base_display_symbol: 'BTC',
      quote_display_symbol: 'USD',
      price_increment: '0.01',
    },
    {
      // An older answer without price_increment: the tick is quote_increment.
      product_id: 'ETH-EUR',
      base_increment: '0.00000001',
      quote_increment: '0.01000000',
      product_type: 'SPOT',
      quote_currency_id: 'EUR',
      base_currency_id: 'ETH',
    },
    {
      product_id: 'BIT-30AUG24-CDE',
      base_increment: '1',
      quote_increment: '5',
      price_increment: '5',
      product_type: 'FUTURE',
      quote_currency_id: 'USD',
      base_currency_id: '',
    },
  ],
  num_products: 3,
};

function rows(instruments: ReturnType<typeof instrumentsFromCoinbaseExchange>) {
  return instruments.map((i) => [i.venue, i.venueSymbol, i.symbol, i.kind, i.tickSize, i.lotSize]);
}

describe('instrumentsFromCoinbaseExchange (GET /products)', () => {
  it('tick from quote_increment, lot from base_increment, exact and canonical; bad entries skipped', () => {
    expect(rows(instrumentsFromCoinbaseExchange(EXCHANGE_PRODUCTS))).toEqual([
      ['coinbase', 'BTC-USD', 'BTC-USD', 'spot', '0.01', '0.00000001'],
      ['coinbase', 'SHIB-USDT', 'SHIB-USDT', 'spot', '0.00000001', '1'],
    ]);
    expect(instrumentsFromCoinbaseExchange({ message: 'NotFound' })).toEqual([]);
  });
});

describe('instrumentsFromAdvancedTrade (GET /api/v3/brokerage/market/products)', () => {
  it('tick from price_increment (else quote_increment), lot from base_increment; spot only', () => {
    expect(rows(instrumentsFromAdvancedTrade(ADVANCED_TRADE_PRODUCTS))).toEqual([
      ['coinbase', 'BTC-USD', 'BTC-USD', 'spot', '0.01', '0.00000001'],
      ['coinbase', 'ETH-EUR', 'ETH-EUR', 'spot', '0.01', '0.00000001'],
    ]);
    expect(instrumentsFromAdvancedTrade({ error: 'unknown', message: 'x' })).toEqual([]);
    expect(instrumentsFromAdvancedTrade(EXCHANGE_PRODUCTS)).toEqual([]);
  });

  it('the adapter serves them on either feed', () => {
    for (const feed of ['exchange', 'advanced-trade'] as const) {
      const adapter = new CoinbaseAdapter({ feed, instruments: instrumentsFromAdvancedTrade(ADVANCED_TRADE_PRODUCTS) });
      expect(adapter.instrument('BTC-USD'), feed).toMatchObject({ tickSize: '0.01', lotSize: '0.00000001' });
      expect(adapter.instrument('ETH-EUR'), feed).toMatchObject({ tickSize: '0.01' });
    }
  });
});
