import type { WireLevel } from '../../book';
import { isZeroDecimal, toDecimal } from '../../decimal';
import type { EpochMicros, PriceLevel, TradeEvent } from '../../model/events';
import type { KrakenBookSync } from './kraken-book-sync';
import { type Accounting, type FrameContext, subscriptionErrorEvent, systemStatusEvent } from './kraken-frame-context';
import { type Dict, isDict, parseChecksum } from './kraken-guards';
import { v1TimeToMicros } from './kraken-time';
import {
  isV1BookSnapshot,
  isV1BookUpdate,
  isV1DataFrame,
  isV1SubscriptionStatus,
  isV1SystemStatus,
  isV1Ticker,
  isV1Trades,
  type V1Level,
  v1ConnectionId,
} from './kraken-v1-protocol';

/**
 * One v1 frame to normalized events. Throws DecimalFormatError / BookUpdateError for decimal text
 * that is not a valid level (the session accounts the frame as rejected); everything else is
 * accounted here.
 */
export function parseV1Frame(text: string, receiveTime: EpochMicros, context: FrameContext): Accounting {
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    return ['rejected', 'not JSON'];
  }
  if (Array.isArray(frame)) return dataFrame(frame as unknown[], receiveTime, context);
  if (!isDict(frame)) return ['rejected', 'neither array nor object'];
  return eventFrame(frame, text, receiveTime, context);
}

function eventFrame(frame: Dict, text: string, receiveTime: EpochMicros, context: FrameContext): Accounting {
  switch (frame['event']) {
    case 'heartbeat':
      // Liveness is measured by the connection manager from frame arrival; nothing to emit.
      return ['ignored', 'heartbeat'];
    case 'pong':
      return ['ignored', 'pong'];
    case 'systemStatus': {
      if (!isV1SystemStatus(frame)) return ['rejected', 'systemStatus: malformed'];
      // connectionID is above 2^53: JSON.parse rounded it, so it is read from the text.
      const details = `connectionID ${v1ConnectionId(text) ?? 'none'}, version ${frame.version ?? '?'}`;
      context.emit(systemStatusEvent(context, frame.status, details, receiveTime));
      return ['parsed', 'systemStatus'];
    }
    case 'subscriptionStatus': {
      if (!isV1SubscriptionStatus(frame)) return ['rejected', 'subscriptionStatus: malformed'];
      if (frame.status === 'error') {
        const name = frame.subscription?.name;
        const channel = typeof name === 'string' ? name : 'subscription';
        context.emit(
          subscriptionErrorEvent(context, frame.pair, channel, frame.errorMessage ?? 'no errorMessage', receiveTime),
        );
        return ['parsed', 'subscriptionStatus error'];
      }
      if (frame.status === 'unsubscribed' && frame.subscription?.name === 'book' && frame.pair !== undefined) {
        const symbol = context.symbolOf(frame.pair);
        const sync = symbol === undefined ? undefined : context.bookOf(symbol);
        if (sync?.endedByVenue(receiveTime) === true) return ['parsed', 'subscriptionStatus unsubscribed by the venue'];
      }
      // Data frames name their pair, so channel ids need no bookkeeping.
      const known = frame.status === 'subscribed' || frame.status === 'unsubscribed';
      return ['ignored', `subscriptionStatus ${known ? frame.status : 'other'}`];
    }
    case 'error':
      return ['ignored', 'error reply'];
    default:
      return ['rejected', 'unknown event'];
  }
}

function dataFrame(frame: unknown[], receiveTime: EpochMicros, context: FrameContext): Accounting {
  if (!isV1DataFrame(frame)) return ['rejected', 'array frame without [channelID, ..., channelName, pair]'];
  const channelName = frame[frame.length - 2] as string;
  const pair = frame[frame.length - 1] as string;
  if (channelName.startsWith('book-')) return book(frame, pair, receiveTime, context);
  if (channelName === 'trade') return trades(frame, pair, receiveTime, context);
  if (channelName === 'ticker') return ticker(frame, pair, receiveTime, context);
  if (channelName === 'spread') return ['ignored', 'spread'];
  if (channelName.startsWith('ohlc-')) return ['ignored', 'ohlc'];
  return ['rejected', 'unknown channel'];
}

function book(frame: unknown[], pair: string, receiveTime: EpochMicros, context: FrameContext): Accounting {
  const symbol = context.symbolOf(pair);
  if (symbol === undefined) return ['rejected', 'book: unknown pair'];
  const sync = context.bookOf(symbol);
  if (sync === undefined) return ['ignored', 'book of an unsubscribed symbol'];
  const first = frame[1];
  if (isDict(first) && ('as' in first || 'bs' in first)) return snapshot(frame, first, sync, receiveTime);
  return update(frame, sync, receiveTime);
}

