import type { WireLevel } from '../../book';
import { isZeroDecimal, toDecimal } from '../../decimal';
import type { EpochMicros, PriceLevel, TradeEvent } from '../../model/events';
import { type Accounting, type FrameContext, subscriptionErrorEvent, systemStatusEvent } from './kraken-frame-context';
import { type Dict, isDict, parseChecksum } from './kraken-guards';
import { parseNumbersAsText } from './kraken-json';
import { rfc3339ToMicros } from './kraken-time';
import {
  isV2Book,
  isV2Envelope,
  isV2Reply,
  isV2Status,
  isV2Ticker,
  isV2Trade,
  type V2Level,
} from './kraken-v2-protocol';

/** Public v2 channels Tickwire does not subscribe to: accounted as ignored if they ever arrive. */
const UNUSED_CHANNELS = new Set(['instrument', 'ohlc', 'level3']);

/**
 * One v2 frame to normalized events. Numbers are read as their wire text (kraken-json.ts), which
 * the book checksum needs. Throws DecimalFormatError / BookUpdateError for decimal text that is
 * not a valid level (the session accounts the frame as rejected); everything else is accounted here.
 */
export function parseV2Frame(text: string, receiveTime: EpochMicros, context: FrameContext): Accounting {
  let frame: unknown;
  try {
    frame = parseNumbersAsText(text);
  } catch {
    return ['rejected', 'not JSON'];
  }
  if (!isDict(frame)) return ['rejected', 'not a JSON object'];
  if (isV2Envelope(frame)) return channelMessage(frame, receiveTime, context);
  if (isV2Reply(frame)) return reply(frame, receiveTime, context);
  if (typeof frame['error'] === 'string') return ['ignored', 'error reply'];
  return ['rejected', 'unknown message'];
}

function channelMessage(
  frame: Dict & { channel: string; type?: string },
  receiveTime: EpochMicros,
  context: FrameContext,
): Accounting {
  const { channel, type } = frame;
  if (channel === 'heartbeat') return ['ignored', 'heartbeat'];
  const data = frame['data'];
  if (!Array.isArray(data) || data.length === 0) return ['rejected', `${knownChannel(channel)}: no data`];
  switch (channel) {
    case 'status': {
      const status: unknown = data[0];
      if (!isV2Status(status)) return ['rejected', 'status: malformed'];
      const details = `connection_id ${status.connection_id ?? 'none'}, version ${status.version ?? '?'}`;
      context.emit(systemStatusEvent(context, status.system, details, receiveTime));
      return ['parsed', 'status'];
    }
    case 'book':
      return book(type, data as unknown[], receiveTime, context);
    case 'trade':
      return trades(type, data as unknown[], receiveTime, context);
    case 'ticker':
      return ticker(data as unknown[], receiveTime, context);
    default:
      return UNUSED_CHANNELS.has(channel) ? ['ignored', channel] : ['rejected', 'unknown channel'];
  }
}

function knownChannel(channel: string): string {
  return ['status', 'book', 'trade', 'ticker'].includes(channel) || UNUSED_CHANNELS.has(channel) ? channel : 'channel';
}

function reply(
  frame: Dict & { method: string; success?: boolean; error?: string },
  receiveTime: EpochMicros,
  context: FrameContext,
): Accounting {
  const { method } = frame;
  if (method === 'pong') return ['ignored', 'pong'];
  // This connection sends subscribe and unsubscribe only (and the venue answers pings with pong).
  if (method !== 'subscribe' && method !== 'unsubscribe') return ['rejected', 'reply to an unknown method'];
  const result = isDict(frame['result']) ? frame['result'] : {};
  if (frame.success !== false) {
    if (method === 'unsubscribe' && result['channel'] === 'book' && typeof result['symbol'] === 'string') {
      const symbol = context.symbolOf(result['symbol']);
      const sync = symbol === undefined ? undefined : context.bookOf(symbol);
      if (sync?.endedByVenue(receiveTime) === true) return ['parsed', 'book unsubscribed by the venue'];
    }
    return ['ignored', `${method} ack`];
  }
  // A failed request names its symbol at the top level or in "result".
  const symbol = typeof frame['symbol'] === 'string' ? frame['symbol'] : result['symbol'];
  const channel = typeof result['channel'] === 'string' ? result['channel'] : method;
  context.emit(
    subscriptionErrorEvent(
      context,
      typeof symbol === 'string' ? symbol : undefined,
      channel,
      frame.error ?? 'no error text',
      receiveTime,
    ),
  );
  return ['parsed', `${method} error`];
}

