/*
 * Binance market-data messages as they arrive (spot and USD-M futures share the shapes; futures
 * add `pu`, `T` and `E` where spot has none). Prices and quantities are JSON strings, so
 * JSON.parse reads them losslessly. Docs: developers.binance.com/docs/binance-spot-api-docs/
 * web-socket-streams and .../derivatives/usds-margined-futures/websocket-market-streams.
 */

export type BinanceLevel = [price: string, quantity: string];

export interface BinanceDepthUpdate {
  readonly e: 'depthUpdate';
  readonly E: number;
  readonly T?: number;
  readonly s: string;
  /** First update id in the event. */
  readonly U: number;
  /** Final update id in the event. */
  readonly u: number;
  /** Futures only: the final update id of the previous event. */
  readonly pu?: number;
  readonly b: BinanceLevel[];
  readonly a: BinanceLevel[];
}

export interface BinanceTrade {
  readonly e: 'trade';
  readonly E: number;
  readonly s: string;
  readonly t: number;
  readonly p: string;
  readonly q: string;
  readonly T: number;
  /** Is the buyer the market maker? Then the taker sold. */
  readonly m: boolean;
}

export interface BinanceAggTrade {
  readonly e: 'aggTrade';
  readonly E: number;
  readonly s: string;
  readonly a: number;
  readonly p: string;
  readonly q: string;
  readonly f: number;
  readonly l: number;
  readonly T: number;
  readonly m: boolean;
}

export interface BinanceBookTicker {
  readonly e?: 'bookTicker';
  readonly u: number;
  readonly s: string;
  readonly b: string;
  readonly B: string;
  readonly a: string;
  readonly A: string;
  readonly E?: number;
  readonly T?: number;
}

export interface BinanceKline {
  readonly e: 'kline';
  readonly E: number;
  readonly s: string;
  readonly k: {
    readonly t: number;
    readonly T: number;
    readonly i: string;
    readonly f: number;
    readonly L: number;
    readonly o: string;
    readonly c: string;
    readonly h: string;
    readonly l: string;
    readonly v: string;
    readonly n: number;
    readonly x: boolean;
    readonly q: string;
  };
}

/** REST GET /api/v3/depth (spot) or /fapi/v1/depth (futures). */
export interface BinanceDepthSnapshot {
  readonly lastUpdateId: number;
  readonly bids: BinanceLevel[];
  readonly asks: BinanceLevel[];
  readonly E?: number;
  readonly T?: number;
}

type Dict = Record<string, unknown>;

export function isDict(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSafeInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

function isLevels(value: unknown): value is BinanceLevel[] {
  if (!Array.isArray(value)) return false;
  for (const level of value as unknown[]) {
    if (!Array.isArray(level) || level.length < 2 || typeof level[0] !== 'string' || typeof level[1] !== 'string') {
      return false;
    }
  }
  return true;
}

/*
 * Shape checks written by hand: they run on every frame (the parse benchmark's hot path), and each
 * is a handful of typeof tests. A failed check makes the frame a counted rejection.
 */

export function isDepthUpdate(data: Dict): data is Dict & BinanceDepthUpdate {
  return (
    typeof data['s'] === 'string' &&
    isSafeInt(data['U']) &&
    isSafeInt(data['u']) &&
    isSafeInt(data['E']) &&
    (data['pu'] === undefined || isSafeInt(data['pu'])) &&
    isLevels(data['b']) &&
    isLevels(data['a'])
  );
}

export function isTrade(data: Dict): data is Dict & BinanceTrade {
  return (
    typeof data['s'] === 'string' &&
    isSafeInt(data['t']) &&
    typeof data['p'] === 'string' &&
    typeof data['q'] === 'string' &&
    isSafeInt(data['T']) &&
    typeof data['m'] === 'boolean'
  );
}

export function isAggTrade(data: Dict): data is Dict & BinanceAggTrade {
  return (
    typeof data['s'] === 'string' &&
    isSafeInt(data['a']) &&
    typeof data['p'] === 'string' &&
    typeof data['q'] === 'string' &&
    isSafeInt(data['T']) &&
    typeof data['m'] === 'boolean'
  );
}

export function isBookTicker(data: Dict): data is Dict & BinanceBookTicker {
  return (
    typeof data['s'] === 'string' &&
    isSafeInt(data['u']) &&
    typeof data['b'] === 'string' &&
    typeof data['B'] === 'string' &&
    typeof data['a'] === 'string' &&
    typeof data['A'] === 'string'
  );
}

export function isKline(data: Dict): data is Dict & BinanceKline {
  const k = data['k'];
  return (
    typeof data['s'] === 'string' &&
    isDict(k) &&
    isSafeInt(k['t']) &&
    isSafeInt(k['T']) &&
    typeof k['o'] === 'string' &&
    typeof k['c'] === 'string' &&
    typeof k['h'] === 'string' &&
    typeof k['l'] === 'string' &&
    typeof k['v'] === 'string' &&
    isSafeInt(k['n']) &&
    typeof k['x'] === 'boolean'
  );
}

export function isDepthSnapshot(data: unknown): data is BinanceDepthSnapshot {
  return isDict(data) && isSafeInt(data['lastUpdateId']) && isLevels(data['bids']) && isLevels(data['asks']);
}
