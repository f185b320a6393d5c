/*
 * Coinbase Exchange (formerly Pro) WebSocket feed messages as they arrive
 * (docs.cdp.coinbase.com/exchange/websocket-feed/channels). Prices and sizes are JSON strings,
 * so JSON.parse reads them losslessly; `sequence` and `trade_id` are integers.
 */

export type ExchangeLevel = [price: string, size: string];
export type ExchangeChange = [side: 'buy' | 'sell', price: string, size: string];

/** First message of a level2 subscription: the whole book of one product. */
export interface ExchangeSnapshot {
  readonly type: 'snapshot';
  readonly product_id: string;
  readonly bids: ExchangeLevel[];
  readonly asks: ExchangeLevel[];
}

/** Absolute new sizes per price; "0" removes the level. No sequence number. */
export interface ExchangeL2Update {
  readonly type: 'l2update';
  readonly product_id: string;
  readonly changes: ExchangeChange[];
  readonly time: string;
}

/** matches channel: one per fill; `last_match` once on subscribe (the trade before it). */
export interface ExchangeMatch {
  readonly type: 'match' | 'last_match';
  readonly trade_id: number;
  readonly sequence: number;
  /** The MAKER order's side: the taker is the other side. */
  readonly side: 'buy' | 'sell';
  readonly price: string;
  readonly size: string;
  readonly product_id: string;
  readonly time: string;
}

/** ticker channel: sent on every match. Sizes of the best levels appear in newer messages only. */
export interface ExchangeTicker {
  readonly type: 'ticker';
  readonly sequence: number;
  readonly product_id: string;
  /** Last trade price. */
  readonly price?: string;
  /** The taker's side of the last trade. */
  readonly side?: 'buy' | 'sell';
  readonly best_bid: string;
  readonly best_ask: string;
  readonly best_bid_size?: string;
  readonly best_ask_size?: string;
  readonly time?: string;
  readonly trade_id?: number;
}

/** heartbeat channel: once a second per product. */
export interface ExchangeHeartbeat {
  readonly type: 'heartbeat';
  readonly sequence: number;
  readonly last_trade_id: number;
  readonly product_id: string;
  readonly time: string;
}

type Dict = Record<string, unknown>;

export function isDict(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/*
 * Shape checks written by hand: they run on every frame (the parse benchmark's hot path), and each
 * is a handful of typeof tests where a schema library would allocate and walk. A failed check makes
 * the frame a counted rejection.
 */

function isSeq(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isLevels(value: unknown): value is ExchangeLevel[] {
  if (!Array.isArray(value)) return false;
  for (const level of value as unknown[]) {
    if (!Array.isArray(level) || level.length < 2 || typeof level[0] !== 'string' || typeof level[1] !== 'string') {
      return false;
    }
  }
  return true;
}

function isChanges(value: unknown): value is ExchangeChange[] {
  if (!Array.isArray(value)) return false;
  for (const change of value as unknown[]) {
    if (
      !Array.isArray(change) ||
      change.length < 3 ||
      (change[0] !== 'buy' && change[0] !== 'sell') ||
      typeof change[1] !== 'string' ||
      typeof change[2] !== 'string'
    ) {
      return false;
    }
  }
  return true;
}

function isOptionalString(value: unknown): value is string | undefined {
  return value === undefined || typeof value === 'string';
}

export function isSnapshot(data: Dict): data is Dict & ExchangeSnapshot {
  return typeof data['product_id'] === 'string' && isLevels(data['bids']) && isLevels(data['asks']);
}

export function isL2Update(data: Dict): data is Dict & ExchangeL2Update {
  return typeof data['product_id'] === 'string' && typeof data['time'] === 'string' && isChanges(data['changes']);
}

export function isMatch(data: Dict): data is Dict & ExchangeMatch {
  return (
    typeof data['product_id'] === 'string' &&
    isSeq(data['trade_id']) &&
    isSeq(data['sequence']) &&
    (data['side'] === 'buy' || data['side'] === 'sell') &&
    typeof data['price'] === 'string' &&
    typeof data['size'] === 'string' &&
    typeof data['time'] === 'string'
  );
}

export function isTicker(data: Dict): data is Dict & ExchangeTicker {
  return (
    typeof data['product_id'] === 'string' &&
    isSeq(data['sequence']) &&
    typeof data['best_bid'] === 'string' &&
    typeof data['best_ask'] === 'string' &&
    isOptionalString(data['price']) &&
    (data['side'] === undefined || data['side'] === 'buy' || data['side'] === 'sell') &&
    isOptionalString(data['best_bid_size']) &&
    isOptionalString(data['best_ask_size']) &&
    isOptionalString(data['time']) &&
    (data['trade_id'] === undefined || isSeq(data['trade_id']))
  );
}

export function isHeartbeat(data: Dict): data is Dict & ExchangeHeartbeat {
  return (
    typeof data['product_id'] === 'string' &&
    isSeq(data['sequence']) &&
    isSeq(data['last_trade_id']) &&
    typeof data['time'] === 'string'
  );
}
