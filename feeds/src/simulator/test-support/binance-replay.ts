import { OrderBook } from '../../book';
import { compareDecimals, type DecimalString, toDecimal, toScaledUnits } from '../../decimal';
import type { VenueFrame } from '../../virtual-exchange/frame-source';
import type { SimulatedVenue } from '../simulated-venue';

/** Binance's number text: no leading zeros, exactly 8 decimals. */
export const BINANCE_NUMBER = /^(0|[1-9]\d*)\.\d{8}$/;

export type WireLevel = [price: string, quantity: string];

export interface DepthUpdatePayload {
  e: string;
  E: number;
  s: string;
  U: number;
  u: number;
  b: WireLevel[];
  a: WireLevel[];
}

export interface TradePayload {
  e: string;
  E: number;
  s: string;
  t: number;
  p: string;
  q: string;
  T: number;
  m: boolean;
  M: boolean;
}

export interface BookTickerPayload {
  u: number;
  s: string;
  b: string;
  B: string;
  a: string;
  A: string;
}

export interface DepthSnapshotPayload {
  lastUpdateId: number;
  bids: WireLevel[];
  asks: WireLevel[];
}

interface Payloads {
  depth: DepthUpdatePayload;
  trade: TradePayload;
  bookTicker: BookTickerPayload;
  snapshot: DepthSnapshotPayload;
}

const KEYS: Record<keyof Payloads, readonly string[]> = {
  depth: ['e', 'E', 's', 'U', 'u', 'b', 'a'],
  trade: ['e', 'E', 's', 't', 'p', 'q', 'T', 'm', 'M'],
  bookTicker: ['u', 's', 'b', 'B', 'a', 'A'],
  snapshot: ['lastUpdateId', 'bids', 'asks'],
};

export class ReplayViolation extends Error {
  override readonly name = 'ReplayViolation';
}

function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new ReplayViolation(message);
}

/** Parses JSON text and checks its keys are exactly Binance's, in Binance's order. */
export function parsePayload<K extends keyof Payloads>(text: string, kind: K): Payloads[K] {
  const value = JSON.parse(text) as Payloads[K];
  const keys = Object.keys(value);
  check(JSON.stringify(keys) === JSON.stringify(KEYS[kind]), `${kind} keys ${keys.join()}`);
  return value;
}

/** REST depth snapshot of `symbol` as of `now`. */
export function restDepth(venue: SimulatedVenue, symbol: string, now: number, limit = 5000): DepthSnapshotPayload {
  const response = venue.http(new URL(`https://api.binance.com/api/v3/depth?symbol=${symbol}&limit=${limit}`), now);
  check(response?.status === 200, `depth ${symbol} answered ${response?.status}: ${response?.body}`);
  return parsePayload(response.body, 'snapshot');
}

/** Canonical [price, size] lists of a REST snapshot, best first. */
export function canonicalLevels(levels: readonly WireLevel[]): [DecimalString, DecimalString][] {
  return levels.map(([price, size]) => [toDecimal(price), toDecimal(size)]);
}

interface Touch {
  bid: DecimalString;
  bidQty: DecimalString;
  ask: DecimalString;
  askQty: DecimalString;
}

/** Trades of one taker since the last bookTicker. */
interface TakerSweep {
  takerBuys: boolean;
  firstPrice: DecimalString;
  lastPrice: DecimalString;
  filledAtFirst: bigint;
}

/**
 * One symbol as a Binance client keeps it: a REST snapshot, then depth updates with u >
 * lastUpdateId applied to Tickwire's OrderBook, checked like a careful client would, plus the
 * trade and bookTicker streams checked against that book.
 */
export class SymbolReplay {
  readonly book = new OrderBook();
  /** u of the last applied depth update (the snapshot's lastUpdateId before the first). */
  lastUpdateId: number;
  depthUpdates = 0;
  trades = 0;
  tickers = 0;
  private synced = false;
  private touch: Touch;
  private tickerUpdateId: number;
  private sweep: TakerSweep | undefined;
  private nextTradeId: number | undefined;
  private readonly tickUnits: bigint;
  private readonly lotUnits: bigint;

