import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineInstrument } from '../../model/instrument';
import { BitfinexAdapter } from './bitfinex-adapter';
import { subscriptionsFromSentMessages } from './bitfinex-subscriptions';
import { BITFINEX_CURRENCY_ALIASES, BitfinexSymbols } from './bitfinex-symbols';

describe('Bitfinex symbols', () => {
  const symbols = new BitfinexSymbols();

  it('maps trading pairs to BASE-QUOTE: 3+3 letters together, longer codes around ":"', () => {
    expect(symbols.parse('tBTCUSD')).toEqual({ symbol: 'BTC-USD', base: 'BTC', quote: 'USD', kind: 'spot' });
    expect(symbols.parse('tTESTBTC:TESTUSD')).toMatchObject({ symbol: 'TESTBTC-TESTUSD', kind: 'spot' });
    expect(symbols.parse('tDOGE:USD')?.symbol).toBe('DOGE-USD');
    expect(symbols.parse('tBTCF0:USTF0')).toMatchObject({ symbol: 'BTCF0-USTF0', kind: 'perpetual' });
  });

  it("renames Bitfinex's own currency labels: UST is USDT, IOT is IOTA, ...", () => {
    expect(symbols.parse('tBTCUST')?.symbol).toBe('BTC-USDT');
    expect(symbols.parse('tIOTETH')?.symbol).toBe('IOTA-ETH');
    expect(symbols.venueSymbol('BTC-USDT')).toBe('tBTCUST');
    expect(symbols.venueSymbol('IOTA-ETH')).toBe('tIOTETH');
    expect(new BitfinexSymbols({}).parse('tBTCUST')?.symbol).toBe('BTC-UST');
  });

  it('is not fooled by funding symbols, lower case or odd lengths', () => {
    for (const venueSymbol of ['fUSD', 'tbtcusd', 'tBTCUS', 'BTCUSD', 't', 'tBTC:', 'tA:B:C', 'tBTC-USD:X']) {
      expect(symbols.parse(venueSymbol), venueSymbol).toBeUndefined();
    }
  });

  it('round-trips every normalized pair through the venue symbol', () => {
    // Bitfinex's labels themselves (UST, IOT, ...) are not normalized names: they map to USDT, IOTA, ...
    const code = fc.stringMatching(/^[A-Z][A-Z0-9]{2,7}$/).filter((c) => !(c in BITFINEX_CURRENCY_ALIASES));
    fc.assert(
      fc.property(code, code, (base, quote) => {
        const symbol = `${base}-${quote}`;
        expect(symbols.parse(symbols.venueSymbol(symbol))?.symbol).toBe(symbol);
      }),
    );
  });

  it('prefers configured instruments over the name rules', () => {
    const adapter = new BitfinexAdapter({
      instruments: [
        defineInstrument({
          venue: 'bitfinex',
          venueSymbol: 'tBTCUSD',
          base: 'BTC',
          quote: 'USD',
          kind: 'spot',
          tickSize: '0.1',
          lotSize: '0.00001',
        }),
      ],
    });
    expect(adapter.instrument('BTC-USD')?.tickSize).toBe('0.1');
    expect(adapter.instrument('ETH-USD')).toBeUndefined();
    expect(adapter.symbolOf('tETHUSD')).toBe('ETH-USD');
    expect(adapter.venueSymbolOf('ETH-USDT')).toBe('tETHUST');
  });

  it('reads the subscriptions of a recorded connection from its subscribe messages, tickers left out', () => {
    const adapter = new BitfinexAdapter();
    expect(
      subscriptionsFromSentMessages(
        [
          '{"event":"conf","flags":65536}',
          '{"event":"subscribe","channel":"ticker","symbol":"tBFTUSD"}',
          '{"event":"subscribe","channel":"book","symbol":"tBFTUSD","prec":"P0","freq":"F0","len":"100"}',
          '{"event":"subscribe","channel":"trades","symbol":"tTESTBTC:TESTUSD"}',
          'not json',
        ],
        (venueSymbol) => adapter.symbolOf(venueSymbol),
      ),
    ).toEqual([
      { symbol: 'BFT-USD', channel: 'book' },
      { symbol: 'TESTBTC-TESTUSD', channel: 'trades' },
    ]);
  });
});
