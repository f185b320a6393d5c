import { DecimalFormatError, type DecimalString, toDecimal } from '../../decimal';
import type { EpochMicros } from '../../model/events';
import { isText, type MarkedNumber, numberText, readLosslessJson } from './alpaca-json';
import {
  ackSymbols,
  type Dict,
  hasSymbol,
  IGNORED_TYPES,
  isDict,
  isError,
  isQuote,
  isSuccess,
  isTrade,
  isTradingStatus,
} from './alpaca-protocol';
import { ALPACA_CHANNELS, type AlpacaChannel } from './alpaca-subscriptions';
import { rfc3339ToMicros } from './alpaca-time';
import type { TradingStatusFields } from './alpaca-trading-status';

/*
 * One frame → the data points it holds, every price and size already an exact decimal and every
 * time in microseconds. Everything that can be wrong with a frame is found here, before the session
 * applies any of it: a frame is applied whole or rejected whole, so "rejected" never means "half
 * applied". Unknown message types are not an error (Alpaca adds channels over time): they are
 * ignored and named.
 */

export interface ParsedTrade {
  readonly kind: 'trade';
  readonly venueSymbol: string;
  /** "<exchange>:<id>": Alpaca trade ids are unique per exchange only. */
  readonly tradeId: string;
  readonly price: DecimalString;
  readonly size: DecimalString;
  readonly time: EpochMicros;
}

export interface ParsedQuote {
  readonly kind: 'quote';
  readonly venueSymbol: string;
  readonly bidPrice: DecimalString;
  /** As on the wire: round lots. */
  readonly bidLots: DecimalString;
  readonly askPrice: DecimalString;
  readonly askLots: DecimalString;
  readonly time: EpochMicros;
}

export interface ParsedStatus {
  readonly kind: 'status';
  readonly venueSymbol: string;
  readonly status: TradingStatusFields;
  readonly time: EpochMicros;
}

export interface ParsedIgnored {
  readonly kind: 'ignored';
  /** The accounting kind: "bar", "luld", "unknown type \"n\"", ... */
  readonly label: string;
}

export interface ParsedSuccess {
  readonly kind: 'success';
  readonly msg: string;
}

export interface ParsedError {
  readonly kind: 'error';
  readonly code: number;
  readonly msg: string;
}

export interface ParsedSubscription {
  readonly kind: 'subscription';
  readonly channels: Readonly<Record<AlpacaChannel, readonly string[]>>;
}

export type ParsedItem =
  ParsedTrade | ParsedQuote | ParsedStatus | ParsedIgnored | ParsedSuccess | ParsedError | ParsedSubscription;

export type ParsedFrame =
  { readonly ok: true; readonly items: readonly ParsedItem[] } | { readonly ok: false; readonly reason: string };

/** Frames beyond this are rejected unread; Alpaca's batches of a slow client stay far below. */
export const MAX_FRAME_LENGTH = 16 * 1024 * 1024;

class FrameProblem extends Error {}

export function parseAlpacaFrame(text: string): ParsedFrame {
  if (text.length > MAX_FRAME_LENGTH) return { ok: false, reason: `frame of ${text.length} characters is too large` };
  let frame: unknown;
  try {
    frame = readLosslessJson(text);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (!Array.isArray(frame)) return { ok: false, reason: 'not a JSON array' };
  const messages = frame as unknown[];
  const items: ParsedItem[] = new Array<ParsedItem>(messages.length);
  try {
    for (let index = 0; index < messages.length; index++) items[index] = parseMessage(messages[index], index);
  } catch (error) {
    if (error instanceof FrameProblem) return { ok: false, reason: error.message };
    throw error;
  }
  return { ok: true, items };
}

function parseMessage(message: unknown, index: number): ParsedItem {
  if (!isDict(message)) throw new FrameProblem(`message ${index} is not an object`);
  const type = message['T'];
  switch (type) {
    case 't':
      if (!isTrade(message)) throw new FrameProblem('trade: malformed');
      return {
        kind: 'trade',
        venueSymbol: message.S,
        tradeId: `${message.x}:${numberText(message.i)}`,
        price: nonNegative(message.p, 'trade price'),
        size: nonNegative(message.s, 'trade size'),
        time: time(message.t, 'trade'),
      };
    case 'q':
      if (!isQuote(message)) throw new FrameProblem('quote: malformed');
      return {
        kind: 'quote',
        venueSymbol: message.S,
        bidPrice: nonNegative(message.bp, 'quote bid price'),
        bidLots: nonNegative(message.bs, 'quote bid size'),
        askPrice: nonNegative(message.ap, 'quote ask price'),
        askLots: nonNegative(message.as, 'quote ask size'),
        time: time(message.t, 'quote'),
      };
    case 's':
      if (!isTradingStatus(message)) throw new FrameProblem('status: malformed');
      return { kind: 'status', venueSymbol: message.S, status: message, time: time(message.t, 'status') };
    case 'success':
      if (!isSuccess(message)) throw new FrameProblem('success: malformed');
      return { kind: 'success', msg: message.msg };
    case 'error':
      if (!isError(message)) throw new FrameProblem('error: malformed');
      return { kind: 'error', code: Number(numberText(message.code)), msg: message.msg };
    case 'subscription':
      return subscription(message);
    default:
      return ignored(message, type);
  }
}

function ignored(message: Dict, type: unknown): ParsedIgnored {
  if (!isText(type)) throw new FrameProblem(`message without a type "T"`);
  const label = IGNORED_TYPES[type];
  if (label === undefined) return { kind: 'ignored', label: `unknown type ${JSON.stringify(type.slice(0, 16))}` };
  if (!hasSymbol(message)) throw new FrameProblem(`${label}: malformed`);
  return { kind: 'ignored', label };
}

function subscription(message: Dict): ParsedSubscription {
  const channels = {} as Record<AlpacaChannel, readonly string[]>;
  for (const channel of ALPACA_CHANNELS) {
    const symbols = ackSymbols(message, channel);
    if (symbols === undefined) throw new FrameProblem(`subscription: "${channel}" is not a list of symbols`);
    channels[channel] = symbols;
  }
  return { kind: 'subscription', channels };
}

/** A price or size: an exact, non-negative decimal of the wire text. */
function nonNegative(value: MarkedNumber, what: string): DecimalString {
  let decimal: DecimalString;
  try {
    decimal = toDecimal(numberText(value));
  } catch (error) {
    if (error instanceof DecimalFormatError) throw new FrameProblem(`${what}: ${error.message}`);
    throw error;
  }
  if (decimal.startsWith('-')) throw new FrameProblem(`${what}: negative ${decimal}`);
  return decimal;
}

function time(text: string, what: string): EpochMicros {
  const micros = rfc3339ToMicros(text);
  if (micros === undefined) throw new FrameProblem(`${what}: bad timestamp ${JSON.stringify(text.slice(0, 40))}`);
  return micros;
}
