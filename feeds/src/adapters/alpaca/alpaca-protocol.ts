import { isMarkedInteger, isMarkedNumber, isText, type MarkedNumber } from './alpaca-json';

/*
 * Alpaca stock market data v2 messages as they arrive, read by `readLosslessJson` (every bare number
 * is a MarkedNumber holding its wire text). Docs: docs.alpaca.markets/docs/streaming-market-data
 * ("Every message you receive from the server will be in the format [{"T": "{message_type}",
 * {contents}},...]") and docs.alpaca.markets/docs/real-time-stock-pricing-data (schemas).
 */

export interface AlpacaTrade {
  readonly T: 't';
  readonly S: string;
  /** Trade id: unique per exchange, not across exchanges. */
  readonly i: MarkedNumber;
  /** Exchange code where the trade occurred. */
  readonly x: string;
  readonly p: MarkedNumber;
  /** Shares. */
  readonly s: MarkedNumber;
  /** RFC-3339 with nanoseconds. */
  readonly t: string;
  readonly c?: readonly string[];
  readonly z?: string;
}

export interface AlpacaQuote {
  readonly T: 'q';
  readonly S: string;
  readonly ax?: string;
  readonly ap: MarkedNumber;
  /** "ask size in round lots". */
  readonly as: MarkedNumber;
  readonly bx?: string;
  readonly bp: MarkedNumber;
  /** "bid size in round lots". */
  readonly bs: MarkedNumber;
  readonly t: string;
  readonly c?: readonly string[];
  readonly z?: string;
}

export interface AlpacaTradingStatus {
  readonly T: 's';
  readonly S: string;
  readonly sc: string;
  readonly sm: string;
  readonly rc: string;
  readonly rm: string;
  readonly t: string;
  readonly z?: string;
}

export interface AlpacaSuccess {
  readonly T: 'success';
  readonly msg: string;
}

export interface AlpacaError {
  readonly T: 'error';
  readonly code: MarkedNumber;
  readonly msg: string;
}

/** The full list of subscriptions after every subscribe or unsubscribe. */
export interface AlpacaSubscriptionAck {
  readonly T: 'subscription';
  readonly [channel: string]: unknown;
}

/** Message types Tickwire reads but does not turn into events, with the kind they are accounted as. */
export const IGNORED_TYPES: Readonly<Record<string, string>> = {
  b: 'bar',
  d: 'dailyBar',
  u: 'updatedBar',
  l: 'luld',
  c: 'correction',
  x: 'cancelError',
  i: 'imbalance',
};

export type Dict = Readonly<Record<string, unknown>>;

export function isDict(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/*
 * Shape checks written by hand: they run for every data point of every frame (the parse hot path),
 * each is a handful of typeof tests, and they check exactly the fields the session reads. A failed
 * check makes the whole frame a counted rejection before anything of it is applied.
 */

export function isTrade(m: Dict): m is Dict & AlpacaTrade {
  return (
    isText(m['S']) &&
    isMarkedInteger(m['i']) &&
    isText(m['x']) &&
    isMarkedNumber(m['p']) &&
    isMarkedNumber(m['s']) &&
    isText(m['t'])
  );
}

export function isQuote(m: Dict): m is Dict & AlpacaQuote {
  return (
    isText(m['S']) &&
    isMarkedNumber(m['bp']) &&
    isMarkedNumber(m['bs']) &&
    isMarkedNumber(m['ap']) &&
    isMarkedNumber(m['as']) &&
    isText(m['t'])
  );
}

export function isTradingStatus(m: Dict): m is Dict & AlpacaTradingStatus {
  return isText(m['S']) && isText(m['sc']) && isText(m['sm']) && isText(m['rc']) && isText(m['rm']) && isText(m['t']);
}

/** Bars, LULDs, corrections, cancel/errors and imbalances: only the symbol is read. */
export function hasSymbol(m: Dict): m is Dict & { readonly S: string } {
  return isText(m['S']);
}

export function isSuccess(m: Dict): m is Dict & AlpacaSuccess {
  return isText(m['msg']);
}

export function isError(m: Dict): m is Dict & AlpacaError {
  return isMarkedInteger(m['code']) && isText(m['msg']);
}

/** The symbols of one channel in a subscription ack: missing means none; anything else is malformed. */
export function ackSymbols(ack: Dict, channel: string): readonly string[] | undefined {
  const value = ack[channel];
  if (value === undefined) return [];
  if (!Array.isArray(value)) return undefined;
  for (const item of value as unknown[]) if (!isText(item)) return undefined;
  return value as string[];
}
