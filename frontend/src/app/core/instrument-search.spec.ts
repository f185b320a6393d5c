import type { WireInstrument } from '@tickwire/feeds';
import { searchInstruments } from './instrument-search';

const row = (id: string): { instrument: WireInstrument } => {
  const [venue = '', symbol = ''] = id.split(':');
  const [base = '', quote = ''] = symbol.split('-');
  return {
    instrument: { instrument: id, venue, symbol, venueSymbol: symbol.replace('-', ''), base, quote } as WireInstrument,
  };
};

describe('searchInstruments', () => {
  const rows = [row('kraken:BTC-USD'), row('kraken:ETH-USD'), row('binance:BTC-USDT'), row('coinbase:DASH-BTC')];

  it('matches every word, case-insensitively, in id, venue symbol or pair', () => {
    const ids = (query: string): string[] => searchInstruments(rows, query).map((r) => r.instrument.instrument);
    expect(ids('')).toHaveLength(4);
    expect(ids('btc usd')).toEqual(['kraken:BTC-USD', 'binance:BTC-USDT']);
    expect(ids('kraken eth')).toEqual(['kraken:ETH-USD']);
    expect(ids('btcusdt')).toEqual(['binance:BTC-USDT']);
    expect(ids('dash/btc')).toEqual(['coinbase:DASH-BTC']);
    expect(ids('nope')).toEqual([]);
  });
});
