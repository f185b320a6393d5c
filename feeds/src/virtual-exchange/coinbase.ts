import { microsToIso } from '../model/time';
import { CoinbaseBooks } from './coinbase-book';
import type { ClassifiedFrame, Dialect, DialectSession, SessionIo } from './dialect';
import type { VenueFrame } from './frame-source';
import { isObject, isStringArray, parseJson, quote, type JsonObject } from './json';
import { StreamCatalog } from './stream-catalog';

/*
 * Coinbase Exchange legacy feed (wss://ws-feed.exchange.coinbase.com, formerly ws-feed.pro;
 * docs.cloud.coinbase.com/exchange/docs/websocket-overview):
 * - "To begin receiving feed messages, you must first send a subscribe message ... you will be
 *   disconnected if no subscribe has been received within 5 seconds."
 * - {"type":"subscribe","product_ids":[..],"channels":["level2",{"name":"ticker","product_ids":[..]}]};
 *   "the server responds with a subscriptions message that lists all channels you are subscribed
 *   to. Subsequent subscribe messages add to the list of subscriptions."
 * - "Most failure cases will cause an error message (a message with the type "error")", e.g.
 *   {"type":"error","message":"Failed to subscribe","reason":"GIBBERISH-USD is not a valid product"}
 *   and "You need to specify at least one product ID for channel heartbeat".
 * - heartbeat channel: one message per product per second,
 *   {"type":"heartbeat","sequence":..,"last_trade_id":..,"product_id":..,"time":..}.
 *
 * Stream key: "<channel>:<product_id>" with channel level2 (snapshot, l2update), matches (match,
 * last_match), ticker, full. VenueFrame.data is the frame text. Heartbeats are generated from the
 * last trade id and sequence seen on the timeline. A level2 subscription made after the product's
 * recorded snapshot has gone by gets, after the subscriptions reply, a snapshot of the exchange's
 * current book (`coinbase-book.ts`).
 */

export interface CoinbaseDialectOptions {
  /** Default 1000 ms. */
  readonly heartbeatIntervalMs?: number;
  /** Close a connection that sent no subscribe within this. Default 5000 ms. */
  readonly subscribeDeadlineMs?: number;
  /** Default 1008; the venue documents the disconnect, not its code. */
  readonly subscribeDeadlineCloseCode?: number;
}

const CHANNELS = ['level2', 'matches', 'ticker', 'full', 'heartbeat'];
const TYPE_CHANNEL: Readonly<Record<string, string>> = {
  snapshot: 'level2',
  l2update: 'level2',
  match: 'matches',
  last_match: 'matches',
  ticker: 'ticker',
  received: 'full',
  open: 'full',
  done: 'full',
  change: 'full',
  activate: 'full',
};

interface LastTrade {
  sequence: number;
  tradeId: number;
}

export function coinbaseDialect(options: CoinbaseDialectOptions = {}): Dialect {
  const catalog = new StreamCatalog<true>();
  const lastTrades = new Map<string, LastTrade>();
  const books = new CoinbaseBooks();
  const settings: Required<CoinbaseDialectOptions> = {
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 1000,
    subscribeDeadlineMs: options.subscribeDeadlineMs ?? 5000,
    subscribeDeadlineCloseCode: options.subscribeDeadlineCloseCode ?? 1008,
  };
  return {
    venue: 'coinbase',
    classifyRecorded: (text) => {
      catalog.markRecorded();
      const classified = classifyCoinbase(text);
      if (classified.kind === 'data') catalog.set(classified.stream, true);
      return classified;
    },
    acceptsPath: (url) => url.pathname === '/' || url.pathname === '',
    openSession: (_url, io) => new CoinbaseSession(io, catalog, lastTrades, books, settings),
    observe: (frame) => {
      books.observe(frame);
      // Only trades move a heartbeat's last_trade_id; parse just those frames.
      if (!frame.stream.startsWith('matches:') && !frame.stream.startsWith('ticker:')) return;
      const parsed = parseJson(frame.data);
      if (!parsed.ok || !isObject(parsed.value)) return;
      const { trade_id: tradeId, sequence, product_id: product } = parsed.value;
      if (typeof tradeId === 'number' && typeof sequence === 'number' && typeof product === 'string') {
        lastTrades.set(product, { tradeId, sequence });
      }
    },
  };
}

function classifyCoinbase(text: string): ClassifiedFrame {
  const parsed = parseJson(text);
  if (!parsed.ok || !isObject(parsed.value)) return { kind: 'unknown', reason: 'not a JSON object' };
  const { type, product_id: product } = parsed.value;
  if (type === 'subscriptions' || type === 'heartbeat' || type === 'error') return { kind: 'control' };
  const channel = typeof type === 'string' ? TYPE_CHANNEL[type] : undefined;
  if (channel === undefined || typeof product !== 'string') {
    return { kind: 'unknown', reason: `no channel for type ${JSON.stringify(type)}` };
  }
  return { kind: 'data', stream: `${channel}:${product}`, data: text };
}

class CoinbaseSession implements DialectSession {
  /** Channel -> products, in subscription order (the subscriptions reply lists them so). */
  private readonly channels = new Map<string, string[]>();
  private subscribeSeen = false;

