import type { WireBbo, WireBook, WireCandle, WireInstrument, WireStatus, WireTrade } from '../../api/protocol';
import type { DecimalString } from '../../decimal';
import type { PriceLevel } from '../../model/events';

/** A level from two strings the test knows to be canonical. */
export function level(price: string, size: string): PriceLevel {
  return [price as DecimalString, size as DecimalString];
}

export function levels(...pairs: (readonly [string, string])[]): PriceLevel[] {
  return pairs.map(([price, size]) => level(price, size));
}

export function bookData(
  bids: readonly PriceLevel[],
  asks: readonly PriceLevel[],
  receiveTime = 1_700_000_000_000_000,
): WireBook {
  return { bids, asks, sequence: null, venueTime: null, receiveTime };
}

export function trade(id: string, price: string, size: string): WireTrade {
  return {
    id,
    side: 'buy',
    price: price as DecimalString,
    size: size as DecimalString,
    time: null,
    receiveTime: 1_700_000_000_000_000,
  };
}

export function bbo(bid: PriceLevel | null, ask: PriceLevel | null): WireBbo {
  return { bid, ask, venueTime: null, receiveTime: 1_700_000_000_000_000 };
}

export function status(state: WireStatus['state'], reason = ''): WireStatus {
  return { state, reason, source: 'simulated', time: 1_700_000_000_000_000 };
}

export function candle(openTime: number, close: string, closed = false): WireCandle {
  const price = close as DecimalString;
  return {
    interval: '1m',
    openTime,
    closeTime: openTime + 60_000_000,
    open: price,
    high: price,
    low: price,
    close: price,
    volume: '1' as DecimalString,
    quoteVolume: price,
    tradeCount: 1,
    vwap: price,
    closed,
    receiveTime: openTime,
  };
}

export function instrument(name: string): WireInstrument {
  const [venue = '', symbol = ''] = name.split(':');
  const [base = '', quote = ''] = symbol.split('-');
  return {
    instrument: name,
    venue,
    symbol,
    venueSymbol: `${base}${quote}`,
    base,
    quote,
    kind: 'spot',
    tickSize: '0.01' as DecimalString,
    lotSize: '0.00001' as DecimalString,
    source: 'simulated',
    channels: ['trades', 'book', 'bbo', 'candles', 'status'],
  };
}
