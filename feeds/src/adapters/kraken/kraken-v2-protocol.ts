import { type Dict, isDict } from './kraken-guards';

/*
 * Kraken spot WebSocket v2 (wss://ws.kraken.com/v2) messages, as read by parseNumbersAsText: every
 * JSON number arrives here as its exact wire text, so `price: "0.00100000"` keeps the trailing zeros
 * the checksum hashes. Data messages are {"channel", "type": "snapshot"|"update", "data": [...]};
 * replies to requests are {"method", "success", "result"|"error", "time_in", "time_out"}.
 * Docs: docs.kraken.com/api/docs/websocket-v2/{book,trade,ticker,heartbeat,status}.
 */

export interface V2Level {
  readonly price: string;
  readonly qty: string;
}

/** book snapshot or update; "checksum" is the CRC32 of the top 10 levels per side after it. */
export interface V2Book {
  readonly symbol: string;
  readonly bids: readonly V2Level[];
  readonly asks: readonly V2Level[];
  readonly checksum: string;
  /** RFC 3339; present on updates. */
  readonly timestamp?: string;
}

export interface V2Trade {
  readonly symbol: string;
  /** The taker's side. */
  readonly side: 'buy' | 'sell';
  readonly price: string;
  readonly qty: string;
  readonly ord_type?: string;
  /** "Trade identifier is a sequence number, unique per book." */
  readonly trade_id: string;
  readonly timestamp: string;
}

export interface V2Ticker {
  readonly symbol: string;
  readonly bid: string;
  readonly bid_qty: string;
  readonly ask: string;
  readonly ask_qty: string;
  readonly timestamp?: string;
}

export interface V2Status {
  /** online | maintenance | cancel_only | post_only */
  readonly system: string;
  readonly api_version?: string;
  /** A 64-bit id, kept exact as text. */
  readonly connection_id?: string;
  readonly version?: string;
}

export interface V2Envelope {
  readonly channel: string;
  readonly type?: string;
  readonly data?: readonly unknown[];
}

export interface V2Reply {
  readonly method: string;
  readonly success?: boolean;
  readonly error?: string;
  readonly result?: unknown;
  readonly symbol?: unknown;
}

/*
 * Hand-written shape checks for the hot path (see kraken-v1-protocol.ts for why). Numbers were
 * turned into text before parsing, so every numeric field is checked as a string here; whether
 * the text is a valid decimal is toDecimal's job. The other way round, a number sent where text
 * belongs is no longer told apart from text, so text fields are checked by value instead (pair
 * names, sides, RFC 3339 times, engine states), which no number passes.
 */

/** The trading-engine states of the status channel. */
export const V2_SYSTEM_STATES: ReadonlySet<string> = new Set([
  'online',
  'maintenance',
  'cancel_only',
  'post_only',
  'limit_only',
]);

export function isV2Envelope(value: Dict): value is Dict & V2Envelope {
  return typeof value['channel'] === 'string' && (value['type'] === undefined || typeof value['type'] === 'string');
}

export function isV2Reply(value: Dict): value is Dict & V2Reply {
  return (
    typeof value['method'] === 'string' &&
    (value['success'] === undefined || typeof value['success'] === 'boolean') &&
    (value['error'] === undefined || typeof value['error'] === 'string')
  );
}

function isV2Levels(value: unknown): value is V2Level[] {
  if (!Array.isArray(value)) return false;
  for (const level of value as unknown[]) {
    if (!isDict(level) || typeof level['price'] !== 'string' || typeof level['qty'] !== 'string') return false;
  }
  return true;
}

export function isV2Book(value: unknown): value is Dict & V2Book {
  return (
    isDict(value) &&
    typeof value['symbol'] === 'string' &&
    isV2Levels(value['bids']) &&
    isV2Levels(value['asks']) &&
    typeof value['checksum'] === 'string' &&
    (value['timestamp'] === undefined || typeof value['timestamp'] === 'string')
  );
}

export function isV2Trade(value: unknown): value is Dict & V2Trade {
  return (
    isDict(value) &&
    typeof value['symbol'] === 'string' &&
    (value['side'] === 'buy' || value['side'] === 'sell') &&
    typeof value['price'] === 'string' &&
    typeof value['qty'] === 'string' &&
    typeof value['trade_id'] === 'string' &&
    typeof value['timestamp'] === 'string'
  );
}

export function isV2Ticker(value: unknown): value is Dict & V2Ticker {
  return (
    isDict(value) &&
    typeof value['symbol'] === 'string' &&
    typeof value['bid'] === 'string' &&
    typeof value['bid_qty'] === 'string' &&
    typeof value['ask'] === 'string' &&
    typeof value['ask_qty'] === 'string' &&
    (value['timestamp'] === undefined || typeof value['timestamp'] === 'string')
  );
}

export function isV2Status(value: unknown): value is Dict & V2Status {
  return (
    isDict(value) &&
    typeof value['system'] === 'string' &&
    V2_SYSTEM_STATES.has(value['system']) &&
    (value['connection_id'] === undefined || typeof value['connection_id'] === 'string') &&
    (value['version'] === undefined || typeof value['version'] === 'string')
  );
}
