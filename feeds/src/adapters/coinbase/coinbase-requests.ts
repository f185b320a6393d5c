import type { ChannelKind } from '../venue-adapter';

/*
 * Subscribe/unsubscribe messages (README.md quotes the rules):
 * - Exchange feed: {"type":"subscribe","product_ids":[..],"channels":["level2"]}, the form the
 *   recorded session sent. One message may name several channels; Tickwire sends one per channel so
 *   a resync touches level2 only, and the venue allows 100 client messages per second per IP.
 * - Advanced Trade: {"type":"subscribe","product_ids":[..],"channel":"level2"}; "You can only
 *   subscribe to one channel per subscription message", and an unsubscribe "providing no product
 *   IDs" drops the whole channel, so an empty product list never becomes a message here.
 * Large product lists are split into messages of at most `productsPerMessage` ids.
 */

export type RequestType = 'subscribe' | 'unsubscribe';

export type ExchangeChannel = 'level2' | 'level2_batch' | 'matches' | 'ticker' | 'heartbeat';

export type AdvancedTradeChannel = 'level2' | 'market_trades' | 'ticker' | 'heartbeats';

/** Exchange-feed channel carrying a Tickwire channel kind. */
export function exchangeChannelOf(kind: ChannelKind, level2: 'level2' | 'level2_batch'): ExchangeChannel {
  switch (kind) {
    case 'book':
      return level2;
    case 'trades':
      return 'matches';
    case 'bbo':
      return 'ticker';
  }
}

/** Advanced Trade channel carrying a Tickwire channel kind. */
export function advancedTradeChannelOf(kind: ChannelKind): AdvancedTradeChannel {
  switch (kind) {
    case 'book':
      return 'level2';
    case 'trades':
      return 'market_trades';
    case 'bbo':
      return 'ticker';
  }
}

export function exchangeRequests(
  type: RequestType,
  channel: ExchangeChannel,
  productIds: readonly string[],
  productsPerMessage: number,
): string[] {
  return chunks(productIds, productsPerMessage).map((ids) =>
    JSON.stringify({ type, product_ids: ids, channels: [channel] }),
  );
}

export function advancedTradeRequests(
  type: RequestType,
  channel: AdvancedTradeChannel,
  productIds: readonly string[],
  productsPerMessage: number,
): string[] {
  return chunks(productIds, productsPerMessage).map((ids) => JSON.stringify({ type, product_ids: ids, channel }));
}

/**
 * The connection-wide Advanced Trade heartbeats channel needs no product ids ("Subscribe to the
 * heartbeats channel to receive heartbeats messages every second").
 */
export function advancedTradeHeartbeatsRequest(type: RequestType): string {
  return JSON.stringify({ type, channel: 'heartbeats' });
}

function chunks(ids: readonly string[], size: number): string[][] {
  if (!(Number.isSafeInteger(size) && size > 0))
    throw new RangeError(`productsPerMessage must be positive, got ${size}`);
  const unique = [...new Set(ids)];
  const out: string[][] = [];
  for (let i = 0; i < unique.length; i += size) out.push(unique.slice(i, i + size));
  return out;
}
