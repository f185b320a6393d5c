import { jsonInteger, jsonNumberText, type LosslessJson } from './bitfinex-json';

/*
 * Bitfinex WebSocket v2 public messages (docs.bitfinex.com/docs/ws-general, /reference/ws-public-books,
 * /reference/ws-public-trades, /docs/ws-websocket-checksum). Events are JSON objects
 * ({"event": ...}); channel data are positional arrays [CHAN_ID, ...] whose numbers are bare JSON
 * numbers, read losslessly by bitfinex-json.ts. README.md quotes the rules.
 */

/** `conf` flags (docs "Configuration"): sequence numbers on every channel message; book checksums. */
export const FLAG_SEQ_ALL = 65536;
export const FLAG_OB_CHECKSUM = 131072;

/** `info` codes: 20051 server restarting (reconnect); 20060/20061 maintenance start/end. */
export const INFO_RECONNECT = 20051;
export const INFO_MAINTENANCE_START = 20060;
export const INFO_MAINTENANCE_END = 20061;

export interface BitfinexInfoEvent {
  readonly event: 'info';
  readonly version?: number;
  readonly platform?: { readonly status?: number };
  readonly code?: number;
  readonly msg?: string;
}

export interface BitfinexConfEvent {
  readonly event: 'conf';
  readonly status?: string;
  readonly flags?: number;
}

export interface BitfinexSubscribedEvent {
  readonly event: 'subscribed';
  readonly channel: string;
  readonly chanId: number;
  /** Trading pairs: "tBTCUSD". Old servers sent only `pair` ("BTCUSD"). */
  readonly symbol?: string;
  readonly pair?: string;
}

export interface BitfinexUnsubscribedEvent {
  readonly event: 'unsubscribed';
  readonly status?: string;
  readonly chanId: number;
}

export interface BitfinexErrorEvent {
  readonly event: 'error';
  readonly msg?: string;
  readonly code?: number;
  /** Present on subscribe errors. */
  readonly channel?: string;
  readonly symbol?: string;
  readonly pair?: string;
  /** Present on unsubscribe errors. */
  readonly chanId?: number;
}

type Dict = Record<string, unknown>;