  constructor(
    private readonly io: SessionIo,
    private readonly catalog: StreamCatalog<true>,
    private readonly lastTrades: ReadonlyMap<string, LastTrade>,
    private readonly books: CoinbaseBooks,
    private readonly settings: Required<CoinbaseDialectOptions>,
  ) {}

  open(): void {
    this.io.timers.timeout(this.settings.subscribeDeadlineMs, () => {
      if (!this.subscribeSeen) this.io.close(this.settings.subscribeDeadlineCloseCode, 'subscribe timeout');
    });
    this.io.timers.interval(this.settings.heartbeatIntervalMs, () => {
      this.heartbeats();
    });
  }

  render(frame: VenueFrame): string {
    return frame.data;
  }

  message(text: string): void {
    const parsed = parseJson(text);
    if (!parsed.ok || !isObject(parsed.value)) {
      this.error('Malformed JSON', undefined);
      return;
    }
    const request = parsed.value;
    const type = request['type'];
    if (type !== 'subscribe' && type !== 'unsubscribe') {
      this.error('Failed to subscribe', `${JSON.stringify(type ?? null)} is not a valid type`);
      return;
    }
    if (type === 'subscribe') this.subscribeSeen = true;
    const wanted = requestedPairs(request);
    const failure = typeof wanted === 'string' ? wanted : this.unavailable(wanted);
    if (failure !== undefined) {
      this.error(`Failed to ${type}`, failure);
      return;
    }
    if (typeof wanted === 'string') return;
    const added: string[] = [];
    for (const [channel, product] of wanted) {
      if (type === 'unsubscribe') this.remove(channel, product);
      else if (this.add(channel, product) && channel === 'level2') added.push(product);
    }
    this.io.send(this.subscriptions(), 'reply');
    for (const product of added) {
      const snapshot = this.books.snapshot(product);
      if (snapshot !== undefined) this.io.sendData(`level2:${product}`, snapshot);
    }
  }

  /** The reason the first unavailable product or channel cannot be had, if any. */
  private unavailable(wanted: readonly (readonly [string, string])[]): string | undefined {
    for (const [channel, product] of wanted) {
      if (!this.catalog.isRecorded) continue;
      if (!this.catalog.some((stream) => stream.endsWith(`:${product}`))) return `${product} is not a valid product`;
      if (channel !== 'heartbeat' && !this.catalog.has(`${channel}:${product}`)) {
        return `${channel} for ${product} is not in this recording`;
      }
    }
    return undefined;
  }

  /** Adds a subscription; true when it is new. */
  private add(channel: string, product: string): boolean {
    const products = this.channels.get(channel) ?? [];
    const added = !products.includes(product);
    if (added) products.push(product);
    this.channels.set(channel, products);
    this.io.subscribe(`${channel}:${product}`);
    return added;
  }

  private remove(channel: string, product: string): void {
    const products = (this.channels.get(channel) ?? []).filter((known) => known !== product);
    if (products.length === 0) this.channels.delete(channel);
    else this.channels.set(channel, products);
    this.io.unsubscribe(`${channel}:${product}`);
  }

  private subscriptions(): string {
    const channels = [...this.channels].map(
      ([name, products]) => `{"name":${quote(name)},"product_ids":${JSON.stringify(products)}}`,
    );
    return `{"type":"subscriptions","channels":[${channels.join(',')}]}`;
  }

  private heartbeats(): void {
    if (this.io.stalled) return;
    const time = microsToIso(this.io.now());
    for (const product of this.channels.get('heartbeat') ?? []) {
      const last = this.lastTrades.get(product);
      this.io.send(
        `{"type":"heartbeat","sequence":${last?.sequence ?? 0},"last_trade_id":${last?.tradeId ?? 0},` +
          `"product_id":${quote(product)},"time":${quote(time)}}`,
        'keepalive',
      );
    }
  }

  private error(message: string, reason: string | undefined): void {
    this.io.rejected();
    const tail = reason === undefined ? '' : `,"reason":${quote(reason)}`;
    this.io.send(`{"type":"error","message":${quote(message)}${tail}}`, 'reply');
  }
}

/** (channel, product) pairs a subscribe or unsubscribe names, or the venue's reason it is invalid. */
function requestedPairs(request: JsonObject): (readonly [string, string])[] | string {
  const topProducts = request['product_ids'] ?? [];
  const channels = request['channels'];
  if (!isStringArray(topProducts)) return 'product_ids must be an array of strings';
  if (!Array.isArray(channels) || channels.length === 0) return 'You must specify at least one channel';
  const pairs: (readonly [string, string])[] = [];
  for (const channel of channels as unknown[]) {
    const name = typeof channel === 'string' ? channel : isObject(channel) ? channel['name'] : undefined;
    if (typeof name !== 'string') return 'channels must be names or {name, product_ids} objects';
    if (!CHANNELS.includes(name)) return `${name} is not a valid channel`;
    const own = isObject(channel) ? (channel['product_ids'] ?? topProducts) : topProducts;
    if (!isStringArray(own)) return 'product_ids must be an array of strings';
    if (own.length === 0) return `You need to specify at least one product ID for channel ${name}`;
    for (const product of own) pairs.push([name, product]);
  }
  return pairs;
}
