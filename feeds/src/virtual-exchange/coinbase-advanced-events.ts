import { isArray, isObject, parseJson, quote, type JsonObject } from './json';

/*
 * Legacy Coinbase Exchange feed messages (as recorded) rewritten as Advanced Trade channel events
 * (docs.cdp.coinbase.com/coinbase-app/advanced-trade-apis/websocket/websocket-channels):
 * - snapshot / l2update -> l2_data {"type":"snapshot"|"update","product_id":..,"updates":[{"side":
 *   "bid"|"offer","event_time":..,"price_level":..,"new_quantity":..}]} ("new_quantity is the
 *   updated size at a price level (not a delta)", the legacy rule too);
 * - match / last_match -> market_trades {"type":"update"|"snapshot","trades":[{trade_id (string),
 *   product_id, price, size, side "BUY"|"SELL", time}]}; last_match, the legacy feed's one recent
 *   trade on subscribe, becomes the channel's subscribe-time snapshot. `side` keeps the legacy
 *   maker side (the adapter's default reading of market_trades);
 * - ticker -> ticker {"type":"update","tickers":[{type, product_id, price, volume_24_h, low_24_h,
 *   high_24_h, price_percent_chg_24_h, best_bid, best_bid_quantity, best_ask, best_ask_quantity}]};
 *   the quantities only when the legacy ticker has best_bid_size/best_ask_size (the 2021 capture
 *   has none), the change only when it has open_24h.
 * The envelope (sequence_num, timestamp) belongs to a connection and is added by the session.
 */

/** The Advanced Trade channel of a legacy message type; the legacy `full` channel has none. */
const TYPE_CHANNEL: Readonly<Record<string, AdvancedChannel>> = {
  snapshot: 'level2',
  l2update: 'level2',
  match: 'market_trades',
  last_match: 'market_trades',
  ticker: 'ticker',
};

/** Subscription channel names (the level2 subscription's messages carry channel "l2_data"). */
export type AdvancedChannel = 'level2' | 'market_trades' | 'ticker';

export const DATA_CHANNELS: readonly string[] = ['level2', 'market_trades', 'ticker'];

/** The channel a message carries on the wire. */
export function wireChannel(channel: AdvancedChannel): string {
  return channel === 'level2' ? 'l2_data' : channel;
}

/** The subscription channel of a legacy message type, if Advanced Trade has one. */
export function channelOfLegacyType(type: unknown): AdvancedChannel | undefined {
  return typeof type === 'string' ? TYPE_CHANNEL[type] : undefined;
}

/** A converted message: its wire channel and its `events` array as JSON text. */
export interface AdvancedEvents {
  readonly channel: string;
  readonly events: string;
}

/**
 * Rewrites one legacy message as Advanced Trade events, or undefined when it has no counterpart or
 * is malformed. `fallbackTime` (ISO) stands in for a missing legacy `time` (snapshots carry none).
 */
export function advancedEventsOf(legacy: string, fallbackTime: string): AdvancedEvents | undefined {
  const parsed = parseJson(legacy);
  if (!parsed.ok || !isObject(parsed.value)) return undefined;
  const message = parsed.value;
  const product = message['product_id'];
  if (typeof product !== 'string') return undefined;
  const time = typeof message['time'] === 'string' ? message['time'] : fallbackTime;
  switch (message['type']) {
    case 'snapshot':
      return level2('snapshot', product, snapshotUpdates(message, time));
    case 'l2update':
      return level2('update', product, changeUpdates(message['changes'], time));
    case 'match':
    case 'last_match':
      return trades(message['type'] === 'match' ? 'update' : 'snapshot', message, product, time);
    case 'ticker':
      return ticker(message, product);
    default:
      return undefined;
  }
}

function level2(
  type: 'snapshot' | 'update',
  product: string,
  updates: string[] | undefined,
): AdvancedEvents | undefined {
  if (updates === undefined) return undefined;
  return {
    channel: 'l2_data',
    events: `[{"type":"${type}","product_id":${quote(product)},"updates":[${updates.join(',')}]}]`,
  };
}

function update(side: 'bid' | 'offer', time: string, price: string, size: string): string {
  return `{"side":"${side}","event_time":${quote(time)},"price_level":${quote(price)},"new_quantity":${quote(size)}}`;
}

function snapshotUpdates(message: JsonObject, time: string): string[] | undefined {
  const out: string[] = [];
  for (const [key, side] of [
    ['bids', 'bid'],
    ['asks', 'offer'],
  ] as const) {
    const levels = message[key];
    if (!isArray(levels)) return undefined;
    for (const level of levels) {
      if (!isArray(level)) return undefined;
      const [price, size] = level;
      if (typeof price !== 'string' || typeof size !== 'string') return undefined;
      out.push(update(side, time, price, size));
    }
  }
  return out;
}

function changeUpdates(changes: unknown, time: string): string[] | undefined {
  if (!isArray(changes)) return undefined;
  const out: string[] = [];
  for (const change of changes) {
    if (!isArray(change)) return undefined;
    const [side, price, size] = change;
    if (typeof price !== 'string' || typeof size !== 'string') return undefined;
    if (side === 'buy') out.push(update('bid', time, price, size));
    else if (side === 'sell') out.push(update('offer', time, price, size));
    else return undefined;
  }
  return out;
}

function trades(
  type: 'snapshot' | 'update',
  message: JsonObject,
  product: string,
  time: string,
): AdvancedEvents | undefined {
  const { trade_id: id, price, size, side } = message;
  if (typeof id !== 'number' && typeof id !== 'string') return undefined;
  if (typeof price !== 'string' || typeof size !== 'string') return undefined;
  if (side !== 'buy' && side !== 'sell') return undefined;
  const trade =
    `{"trade_id":${quote(String(id))},"product_id":${quote(product)},"price":${quote(price)},` +
    `"size":${quote(size)},"side":"${side === 'buy' ? 'BUY' : 'SELL'}","time":${quote(time)}}`;
  return { channel: 'market_trades', events: `[{"type":"${type}","trades":[${trade}]}]` };
}

function ticker(message: JsonObject, product: string): AdvancedEvents {
  const fields: [string, unknown][] = [
    ['type', 'ticker'],
    ['product_id', product],
    ['price', message['price']],
    ['volume_24_h', message['volume_24h']],
    ['low_24_h', message['low_24h']],
    ['high_24_h', message['high_24h']],
    ['price_percent_chg_24_h', percentChange(message['price'], message['open_24h'])],
    ['best_bid', message['best_bid']],
    ['best_bid_quantity', message['best_bid_size']],
    ['best_ask', message['best_ask']],
    ['best_ask_quantity', message['best_ask_size']],
  ];
  const body = fields
    .filter((field): field is [string, string] => typeof field[1] === 'string')
    .map(([key, value]) => `${quote(key)}:${quote(value)}`)
    .join(',');
  return { channel: 'ticker', events: `[{"type":"update","tickers":[{${body}}]}]` };
}

function percentChange(price: unknown, open: unknown): string | undefined {
  if (typeof price !== 'string' || typeof open !== 'string') return undefined;
  const p = Number(price);
  const o = Number(open);
  if (!Number.isFinite(p) || !Number.isFinite(o) || o === 0) return undefined;
  return String(((p - o) / o) * 100);
}
