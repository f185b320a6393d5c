import type { ChannelKind } from '../venue-adapter';
import type { KrakenBookDepth } from './kraken-book-sync';
import { isDict, isStringArray } from './kraken-guards';
import type { KrakenVersion } from './kraken-symbols';

/*
 * Subscribe / unsubscribe requests. Both versions take a list of pairs per request and answer per
 * pair (v1 "subscriptionStatus", v2 one ack per symbol). Channels: book (with the depth), trade,
 * and ticker for the BBO (v2 with event_trigger "bbo": "on a change in the best-bid-offer price
 * levels"; v1's ticker has no such option and updates on trades). Kraken publishes no limit of
 * pairs per request; its request rate limit is dynamic ("Exceeded msg rate"), so requests are
 * batched per channel, at most `pairsPerMessage` pairs each, to send as few messages as possible.
 */

export type RequestMethod = 'subscribe' | 'unsubscribe';

export interface RequestConfig {
  readonly version: KrakenVersion;
  readonly depth: KrakenBookDepth;
  readonly pairsPerMessage: number;
}

/** One wanted channel of one pair, in the venue's pair name. */
export interface PairChannel {
  readonly pair: string;
  readonly channel: ChannelKind;
}

const CHANNELS: readonly ChannelKind[] = ['book', 'trades', 'bbo'];

/** The request texts for `method` on these pair channels: grouped by channel, in batches. */
export function requestTexts(config: RequestConfig, method: RequestMethod, wanted: readonly PairChannel[]): string[] {
  const texts: string[] = [];
  for (const channel of CHANNELS) {
    const pairs = [...new Set(wanted.filter((w) => w.channel === channel).map((w) => w.pair))];
    for (let i = 0; i < pairs.length; i += config.pairsPerMessage) {
      const batch = pairs.slice(i, i + config.pairsPerMessage);
      texts.push(
        config.version === 'v1'
          ? v1Request(method, channel, batch, config.depth)
          : v2Request(method, channel, batch, config.depth),
      );
    }
  }
  return texts;
}

function v1Request(method: RequestMethod, channel: ChannelKind, pairs: string[], depth: KrakenBookDepth): string {
  const subscription =
    channel === 'book' ? { name: 'book', depth } : { name: channel === 'trades' ? 'trade' : 'ticker' };
  return JSON.stringify({ event: method, pair: pairs, subscription });
}

function v2Request(method: RequestMethod, channel: ChannelKind, symbols: string[], depth: KrakenBookDepth): string {
  switch (channel) {
    case 'book':
      return JSON.stringify({ method, params: { channel: 'book', symbol: symbols, depth } });
    case 'trades':
      // No snapshot: its "most recent 50 trades" would reach consumers as if they were new.
      return JSON.stringify({
        method,
        params:
          method === 'subscribe'
            ? { channel: 'trade', symbol: symbols, snapshot: false }
            : { channel: 'trade', symbol: symbols },
      });
    case 'bbo':
      return JSON.stringify({
        method,
        params:
          method === 'subscribe'
            ? { channel: 'ticker', symbol: symbols, event_trigger: 'bbo' }
            : { channel: 'ticker', symbol: symbols },
      });
  }
}

/** What a (recorded) request asks for: its method, channel, pairs and book depth. */
export interface ParsedRequest {
  readonly method: RequestMethod;
  readonly channel: ChannelKind;
  readonly pairs: readonly string[];
  readonly depth: number | undefined;
}

/**
 * Reads a v1 or v2 subscribe/unsubscribe request, e.g. the one a recorder sent, so a replay can
 * subscribe a session to the same channels. Undefined for anything else (pings, other channels).
 */
export function parseRequest(text: string): ParsedRequest | undefined {
  let request: unknown;
  try {
    request = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isDict(request)) return undefined;
  const v1 = request['event'] !== undefined;
  const method = v1 ? request['event'] : request['method'];
  const params = v1 ? request['subscription'] : request['params'];
  if ((method !== 'subscribe' && method !== 'unsubscribe') || !isDict(params)) return undefined;
  const pairs = v1 ? request['pair'] : params['symbol'];
  const name = v1 ? params['name'] : params['channel'];
  const channel = name === 'book' ? 'book' : name === 'trade' ? 'trades' : name === 'ticker' ? 'bbo' : undefined;
  if (channel === undefined || !isStringArray(pairs)) return undefined;
  const depth = params['depth'];
  return { method, channel, pairs, depth: typeof depth === 'number' ? depth : undefined };
}