  constructor(
    readonly symbol: string,
    snapshot: DepthSnapshotPayload,
    tickSize: string,
    lotSize: string,
  ) {
    this.tickUnits = toScaledUnits(toDecimal(tickSize), 8);
    this.lotUnits = toScaledUnits(toDecimal(lotSize), 8);
    for (const level of [...snapshot.bids, ...snapshot.asks]) this.checkLevel(level, 'snapshot', false);
    this.book.applySnapshot(snapshot.bids, snapshot.asks);
    this.lastUpdateId = snapshot.lastUpdateId;
    this.tickerUpdateId = snapshot.lastUpdateId;
    this.touch = this.bookTouch();
  }

  apply(frame: VenueFrame): void {
    const stream = this.symbol.toLowerCase();
    const where = `${frame.stream} at ${frame.time}: ${frame.data.slice(0, 400)}`;
    try {
      if (frame.stream === `${stream}@depth@100ms`) this.depth(frame, parsePayload(frame.data, 'depth'));
      else if (frame.stream === `${stream}@trade`) this.trade(frame, parsePayload(frame.data, 'trade'));
      else if (frame.stream === `${stream}@bookTicker`) this.bookTicker(parsePayload(frame.data, 'bookTicker'));
      else throw new ReplayViolation(`unexpected stream ${frame.stream}`);
    } catch (error) {
      if (error instanceof ReplayViolation)
        throw new ReplayViolation(`${this.symbol}: ${error.message}\n  in ${where}`);
      throw error;
    }
  }

  private depth(frame: VenueFrame, update: DepthUpdatePayload): void {
    check(update.e === 'depthUpdate' && update.s === this.symbol, 'event type or symbol');
    check(update.E === Math.floor(frame.time / 1000), `E ${update.E} is not the frame time in ms`);
    check(Number.isSafeInteger(update.U) && update.U <= update.u, `U ${update.U} > u ${update.u}`);
    if (!this.synced) {
      // Binance's procedure: drop updates the snapshot already has; the first must straddle it.
      if (update.u <= this.lastUpdateId) return;
      check(update.U <= this.lastUpdateId + 1, `first update U ${update.U} is past lastUpdateId ${this.lastUpdateId}`);
      this.synced = true;
    } else {
      check(update.U === this.lastUpdateId + 1, `U ${update.U} does not follow u ${this.lastUpdateId}`);
    }
    check(update.b.length + update.a.length > 0, 'empty depth update');
    for (const level of [...update.b, ...update.a]) this.checkLevel(level, 'depth', true);
    this.book.applyDelta(update.b, update.a);
    this.lastUpdateId = update.u;
    this.depthUpdates++;
    check(!this.book.isCrossed(), `book crossed: ${this.book.bestBid()?.price} >= ${this.book.bestAsk()?.price}`);
    const spread = this.book.spread();
    check(spread !== undefined && compareDecimals(spread, '0' as DecimalString) > 0, 'a side is empty');
    // Every change of the touch is pushed on bookTicker, so the last one must match the book.
    check(this.tickerUpdateId <= update.u, `bookTicker u ${this.tickerUpdateId} is ahead of depth u ${update.u}`);
    const touch = this.bookTouch();
    check(
      JSON.stringify(touch) === JSON.stringify(this.touch),
      `book touch ${JSON.stringify(touch)} != last bookTicker ${JSON.stringify(this.touch)}`,
    );
  }

