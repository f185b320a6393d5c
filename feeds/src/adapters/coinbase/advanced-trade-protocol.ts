/*
 * Coinbase Advanced Trade market-data messages (wss://advanced-trade-ws.coinbase.com;
 * docs.cdp.coinbase.com/coinbase-app/advanced-trade-apis/websocket/websocket-channels). Every
 * message is an envelope {channel, client_id, timestamp, sequence_num, events: [...]}; prices and
 * sizes are JSON strings, so JSON.parse reads them losslessly.
 */

export interface AdvancedTradeEnvelope {
  /** "l2_data" for the level2 subscription, else the channel name. */
  readonly channel: string;
  readonly timestamp: string;
  /** One counter per connection, across all channels (README.md). */
  readonly sequence_num: number;
  readonly events: unknown[];
}

export interface L2Update {
  readonly side: 'bid' | 'offer';
  readonly event_time: string;
  readonly price_level: string;
  /** The new size at the level, not a difference; "0" removes it. */
  readonly new_quantity: string;
}

export interface L2Event {
  readonly type: 'snapshot' | 'update';
  readonly product_id: string;
  readonly updates: L2Update[];
}

export interface MarketTrade {
  readonly trade_id: string;
  readonly product_id: string;
  readonly price: string;
  readonly size: string;
  readonly side: 'BUY' | 'SELL';
  readonly time: string;
}

export interface MarketTradesEvent {
  /** "snapshot": recent trades sent on subscribe; "update": new trades (batched over 250 ms). */
  readonly type: 'snapshot' | 'update';
  readonly trades: MarketTrade[];
}

export interface AdvancedTradeTicker {
  readonly product_id: string;
  readonly price?: string;
  readonly best_bid?: string;
  readonly best_bid_quantity?: string;
  readonly best_ask?: string;
  readonly best_ask_quantity?: string;
}

export interface TickerEvent {
  readonly type: 'snapshot' | 'update';
  readonly tickers: AdvancedTradeTicker[];
}

export interface HeartbeatEvent {
  readonly current_time: string;
  /** A string in the channel docs' example ("3049"), a number in others: both are accepted. */
  readonly heartbeat_counter: string | number;
}

type Dict = Record<string, unknown>;

export function isDict(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/*
 * Shape checks written by hand: they run on every frame and every event inside it (the parse
 * benchmark's hot path), and each is a few typeof tests with no allocation. A failed check makes
 * the whole frame a counted rejection before any of it is applied.
 */

export function isEnvelope(data: Dict): data is Dict & AdvancedTradeEnvelope {
  const sequence = data['sequence_num'];
  return (
    typeof data['channel'] === 'string' &&
    typeof data['timestamp'] === 'string' &&
    typeof sequence === 'number' &&
    Number.isSafeInteger(sequence) &&
    sequence >= 0 &&
    Array.isArray(data['events'])
  );
}

function isL2Updates(value: unknown): value is L2Update[] {
  if (!Array.isArray(value)) return false;
  for (const update of value as unknown[]) {
    if (
      !isDict(update) ||
      (update['side'] !== 'bid' && update['side'] !== 'offer') ||
      typeof update['price_level'] !== 'string' ||
      typeof update['new_quantity'] !== 'string' ||
      typeof update['event_time'] !== 'string'
    ) {
      return false;
    }
  }
  return true;
}

export function isL2Event(value: unknown): value is L2Event {
  return (
    isDict(value) &&
    (value['type'] === 'snapshot' || value['type'] === 'update') &&
    typeof value['product_id'] === 'string' &&
    isL2Updates(value['updates'])
  );
}

function isMarketTrade(value: unknown): value is MarketTrade {
  return (
    isDict(value) &&
    typeof value['trade_id'] === 'string' &&
    typeof value['product_id'] === 'string' &&
    typeof value['price'] === 'string' &&
    typeof value['size'] === 'string' &&
    (value['side'] === 'BUY' || value['side'] === 'SELL') &&
    typeof value['time'] === 'string'
  );
}

export function isMarketTradesEvent(value: unknown): value is MarketTradesEvent {
  if (!isDict(value) || (value['type'] !== 'snapshot' && value['type'] !== 'update')) return false;
  const trades = value['trades'];
  return Array.isArray(trades) && (trades as unknown[]).every(isMarketTrade);
}

function isOptionalString(value: unknown): boolean {
  return value === undefined || typeof value === 'string';
}

function isTicker(value: unknown): value is AdvancedTradeTicker {
  return (
    isDict(value) &&
    typeof value['product_id'] === 'string' &&
    isOptionalString(value['price']) &&
    isOptionalString(value['best_bid']) &&
    isOptionalString(value['best_bid_quantity']) &&
    isOptionalString(value['best_ask']) &&
    isOptionalString(value['best_ask_quantity'])
  );
}

export function isTickerEvent(value: unknown): value is TickerEvent {
  if (!isDict(value) || (value['type'] !== 'snapshot' && value['type'] !== 'update')) return false;
  const tickers = value['tickers'];
  return Array.isArray(tickers) && (tickers as unknown[]).every(isTicker);
}

export function isHeartbeatEvent(value: unknown): value is HeartbeatEvent {
  if (!isDict(value) || typeof value['current_time'] !== 'string') return false;
  return heartbeatCounter(value['heartbeat_counter']) !== undefined;
}

/** The heartbeat counter as a safe integer, from its string or number form. */
export function heartbeatCounter(value: unknown): number | undefined {
  const counter = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;
  return typeof counter === 'number' && Number.isSafeInteger(counter) && counter >= 0 ? counter : undefined;
}
