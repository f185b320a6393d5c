import { type DecimalString, multiplyDecimals } from '../../decimal';
import type { BboEvent, EpochMicros, PriceLevel, TradeEvent } from '../../model/events';
import type { NormalizedSymbol } from '../../model/instrument';
import type { ParsedQuote, ParsedTrade } from './alpaca-frame-parser';

/** Alpaca data points as Tickwire events. */

export function tradeEvent(trade: ParsedTrade, symbol: NormalizedSymbol, receiveTime: EpochMicros): TradeEvent {
  return {
    type: 'trade',
    venue: 'alpaca',
    symbol,
    receiveTime,
    tradeId: trade.tradeId,
    // Alpaca does not say which side was the aggressor.
    side: 'unknown',
    price: trade.price,
    size: trade.size,
    venueTime: trade.time,
  };
}

/**
 * Quote sizes arrive "in round lots"; Tickwire sizes are shares. Multiplying by a power of ten (100)
 * appends zeros to an integer, exactly and without BigInt arithmetic on the hot path.
 */
export class QuoteSizes {
  private readonly zeros: string | undefined;

  constructor(private readonly sharesPerLot: DecimalString) {
    this.zeros = /^10*$/.test(sharesPerLot) ? sharesPerLot.slice(1) : undefined;
  }

  shares(lots: DecimalString): DecimalString {
    if (this.zeros === '') return lots;
    if (this.zeros !== undefined && !lots.includes('.')) return (lots + this.zeros) as DecimalString;
    return multiplyDecimals(lots, this.sharesPerLot);
  }

  /** A quote side in shares; null when the venue has none (price or size 0). */
  side(price: DecimalString, lots: DecimalString): PriceLevel | null {
    if (price === '0' || lots === '0') return null;
    return [price, this.shares(lots)];
  }
}

export function bboEvent(
  quote: ParsedQuote,
  symbol: NormalizedSymbol,
  receiveTime: EpochMicros,
  sizes: QuoteSizes,
): BboEvent {
  return {
    type: 'bbo',
    venue: 'alpaca',
    symbol,
    receiveTime,
    bid: sizes.side(quote.bidPrice, quote.bidLots),
    ask: sizes.side(quote.askPrice, quote.askLots),
    venueTime: quote.time,
  };
}