function snapshot(frame: unknown[], payload: Dict, sync: KrakenBookSync, receiveTime: EpochMicros): Accounting {
  const asks: WireLevel[] = [];
  const bids: WireLevel[] = [];
  const latest = { time: -1 };
  if (
    frame.length !== 4 ||
    !isV1BookSnapshot(payload) ||
    !collect(payload.as, asks, latest) ||
    !collect(payload.bs, bids, latest)
  ) {
    sync.discard('malformed snapshot', receiveTime, true);
    return ['rejected', 'book snapshot: malformed'];
  }
  // "Note, there is no checksum on the snapshot" (v1): it is checked for crossing only.
  const outcome = sync.snapshot({ bids, asks, checksum: undefined, venueTime: venueTime(latest), receiveTime });
  return ['parsed', `book snapshot ${outcome}`];
}

/**
 * [id, {"a": [...]}, "book-N", pair], [id, {"b": [...], "c": ...}, ...], or the 5-element form
 * [id, {"a": [...]}, {"b": [...], "c": ...}, "book-N", pair] with the checksum in the last object.
 * All levels of the frame apply before the one checksum is compared.
 */
function update(frame: unknown[], sync: KrakenBookSync, receiveTime: EpochMicros): Accounting {
  const asks: WireLevel[] = [];
  const bids: WireLevel[] = [];
  const latest = { time: -1 };
  let checksumText: string | undefined;
  for (let i = 1; i < frame.length - 2; i++) {
    const payload = frame[i];
    if (!isV1BookUpdate(payload) || !collect(payload.a, asks, latest) || !collect(payload.b, bids, latest)) {
      sync.discard('malformed update', receiveTime, false);
      return ['rejected', 'book update: malformed'];
    }
    if (payload.c !== undefined) checksumText = payload.c;
  }
  const checksum = checksumText === undefined ? undefined : parseChecksum(checksumText);
  if (checksumText !== undefined && checksum === undefined) {
    sync.discard(
      `checksum ${JSON.stringify(checksumText.slice(0, 20))} is not an unsigned 32-bit integer`,
      receiveTime,
      false,
    );
    return ['rejected', 'book update: bad checksum'];
  }
  const outcome = sync.update({ bids, asks, checksum, venueTime: venueTime(latest), receiveTime });
  return [outcome === 'not synced' ? 'ignored' : 'parsed', `book update ${outcome}`];
}

/** Appends [price, volume] of each level and tracks the latest level time; false for a bad timestamp. */
function collect(levels: readonly V1Level[] | undefined, into: WireLevel[], latest: { time: number }): boolean {
  if (levels === undefined) return true;
  for (const level of levels) {
    const time = v1TimeToMicros(level[2]);
    if (time === undefined) return false;
    if (time > latest.time) latest.time = time;
    into.push([level[0], level[1]]);
  }
  return true;
}

function venueTime(latest: { time: number }): EpochMicros | null {
  return latest.time < 0 ? null : latest.time;
}

function trades(frame: unknown[], pair: string, receiveTime: EpochMicros, context: FrameContext): Accounting {
  const symbol = context.symbolOf(pair);
  if (symbol === undefined) return ['rejected', 'trade: unknown pair'];
  const list = frame[1];
  if (frame.length !== 4 || !isV1Trades(list)) return ['rejected', 'trade: malformed'];
  // All trades of the frame are read before any is emitted: a bad one rejects the whole frame.
  const events: TradeEvent[] = [];
  for (const [i, [price, volume, time, side]] of list.entries()) {
    const venueTime = v1TimeToMicros(time);
    const taker = side === 'b' || side === 'buy' ? 'buy' : side === 's' || side === 'sell' ? 'sell' : undefined;
    if (venueTime === undefined || taker === undefined) return ['rejected', 'trade: malformed'];
    events.push({
      type: 'trade',
      venue: context.venue,
      symbol,
      receiveTime,
      // v1 trades carry no id: the venue time (µs) and the position in the frame name the trade.
      tradeId: `${time}-${i}`,
      side: taker,
      price: toDecimal(price),
      size: toDecimal(volume),
      venueTime,
    });
  }
  for (const event of events) context.emit(event);
  return ['parsed', 'trade'];
}

function ticker(frame: unknown[], pair: string, receiveTime: EpochMicros, context: FrameContext): Accounting {
  const symbol = context.symbolOf(pair);
  if (symbol === undefined) return ['rejected', 'ticker: unknown pair'];
  const payload = frame[1];
  if (frame.length !== 4 || !isV1Ticker(payload)) return ['rejected', 'ticker: malformed'];
  // a/b are [price, wholeLotVolume, lotVolume]: the lot volume is the exact size at the best price.
  const bid: PriceLevel = [toDecimal(payload.b[0]), toDecimal(payload.b[2])];
  const ask: PriceLevel = [toDecimal(payload.a[0]), toDecimal(payload.a[2])];
  context.emit({
    type: 'bbo',
    venue: context.venue,
    symbol,
    receiveTime,
    bid: isZeroDecimal(bid[1]) ? null : bid,
    ask: isZeroDecimal(ask[1]) ? null : ask,
    // The v1 ticker carries no time.
    venueTime: null,
  });
  return ['parsed', 'ticker'];
}