export function isDict(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/*
 * Shape checks written by hand: each is a few typeof tests on a frame that JSON.parse already
 * built, and they run for every frame (the events are rare, the channel frames below are not).
 * A failed check makes the frame a counted rejection.
 */

function isSafeInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

function optional(value: unknown, check: (v: unknown) => boolean): boolean {
  return value === undefined || check(value);
}

const isString = (value: unknown): value is string => typeof value === 'string';

export function isInfoEvent(data: Dict): data is Dict & BitfinexInfoEvent {
  const platform = data['platform'];
  return (
    optional(data['version'], isSafeInt) &&
    optional(data['code'], isSafeInt) &&
    optional(data['msg'], isString) &&
    optional(platform, (p) => isDict(p) && optional(p['status'], isSafeInt))
  );
}

export function isConfEvent(data: Dict): data is Dict & BitfinexConfEvent {
  return optional(data['status'], isString) && optional(data['flags'], isSafeInt);
}

export function isSubscribedEvent(data: Dict): data is Dict & BitfinexSubscribedEvent {
  return (
    typeof data['channel'] === 'string' &&
    isSafeInt(data['chanId']) &&
    optional(data['symbol'], isString) &&
    optional(data['pair'], isString) &&
    (data['symbol'] !== undefined || data['pair'] !== undefined)
  );
}

export function isUnsubscribedEvent(data: Dict): data is Dict & BitfinexUnsubscribedEvent {
  return isSafeInt(data['chanId']) && optional(data['status'], isString);
}

export function isErrorEvent(data: Dict): data is Dict & BitfinexErrorEvent {
  return (
    optional(data['msg'], isString) &&
    optional(data['code'], isSafeInt) &&
    optional(data['channel'], isString) &&
    optional(data['symbol'], isString) &&
    optional(data['pair'], isString) &&
    optional(data['chanId'], isSafeInt)
  );
}

/** The venue symbol an event names: `symbol`, or "t" + `pair` from servers that send only the pair. */
export function eventSymbol(event: { readonly symbol?: string; readonly pair?: string }): string | undefined {
  return event.symbol ?? (event.pair === undefined ? undefined : `t${event.pair}`);
}

/**
 * One channel message taken apart. With SEQ_ALL every one ends with the connection-wide sequence
 * number: [CHAN_ID, "hb", SEQ], [CHAN_ID, "cs", CHECKSUM, SEQ], [CHAN_ID, "te"|"tu", TRADE, SEQ],
 * [CHAN_ID, DATA, SEQ]. Without it the SEQ is absent.
 */
export type ChannelFrame =
  | { readonly kind: 'heartbeat'; readonly chanId: number; readonly seq: number | undefined }
  | { readonly kind: 'checksum'; readonly chanId: number; readonly checksum: number; readonly seq: number | undefined }
  | {
      readonly kind: 'trade';
      readonly tag: 'te' | 'tu';
      readonly chanId: number;
      readonly trade: LosslessJson;
      readonly seq: number | undefined;
    }
  | { readonly kind: 'data'; readonly chanId: number; readonly data: LosslessJson[]; readonly seq: number | undefined };

/** Splits a channel frame, or returns why it is not one. */
export function splitChannelFrame(frame: LosslessJson[]): ChannelFrame | string {
  const chanId = jsonInteger(frame[0]);
  if (chanId === undefined) return 'channel frame without a chanId';
  const second = frame[1];
  if (typeof second === 'string') {
    const seqAt = second === 'hb' ? 2 : 3;
    const seq = sequenceAt(frame, seqAt);
    if (seq === null) return `"${second.slice(0, 20)}" frame with a malformed sequence`;
    switch (second) {
      case 'hb':
        return { kind: 'heartbeat', chanId, seq };
      case 'cs': {
        const checksum = jsonInteger(frame[2]);
        // Signed 32-bit per the checksum docs.
        if (checksum === undefined || checksum < -0x80000000 || checksum > 0x7fffffff) return 'malformed checksum';
        return { kind: 'checksum', chanId, checksum, seq };
      }
      case 'te':
      case 'tu': {
        const trade = frame[2];
        if (trade === undefined) return `${second} without a trade`;
        return { kind: 'trade', tag: second, chanId, trade, seq };
      }
      default:
        return `unknown channel message "${second.slice(0, 20)}"`;
    }
  }
  if (!Array.isArray(second)) return 'channel frame without data';
  const seq = sequenceAt(frame, 2);
  if (seq === null) return 'channel frame with a malformed sequence';
  return { kind: 'data', chanId, data: second, seq };
}

/** The SEQ_ALL number at `index`: undefined when the frame ends before it, null when malformed. */
function sequenceAt(frame: LosslessJson[], index: number): number | undefined | null {
  if (frame.length <= index) return undefined;
  const seq = jsonInteger(frame[index]);
  return seq === undefined || seq < 0 ? null : seq;
}

/** One P0..P4 book entry [PRICE, COUNT, AMOUNT] with the price and amount as sent. */
export interface BookEntry {
  readonly price: string;
  readonly count: number;
  /** Positive for a bid, negative for an ask. */
  readonly amount: string;
}

/** The entry, or undefined when it is not [number, integer >= 0, number, ...]. */
export function bookEntry(value: LosslessJson | undefined): BookEntry | undefined {
  // Array lengths are not fixed ("new fields may be appended"): read the first three.
  if (!Array.isArray(value) || value.length < 3) return undefined;
  const price = jsonNumberText(value[0]);
  const count = jsonInteger(value[1]);
  const amount = jsonNumberText(value[2]);
  if (price === undefined || count === undefined || count < 0 || amount === undefined) return undefined;
  return { price, count, amount };
}

/** One trading-pair trade [ID, MTS, AMOUNT, PRICE]; AMOUNT > 0 means the taker bought. */
export interface TradeEntry {
  readonly id: number;
  readonly mts: number;
  readonly amount: string;
  readonly price: string;
}

export function tradeEntry(value: LosslessJson | undefined): TradeEntry | undefined {
  if (!Array.isArray(value) || value.length < 4) return undefined;
  const id = jsonInteger(value[0]);
  const mts = jsonInteger(value[1]);
  const amount = jsonNumberText(value[2]);
  const price = jsonNumberText(value[3]);
  if (id === undefined || mts === undefined || mts < 0 || amount === undefined || price === undefined) {
    return undefined;
  }
  return { id, mts, amount, price };
}
