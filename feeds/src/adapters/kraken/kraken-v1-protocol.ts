import { type Dict, isDict } from './kraken-guards';

/*
 * Kraken spot WebSocket v1 (wss://ws.kraken.com) messages as they arrive. "All decimal fields
 * (including timestamps) are quoted to preserve precision" (docs.kraken.com/websockets), so
 * JSON.parse reads prices and volumes losslessly. Data frames are arrays
 * [channelID, payload..., channelName, pair]; events are objects with an "event" field.
 * Docs: docs.kraken.com/api/docs/websocket-v1/{book,trade,ticker,heartbeat,systemstatus,subscriptionstatus}.
 */

/** [price, volume, timestamp] plus "r" on a republished level (book updates only). */
export type V1Level = readonly [price: string, volume: string, timestamp: string, ...flags: string[]];

/** Book snapshot payload: asks ascending from the best ask, bids descending from the best bid. */
export interface V1BookSnapshot {
  readonly as?: readonly V1Level[];
  readonly bs?: readonly V1Level[];
}

/** Book update payload; the 5-element frame carries asks and bids in two of these, "c" in the last. */
export interface V1BookUpdate {
  readonly a?: readonly V1Level[];
  readonly b?: readonly V1Level[];
  /** CRC32 of the top 10 levels per side after the update, as a quoted unsigned 32-bit integer. */
  readonly c?: string;
}

/** [price, volume, time, side ("b"|"s", the taker's), orderType ("l"|"m"), misc]. */
export type V1Trade = readonly [price: string, volume: string, time: string, side: string, ...rest: unknown[]];

/** Ticker payload; a and b are [price, wholeLotVolume, lotVolume]. The other fields are 24 h statistics. */
export interface V1Ticker {
  readonly a: readonly [price: string, wholeLotVolume: unknown, lotVolume: string];
  readonly b: readonly [price: string, wholeLotVolume: unknown, lotVolume: string];
}

export interface V1SubscriptionStatus {
  readonly event: 'subscriptionStatus';
  readonly status: string;
  readonly pair?: string;
  readonly channelName?: string;
  readonly errorMessage?: string;
  readonly subscription?: { readonly name?: unknown };
}

export interface V1SystemStatus {
  readonly event: 'systemStatus';
  /** online | maintenance | cancel_only | limit_only | post_only */
  readonly status: string;
  readonly version?: string;
  // connectionID exceeds 2^53 (17843232920108168701 in the capture): read it from the text, not here.
}

/*
 * Shape checks written by hand: they run on every frame (the parse benchmark's hot path) and are a
 * few typeof tests each, where a schema library would allocate and walk generically. A failed check
 * makes the frame a counted rejection; nothing is applied from it.
 */

/** [channelID, payload..., channelName, pair] with at least one payload. */
export function isV1DataFrame(frame: readonly unknown[]): boolean {
  return (
    frame.length >= 4 &&
    typeof frame[0] === 'number' &&
    typeof frame[frame.length - 2] === 'string' &&
    typeof frame[frame.length - 1] === 'string'
  );
}

export function isV1Levels(value: unknown): value is V1Level[] {
  if (!Array.isArray(value)) return false;
  for (const level of value as unknown[]) {
    if (
      !Array.isArray(level) ||
      level.length < 3 ||
      typeof level[0] !== 'string' ||
      typeof level[1] !== 'string' ||
      typeof level[2] !== 'string'
    ) {
      return false;
    }
    for (let i = 3; i < level.length; i++) if (typeof level[i] !== 'string') return false;
  }
  return true;
}

export function isV1BookSnapshot(payload: Dict): payload is Dict & V1BookSnapshot {
  const asks = payload['as'];
  const bids = payload['bs'];
  return (
    (asks !== undefined || bids !== undefined) &&
    (asks === undefined || isV1Levels(asks)) &&
    (bids === undefined || isV1Levels(bids))
  );
}

export function isV1BookUpdate(payload: unknown): payload is Dict & V1BookUpdate {
  if (!isDict(payload)) return false;
  const asks = payload['a'];
  const bids = payload['b'];
  const checksum = payload['c'];
  return (
    (asks !== undefined || bids !== undefined) &&
    (asks === undefined || isV1Levels(asks)) &&
    (bids === undefined || isV1Levels(bids)) &&
    (checksum === undefined || typeof checksum === 'string')
  );
}

export function isV1Trades(value: unknown): value is V1Trade[] {
  if (!Array.isArray(value) || value.length === 0) return false;
  for (const trade of value as unknown[]) {
    if (
      !Array.isArray(trade) ||
      trade.length < 4 ||
      typeof trade[0] !== 'string' ||
      typeof trade[1] !== 'string' ||
      typeof trade[2] !== 'string' ||
      typeof trade[3] !== 'string'
    ) {
      return false;
    }
  }
  return true;
}

function isTickerSide(value: unknown): boolean {
  return Array.isArray(value) && value.length >= 3 && typeof value[0] === 'string' && typeof value[2] === 'string';
}

export function isV1Ticker(value: unknown): value is Dict & V1Ticker {
  return isDict(value) && isTickerSide(value['a']) && isTickerSide(value['b']);
}

export function isV1SubscriptionStatus(value: Dict): value is Dict & V1SubscriptionStatus {
  return (
    typeof value['status'] === 'string' &&
    (value['pair'] === undefined || typeof value['pair'] === 'string') &&
    (value['errorMessage'] === undefined || typeof value['errorMessage'] === 'string') &&
    (value['subscription'] === undefined || isDict(value['subscription']))
  );
}

export function isV1SystemStatus(value: Dict): value is Dict & V1SystemStatus {
  return (
    typeof value['status'] === 'string' && (value['version'] === undefined || typeof value['version'] === 'string')
  );
}

/** The exact connectionID digits of a systemStatus frame (JSON.parse would round them), or undefined. */
export function v1ConnectionId(text: string): string | undefined {
  return /"connectionID"\s*:\s*(\d+)/.exec(text)?.[1];
}