  private trade(frame: VenueFrame, trade: TradePayload): void {
    check(trade.e === 'trade' && trade.s === this.symbol && trade.M, 'event type, symbol or M');
    check(trade.E === Math.floor(frame.time / 1000) && trade.T === trade.E, 'E and T are the frame time in ms');
    check(this.nextTradeId === undefined || trade.t === this.nextTradeId, `trade id ${trade.t} not sequential`);
    this.nextTradeId = trade.t + 1;
    this.checkLevel([trade.p, trade.q], 'trade', false);
    const price = toDecimal(trade.p);
    const quantity = toScaledUnits(toDecimal(trade.q), 8);
    const takerBuys = !trade.m;
    let sweep = this.sweep;
    if (sweep === undefined) {
      // A taker starts at the touch of the side it eats: buyers at the best ask, sellers at the best bid.
      const touch = takerBuys ? this.touch.ask : this.touch.bid;
      check(price === touch, `first trade at ${price}, not at the touch ${touch}`);
      sweep = { takerBuys, firstPrice: price, lastPrice: price, filledAtFirst: 0n };
      this.sweep = sweep;
    }
    check(sweep.takerBuys === takerBuys, 'one taker, one side');
    const order = compareDecimals(price, sweep.lastPrice);
    check(takerBuys ? order >= 0 : order <= 0, `taker walked back from ${sweep.lastPrice} to ${price}`);
    sweep.lastPrice = price;
    if (price === sweep.firstPrice) {
      sweep.filledAtFirst += quantity;
      const available = toScaledUnits(takerBuys ? this.touch.askQty : this.touch.bidQty, 8);
      check(sweep.filledAtFirst <= available, `filled ${sweep.filledAtFirst} of ${available} units at the touch`);
    }
    this.trades++;
  }

  private bookTicker(ticker: BookTickerPayload): void {
    check(ticker.s === this.symbol, 'symbol');
    check(ticker.u > this.tickerUpdateId && ticker.u > this.lastUpdateId, `bookTicker u ${ticker.u} not increasing`);
    for (const level of [
      [ticker.b, ticker.B],
      [ticker.a, ticker.A],
    ] as WireLevel[]) {
      this.checkLevel(level, 'bookTicker', false);
    }
    const touch = {
      bid: toDecimal(ticker.b),
      bidQty: toDecimal(ticker.B),
      ask: toDecimal(ticker.a),
      askQty: toDecimal(ticker.A),
    };
    check(compareDecimals(touch.bid, touch.ask) < 0, `bookTicker crossed ${touch.bid} >= ${touch.ask}`);
    check(JSON.stringify(touch) !== JSON.stringify(this.touch), 'bookTicker without a change of the touch');
    const sweep = this.sweep;
    if (sweep !== undefined) {
      // After a taker, its side's touch is at or beyond the last price it traded.
      const order = compareDecimals(sweep.takerBuys ? touch.ask : touch.bid, sweep.lastPrice);
      check(sweep.takerBuys ? order >= 0 : order <= 0, `touch ${JSON.stringify(touch)} inside the taker's last price`);
      this.sweep = undefined;
    }
    this.touch = touch;
    this.tickerUpdateId = ticker.u;
    this.tickers++;
  }

  /** Binance number text, price on the tick grid and > 0, quantity on the lot grid (0 only where allowed). */
  private checkLevel([price, quantity]: WireLevel, where: string, zeroAllowed: boolean): void {
    check(BINANCE_NUMBER.test(price) && BINANCE_NUMBER.test(quantity), `${where} level ${price} ${quantity} format`);
    const priceUnits = toScaledUnits(toDecimal(price), 8);
    const quantityUnits = toScaledUnits(toDecimal(quantity), 8);
    check(priceUnits > 0n && priceUnits % this.tickUnits === 0n, `${where} price ${price} off the tick grid`);
    check(quantityUnits % this.lotUnits === 0n, `${where} quantity ${quantity} off the lot grid`);
    check(zeroAllowed || quantityUnits > 0n, `${where} quantity ${quantity} is zero`);
  }

  private bookTouch(): Touch {
    const bid = this.book.bestBid();
    const ask = this.book.bestAsk();
    check(bid !== undefined && ask !== undefined, 'a side is empty');
    return { bid: bid.price, bidQty: bid.size, ask: ask.price, askQty: ask.size };
  }
}
