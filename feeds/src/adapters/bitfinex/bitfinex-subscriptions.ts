import type { NormalizedSymbol } from '../../model/instrument';
import type { ChannelKind, UpstreamSubscription } from '../venue-adapter';
import { isDict } from './bitfinex-protocol';

/*
 * Subscribe/unsubscribe messages (docs.bitfinex.com/docs/ws-public, /reference/ws-public-books,
 * /reference/ws-public-trades). Bitfinex takes one channel per message and identifies a
 * subscription afterwards only by the chanId of its "subscribed" reply, so unsubscribing needs
 * that chanId. "You can subscribe to 25 channels at the same time on the same connection."
 */

export const BITFINEX_MAX_CHANNELS = 25;

/** The Bitfinex channels Tickwire uses. `bbo` is served from the book channel (see README.md). */
export type BitfinexChannelName = 'book' | 'trades';

/** Book lengths the venue offers that cover the 25 levels the checksum is computed over. */
export type BitfinexBookLength = 25 | 100 | 250;

export interface BookParams {
  /** P0: the finest price aggregation. */
  readonly prec: 'P0';
  /** F0: real time. */
  readonly freq: 'F0';
  readonly len: BitfinexBookLength;
}

/** The channel that serves a wanted subscription: trades → trades, book and bbo → book. */
export function channelOf(kind: ChannelKind): BitfinexChannelName {
  return kind === 'trades' ? 'trades' : 'book';
}

/** Identity of a channel before the venue names it with a chanId. */
export function channelKey(channel: string, venueSymbol: string): string {
  return `${channel}:${venueSymbol}`;
}

/** {"event":"conf","flags":N}: turns on SEQ_ALL and, if asked, OB_CHECKSUM for the connection. */
export function confMessage(flags: number): string {
  return JSON.stringify({ event: 'conf', flags });
}

/** Lengths go as strings, as in the venue's own examples ("len":"25"). */
export function subscribeMessage(channel: BitfinexChannelName, venueSymbol: string, book: BookParams): string {
  if (channel === 'trades') return JSON.stringify({ event: 'subscribe', channel, symbol: venueSymbol });
  return JSON.stringify({
    event: 'subscribe',
    channel,
    symbol: venueSymbol,
    prec: book.prec,
    freq: book.freq,
    len: String(book.len),
  });
}

export function unsubscribeMessage(chanId: number): string {
  return JSON.stringify({ event: 'unsubscribe', chanId });
}

/**
 * The subscriptions a recorded connection asked for, from its sent subscribe messages (to replay
 * it). Tickers are left out: Tickwire does not subscribe to them (README.md says why).
 */
export function subscriptionsFromSentMessages(
  sent: readonly string[],
  symbolOf: (venueSymbol: string) => NormalizedSymbol | undefined,
): UpstreamSubscription[] {
  const out: UpstreamSubscription[] = [];
  for (const text of sent) {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      continue;
    }
    if (!isDict(message) || message['event'] !== 'subscribe' || typeof message['symbol'] !== 'string') continue;
    const symbol = symbolOf(message['symbol']);
    const channel = message['channel'];
    const kind: ChannelKind | undefined = channel === 'book' ? 'book' : channel === 'trades' ? 'trades' : undefined;
    if (symbol !== undefined && kind !== undefined) out.push({ symbol, channel: kind });
  }
  return out;
}
