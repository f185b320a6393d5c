import { microsToIso } from '../model/time';
import { advancedEventsOf, channelOfLegacyType, DATA_CHANNELS, type AdvancedEvents } from './coinbase-advanced-events';
import { CoinbaseBooks } from './coinbase-book';
import type { ClassifiedFrame, Dialect, DialectSession, SessionIo } from './dialect';
import type { VenueFrame } from './frame-source';
import { isObject, isStringArray, parseJson, quote } from './json';
import { StreamCatalog } from './stream-catalog';

/*
 * Coinbase Advanced Trade market data (wss://advanced-trade-ws.coinbase.com;
 * docs.cdp.coinbase.com/coinbase-app/advanced-trade-apis/websocket/websocket-channels), served
 * from a legacy Exchange feed capture rewritten message by message (coinbase-advanced-events.ts):
 * - Subscribe: {"type":"subscribe","product_ids":[..],"channel":"level2"} ("You can only
 *   subscribe to one channel per subscription message"); channels level2, market_trades, ticker
 *   and heartbeats (connection-wide, no product ids). Unsubscribe the same way; an unsubscribe
 *   without product ids drops the whole channel. Each is answered with
 *   {"channel":"subscriptions",..,"events":[{"subscriptions":{"level2":[..],"heartbeats":["heartbeats"]}}]}
 *   listing every current subscription.
 * - Every message a connection receives is an envelope {"channel","client_id":"","timestamp",
 *   "sequence_num","events"}; sequence_num counts the connection's messages from 0 across all
 *   channels. The number is taken when a frame is rendered for the connection, before faults, so a
 *   dropped frame leaves a gap the client sees.
 * - Heartbeats: {"channel":"heartbeats",..,"events":[{"current_time":..,"heartbeat_counter":n}]}
 *   every second (an option). The counter goes on while a stall holds the connection, so the
 *   heartbeats a stall swallows show as a counter jump.
 * - Level2: a new level2 subscription gets the product's whole current book as an l2_data
 *   snapshot event after the subscriptions reply (from the legacy dialect's books,
 *   coinbase-book.ts); before the recorded snapshot has gone by, the recorded one comes instead.
 * - Errors {"type":"error","message":..} carry no sequence_num; their wording is ours.
 * - "you are disconnected if no subscribe has been received within 5 seconds" is kept from the
 *   legacy feed (an option; close code 1008 is ours).
 *
 * Stream key: "<channel>:<product_id>" with channel level2, market_trades or ticker.
 * VenueFrame.data is the recorded legacy frame text; each session renders its own envelope.
 */

export interface CoinbaseAdvancedDialectOptions {
  /** Default 1000 ms. */
  readonly heartbeatIntervalMs?: number;
  /** Close a connection that sent no subscribe within this. Default 5000 ms. */
  readonly subscribeDeadlineMs?: number;
  /** Default 1008 (ours). */
  readonly subscribeDeadlineCloseCode?: number;
}

const HEARTBEATS = 'heartbeats';

export function coinbaseAdvancedDialect(options: CoinbaseAdvancedDialectOptions = {}): Dialect {
  const catalog = new StreamCatalog<true>();
  const books = new CoinbaseBooks();
  const settings: Required<CoinbaseAdvancedDialectOptions> = {
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 1000,
    subscribeDeadlineMs: options.subscribeDeadlineMs ?? 5000,
    subscribeDeadlineCloseCode: options.subscribeDeadlineCloseCode ?? 1008,
  };
  // Every connection renders the same published frame: convert it once.
  const converter = new EventsCache();
  return {
    venue: 'coinbase',
    classifyRecorded: (text) => {
      catalog.markRecorded();
      const classified = classifyLegacy(text);
      if (classified.kind === 'data') catalog.set(classified.stream, true);
      return classified;
    },
    acceptsPath: (url) => url.pathname === '/' || url.pathname === '',
    openSession: (_url, io) => new AdvancedSession(io, catalog, books, converter, settings),
    observe: (frame) => {
      books.observe(frame);
    },
  };
}

function classifyLegacy(text: string): ClassifiedFrame {
  const parsed = parseJson(text);
  if (!parsed.ok || !isObject(parsed.value)) return { kind: 'unknown', reason: 'not a JSON object' };
  const { type, product_id: product } = parsed.value;
  if (type === 'subscriptions' || type === 'heartbeat' || type === 'error') return { kind: 'control' };
  const channel = channelOfLegacyType(type);
  if (channel === undefined || typeof product !== 'string') {
    return { kind: 'unknown', reason: `no Advanced Trade channel for type ${JSON.stringify(type)}` };
  }
  return { kind: 'data', stream: `${channel}:${product}`, data: text };
}

/** The last published frame's events, shared by every connection that renders it. */
class EventsCache {
  private frame: VenueFrame | undefined;
  private events: AdvancedEvents | undefined;

  of(frame: VenueFrame): AdvancedEvents | undefined {
    if (frame !== this.frame) {
      this.frame = frame;
      this.events = advancedEventsOf(frame.data, microsToIso(frame.time));
    }
    return this.events;
  }
}