function book(type: string | undefined, data: unknown[], receiveTime: EpochMicros, context: FrameContext): Accounting {
  // "The book element is always the first and only item in the data payload."
  const entry = data[0];
  const name = type === 'snapshot' ? 'book snapshot' : type === 'update' ? 'book update' : undefined;
  if (name === undefined) return ['rejected', 'book: unknown type'];
  const pair = isDict(entry) && typeof entry['symbol'] === 'string' ? entry['symbol'] : undefined;
  const symbol = pair === undefined ? undefined : context.symbolOf(pair);
  if (symbol === undefined) return ['rejected', `${name}: unknown symbol`];
  const sync = context.bookOf(symbol);
  if (sync === undefined) return ['ignored', 'book of an unsubscribed symbol'];
  const checksum = isV2Book(entry) ? parseChecksum(entry.checksum) : undefined;
  const venueTime = isV2Book(entry) && entry.timestamp !== undefined ? rfc3339ToMicros(entry.timestamp) : null;
  if (data.length !== 1 || !isV2Book(entry) || checksum === undefined || venueTime === undefined) {
    sync.discard(`malformed ${name}`, receiveTime, type === 'snapshot');
    return ['rejected', `${name}: malformed`];
  }
  const message = { bids: wireLevels(entry.bids), asks: wireLevels(entry.asks), checksum, venueTime, receiveTime };
  // v2 checksums snapshots too ("including a CRC32 checksum of the top 10 bids and asks").
  if (type === 'snapshot') return ['parsed', `book snapshot ${sync.snapshot(message)}`];
  const outcome = sync.update(message);
  return [outcome === 'not synced' ? 'ignored' : 'parsed', `book update ${outcome}`];
}

function wireLevels(levels: readonly V2Level[]): WireLevel[] {
  const out = new Array<WireLevel>(levels.length);
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i] as V2Level;
    out[i] = [level.price, level.qty];
  }
  return out;
}

function trades(
  type: string | undefined,
  data: unknown[],
  receiveTime: EpochMicros,
  context: FrameContext,
): Accounting {
  // Tickwire subscribes without a snapshot; one sent anyway holds past trades, not new ones.
  if (type === 'snapshot') return ['ignored', 'trade snapshot'];
  if (type !== 'update') return ['rejected', 'trade: unknown type'];
  // All trades of the frame are read before any is emitted: a bad one rejects the whole frame.
  const events: TradeEvent[] = [];
  for (const entry of data) {
    if (!isV2Trade(entry)) return ['rejected', 'trade: malformed'];
    const symbol = context.symbolOf(entry.symbol);
    if (symbol === undefined) return ['rejected', 'trade: unknown symbol'];
    const venueTime = rfc3339ToMicros(entry.timestamp);
    if (venueTime === undefined) return ['rejected', 'trade: malformed'];
    events.push({
      type: 'trade',
      venue: context.venue,
      symbol,
      receiveTime,
      tradeId: entry.trade_id,
      side: entry.side,
      price: toDecimal(entry.price),
      size: toDecimal(entry.qty),
      venueTime,
    });
  }
  for (const event of events) context.emit(event);
  return ['parsed', 'trade'];
}

function ticker(data: unknown[], receiveTime: EpochMicros, context: FrameContext): Accounting {
  // "The ticker element is always the first and only item in the data payload."
  const entry = data[0];
  if (data.length !== 1 || !isV2Ticker(entry)) return ['rejected', 'ticker: malformed'];
  const symbol = context.symbolOf(entry.symbol);
  if (symbol === undefined) return ['rejected', 'ticker: unknown symbol'];
  const venueTime = entry.timestamp === undefined ? null : rfc3339ToMicros(entry.timestamp);
  if (venueTime === undefined) return ['rejected', 'ticker: malformed'];
  const bid: PriceLevel = [toDecimal(entry.bid), toDecimal(entry.bid_qty)];
  const ask: PriceLevel = [toDecimal(entry.ask), toDecimal(entry.ask_qty)];
  context.emit({
    type: 'bbo',
    venue: context.venue,
    symbol,
    receiveTime,
    bid: isZeroDecimal(bid[1]) ? null : bid,
    ask: isZeroDecimal(ask[1]) ? null : ask,
    venueTime,
  });
  return ['parsed', 'ticker'];
}
