import type { NormalizedSymbol } from '../../model/instrument';
import type { ChannelKind, UpstreamSubscription } from '../venue-adapter';

/*
 * Subscribe and unsubscribe messages (docs.alpaca.markets/docs/streaming-market-data, "Subscription"):
 * {"action":"subscribe","trades":["AAPL"],"quotes":["AMD","CLDR"],"statuses":["*"]}. "A subscribe
 * message should contain what subscription you want to add to your current subscriptions", and
 * unsubscribe "subtracts the list of subscriptions specified from your current set". Each is answered
 * by the whole current list ([{"T":"subscription",...}]) or by one error; the session matches answers
 * to requests in order.
 *
 * Channels Tickwire uses: trades (→ trade events; corrections and cancel/errors come with them),
 * quotes (→ bbo) and statuses (halts and resumptions, for the instrument state). Bars are never
 * asked for: Tickwire builds its own candles.
 */

export const ALPACA_CHANNELS = ['trades', 'quotes', 'statuses'] as const;
export type AlpacaChannel = (typeof ALPACA_CHANNELS)[number];

export interface ChannelSymbol {
  readonly channel: AlpacaChannel;
  readonly symbol: string;
}

export interface AlpacaRequest {
  readonly action: 'subscribe' | 'unsubscribe';
  readonly pairs: readonly ChannelSymbol[];
  /** The message text, e.g. {"action":"subscribe","trades":["AAPL"],"quotes":["AAPL"]}. */
  readonly text: string;
}

/** The Alpaca channel that serves a Tickwire channel; undefined for 'book' (no depth on the stock stream). */
export function alpacaChannelOf(channel: ChannelKind): AlpacaChannel | undefined {
  switch (channel) {
    case 'trades':
      return 'trades';
    case 'bbo':
      return 'quotes';
    case 'book':
      return undefined;
  }
}

export interface VenueWants {
  /** Channel and venue symbol pairs to hold on the connection, each once. */
  readonly pairs: readonly ChannelSymbol[];
  /** Symbols with a 'book' subscription (not offered by the stock stream). */
  readonly bookOnly: ReadonlySet<NormalizedSymbol>;
  /** Symbols that are no Alpaca stock (e.g. BTC-USDT). */
  readonly unknown: ReadonlySet<NormalizedSymbol>;
}

/**
 * What the connection must hold for `wanted`: trades and quotes as asked, plus statuses for every
 * symbol with either (when `statuses` is on) so halts reach the instrument state.
 */
export function venueWants(
  wanted: readonly UpstreamSubscription[],
  venueSymbolOf: (symbol: NormalizedSymbol) => string | undefined,
  statuses: boolean,
): VenueWants {
  const keys = new Set<string>();
  const pairs: ChannelSymbol[] = [];
  const bookOnly = new Set<NormalizedSymbol>();
  const unknown = new Set<NormalizedSymbol>();
  const add = (channel: AlpacaChannel, symbol: string): void => {
    const key = `${channel}:${symbol}`;
    if (keys.has(key)) return;
    keys.add(key);
    pairs.push({ channel, symbol });
  };
  for (const subscription of wanted) {
    const venueSymbol = venueSymbolOf(subscription.symbol);
    if (venueSymbol === undefined) {
      unknown.add(subscription.symbol);
      continue;
    }
    const channel = alpacaChannelOf(subscription.channel);
    if (channel === undefined) {
      bookOnly.add(subscription.symbol);
      continue;
    }
    add(channel, venueSymbol);
    if (statuses) add('statuses', venueSymbol);
  }
  // A symbol with trades or quotes as well as a book is served; only book-only symbols stay unserved.
  for (const subscription of wanted) {
    if (subscription.channel !== 'book' && venueSymbolOf(subscription.symbol) !== undefined) {
      bookOnly.delete(subscription.symbol);
    }
  }
  return { pairs, bookOnly, unknown };
}

export function pairKey(pair: ChannelSymbol): string {
  return `${pair.channel}:${pair.symbol}`;
}

/**
 * Messages carrying `pairs`, at most `perMessage` symbols each (counted over all channels), in the
 * order given. Alpaca documents no per-message limit; the cap keeps messages small and a refusal
 * (e.g. 405 symbol limit exceeded) confined to one batch.
 */
export function buildRequests(
  action: 'subscribe' | 'unsubscribe',
  pairs: readonly ChannelSymbol[],
  perMessage: number,
): AlpacaRequest[] {
  const requests: AlpacaRequest[] = [];
  const size = Math.max(1, Math.floor(perMessage));
  for (let start = 0; start < pairs.length; start += size) {
    const batch = pairs.slice(start, start + size);
    const message: Record<string, string | string[]> = { action };
    for (const channel of ALPACA_CHANNELS) {
      const symbols = batch.filter((pair) => pair.channel === channel).map((pair) => pair.symbol);
      if (symbols.length > 0) message[channel] = symbols;
    }
    requests.push({ action, pairs: batch, text: JSON.stringify(message) });
  }
  return requests;
}