class AdvancedSession implements DialectSession {
  /** Channel -> products, in subscription order. */
  private readonly channels = new Map<string, string[]>();
  private sequence = 0;
  private heartbeatCounter = 0;
  private subscribeSeen = false;

  constructor(
    private readonly io: SessionIo,
    private readonly catalog: StreamCatalog<true>,
    private readonly books: CoinbaseBooks,
    private readonly converter: EventsCache,
    private readonly settings: Required<CoinbaseAdvancedDialectOptions>,
  ) {}

  open(): void {
    this.io.timers.timeout(this.settings.subscribeDeadlineMs, () => {
      if (!this.subscribeSeen) this.io.close(this.settings.subscribeDeadlineCloseCode, 'subscribe timeout');
    });
    this.io.timers.interval(this.settings.heartbeatIntervalMs, () => {
      this.heartbeat();
    });
  }

  render(frame: VenueFrame): string | undefined {
    const events = this.converter.of(frame);
    if (events === undefined) return undefined;
    return this.envelope(events.channel, events.events, microsToIso(frame.time));
  }

  message(text: string): void {
    const parsed = parseJson(text);
    if (!parsed.ok || !isObject(parsed.value)) {
      this.error('Malformed JSON');
      return;
    }
    const request = parsed.value;
    const type = request['type'];
    if (type !== 'subscribe' && type !== 'unsubscribe') {
      this.error(`Failed to subscribe: ${JSON.stringify(type ?? null)} is not a valid type`);
      return;
    }
    if (type === 'subscribe') this.subscribeSeen = true;
    const channel = request['channel'];
    const products = request['product_ids'] ?? [];
    if (typeof channel !== 'string') {
      this.error(`Failed to ${type}: channel must be one channel name`);
      return;
    }
    if (channel !== HEARTBEATS && !DATA_CHANNELS.includes(channel)) {
      this.error(`Failed to ${type}: ${channel} is not a valid channel`);
      return;
    }
    if (!isStringArray(products)) {
      this.error(`Failed to ${type}: product_ids must be an array of strings`);
      return;
    }
    if (channel === HEARTBEATS) {
      if (type === 'subscribe') this.channels.set(HEARTBEATS, [HEARTBEATS]);
      else this.channels.delete(HEARTBEATS);
      this.io.send(this.subscriptions(), 'reply');
      return;
    }
    if (type === 'unsubscribe') {
      this.unsubscribe(channel, products.length === 0 ? [...(this.channels.get(channel) ?? [])] : products);
      this.io.send(this.subscriptions(), 'reply');
      return;
    }
    if (products.length === 0) {
      this.error(`Failed to subscribe: ${channel} needs at least one product id`);
      return;
    }
    const failure = this.unavailable(channel, products);
    if (failure !== undefined) {
      this.error(`Failed to subscribe: ${failure}`);
      return;
    }
    const added = products.filter((product) => this.add(channel, product));
    this.io.send(this.subscriptions(), 'reply');
    if (channel === 'level2') for (const product of added) this.lateSnapshot(product);
  }

  /** The envelope of one message of this connection, which takes the next sequence_num. */
  private envelope(channel: string, events: string, timestamp: string): string {
    return (
      `{"channel":${quote(channel)},"client_id":"","timestamp":${quote(timestamp)},` +
      `"sequence_num":${this.sequence++},"events":${events}}`
    );
  }

  private lateSnapshot(product: string): void {
    const legacy = this.books.snapshot(product);
    if (legacy === undefined) return;
    const time = microsToIso(this.io.now());
    const events = advancedEventsOf(legacy, time);
    if (events === undefined) return;
    this.io.sendData(`level2:${product}`, legacy, this.envelope(events.channel, events.events, time));
  }

  /** Why a product cannot be had on `channel`, if so. */
  private unavailable(channel: string, products: readonly string[]): string | undefined {
    if (!this.catalog.isRecorded) return undefined;
    for (const product of products) {
      if (!this.catalog.some((stream) => stream.endsWith(`:${product}`))) return `${product} is not a valid product`;
      if (!this.catalog.has(`${channel}:${product}`)) return `${channel} for ${product} is not in this recording`;
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

  private unsubscribe(channel: string, products: readonly string[]): void {
    const left = (this.channels.get(channel) ?? []).filter((known) => !products.includes(known));
    if (left.length === 0) this.channels.delete(channel);
    else this.channels.set(channel, left);
    for (const product of products) this.io.unsubscribe(`${channel}:${product}`);
  }

  private subscriptions(): string {
    const entries = [...this.channels].map(([name, products]) => `${quote(name)}:${JSON.stringify(products)}`);
    return this.envelope('subscriptions', `[{"subscriptions":{${entries.join(',')}}}]`, microsToIso(this.io.now()));
  }

  private heartbeat(): void {
    if (!this.channels.has(HEARTBEATS)) return;
    const counter = this.heartbeatCounter++;
    if (this.io.stalled) return;
    const time = microsToIso(this.io.now());
    this.io.send(
      this.envelope(HEARTBEATS, `[{"current_time":${quote(time)},"heartbeat_counter":${counter}}]`, time),
      'keepalive',
    );
  }

  private error(message: string): void {
    this.io.rejected();
    this.io.send(`{"type":"error","message":${quote(message)}}`, 'reply');
  }
}
