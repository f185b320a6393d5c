/*
 * OKX v5 public WebSocket messages as they arrive (wss://ws.okx.com:8443/ws/v5/public), and the
 * REST order book. Docs: okx.com/docs-v5/en/#overview-websocket and
 * #order-book-trading-market-data-ws-{order-book,trades,tickers}-channel. Prices and sizes are
 * JSON strings, so JSON.parse reads them losslessly; the only JSON numbers are `checksum` (int32)
 * and `seqId`/`prevSeqId` (far below 2^53), which the guards require to be safe integers.
 */

/** `[price, size, "0" (deprecated), number of orders]`; Tickwire reads the first two. */
export type OkxLevel = readonly [price: string, size: string, ...rest: unknown[]];

/** Which subscription a push or an ack belongs to. */
export interface OkxArg {
  readonly channel: string;
  readonly instId: string;
}

/** One element of a `books` push (OKX sends exactly one per frame). */
export interface OkxBookData {
  readonly asks: readonly OkxLevel[];
  readonly bids: readonly OkxLevel[];
  /** Epoch milliseconds as a decimal string. */
  readonly ts: string;
  /** Signed CRC-32 of the top 25 levels; absent or 0 means "not given" (OKX deprecation, 2026). */
  readonly checksum?: number;
  /** -1 on snapshots; on updates the seqId of the previous message. Absent before 2022-06. */
  readonly prevSeqId?: number;
  readonly seqId?: number;
}

export interface OkxBooksPush {
  readonly arg: OkxArg;
  readonly action: 'snapshot' | 'update';
  readonly data: readonly [OkxBookData];
}

export interface OkxTrade {
  readonly instId: string;
  /** The last trade id of an aggregation of `count` fills at one price. */
  readonly tradeId: string;
  readonly px: string;
  /** Base currency for spot, contracts for swaps and futures. */
  readonly sz: string;
  /** "Trade side of taker". */
  readonly side: 'buy' | 'sell';
  readonly ts: string;
}

export interface OkxTicker {
  readonly instId: string;
  /** Best bid/ask; OKX sends "" when a side is empty. */
  readonly bidPx: string;
  readonly bidSz: string;
  readonly askPx: string;
  readonly askSz: string;
  readonly ts: string;
}

/** `{"event": "subscribe" | "unsubscribe" | "error" | "notice" | ..., "arg"?, "code"?, "msg"?}`. */
export interface OkxEvent {
  readonly event: string;
  readonly arg?: OkxArg;
  readonly code?: string;
  readonly msg?: string;
}

/** GET /api/v5/market/books: `{"code": "0", "data": [{asks, bids, ts, seqId?}]}`. */
export interface OkxRestBook {
  readonly asks: readonly OkxLevel[];
  readonly bids: readonly OkxLevel[];
  readonly ts: string;
  readonly seqId?: number;
}

export type Dict = Record<string, unknown>;

export function isDict(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/*
 * Shape checks written by hand rather than with a schema library: they run on every frame (the
 * parse benchmark's hot path) and each is a handful of typeof tests. A failed check makes the
 * frame a counted rejection; nothing downstream ever sees an unchecked field.
 */

const MILLIS_TEXT = /^\d{1,15}$/;

/** Epoch milliseconds as OKX sends them: a string of digits. */
export function isMillisText(value: unknown): value is string {
  return typeof value === 'string' && MILLIS_TEXT.test(value);
}

function isOptionalSafeInt(value: unknown): value is number | undefined {
  return value === undefined || (typeof value === 'number' && Number.isSafeInteger(value));
}

function isInt32(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= -2_147_483_648 && value <= 2_147_483_647;
}

export function isLevels(value: unknown): value is OkxLevel[] {
  if (!Array.isArray(value)) return false;
  for (const level of value as unknown[]) {
    if (!Array.isArray(level) || level.length < 2 || typeof level[0] !== 'string' || typeof level[1] !== 'string') {
      return false;
    }
  }
  return true;
}

export function isArg(value: unknown): value is OkxArg {
  return isDict(value) && typeof value['channel'] === 'string' && typeof value['instId'] === 'string';
}

export function isBookData(value: unknown): value is OkxBookData {
  return (
    isDict(value) &&
    isLevels(value['asks']) &&
    isLevels(value['bids']) &&
    isMillisText(value['ts']) &&
    (value['checksum'] === undefined || isInt32(value['checksum'])) &&
    isOptionalSafeInt(value['prevSeqId']) &&
    isOptionalSafeInt(value['seqId'])
  );
}

/** A `books` push: action snapshot/update and exactly one data element. */
export function isBooksPush(frame: Dict): frame is Dict & OkxBooksPush {
  const data = frame['data'];
  return (
    (frame['action'] === 'snapshot' || frame['action'] === 'update') &&
    Array.isArray(data) &&
    data.length === 1 &&
    isBookData(data[0])
  );
}

export function isTrade(value: unknown): value is OkxTrade {
  return (
    isDict(value) &&
    typeof value['instId'] === 'string' &&
    typeof value['tradeId'] === 'string' &&
    value['tradeId'].length > 0 &&
    typeof value['px'] === 'string' &&
    typeof value['sz'] === 'string' &&
    (value['side'] === 'buy' || value['side'] === 'sell') &&
    isMillisText(value['ts'])
  );
}

export function isTicker(value: unknown): value is OkxTicker {
  return (
    isDict(value) &&
    typeof value['instId'] === 'string' &&
    typeof value['bidPx'] === 'string' &&
    typeof value['bidSz'] === 'string' &&
    typeof value['askPx'] === 'string' &&
    typeof value['askSz'] === 'string' &&
    isMillisText(value['ts'])
  );
}

/** Every element of a push's `data` passes `guard` (and there is at least one). */
export function isDataOf<T>(value: unknown, guard: (item: unknown) => item is T): value is T[] {
  return Array.isArray(value) && value.length > 0 && (value as unknown[]).every(guard);
}

export function isEvent(frame: Dict): frame is Dict & OkxEvent {
  return (
    typeof frame['event'] === 'string' &&
    (frame['arg'] === undefined || isArg(frame['arg'])) &&
    (frame['code'] === undefined || typeof frame['code'] === 'string') &&
    (frame['msg'] === undefined || typeof frame['msg'] === 'string')
  );
}

/** The first book of a successful GET /api/v5/market/books answer, or undefined. */
export function restBookOf(body: unknown): OkxRestBook | undefined {
  if (!isDict(body) || body['code'] !== '0' || !Array.isArray(body['data'])) return undefined;
  const book: unknown = body['data'][0];
  if (
    !isDict(book) ||
    !isLevels(book['asks']) ||
    !isLevels(book['bids']) ||
    !isMillisText(book['ts']) ||
    !isOptionalSafeInt(book['seqId'])
  ) {
    return undefined;
  }
  return book as unknown as OkxRestBook;
}
